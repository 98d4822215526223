package tandem.adapters.sqlite;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a session's running statement early: a client's CancelRequest ({@link #cancel()}, from
 * another thread) and statement_timeout (from the store's timer thread) both call
 * {@code sqlite3_interrupt} on the connection the statement runs on, and a cancel during a wait
 * for a connection interrupts the waiting thread.
 *
 * <p>Each statement gets a token, so that a timer or cancel aimed at a statement that has already
 * finished never interrupts the next one, and a connection that went back to its pool (where
 * another session may use it) is never interrupted.
 */
final class StatementInterrupts {

    private static final Logger log = LoggerFactory.getLogger(StatementInterrupts.class);

    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private ConnectionState runningOn;
    private Object runningToken;
    private Thread waiting;
    private boolean timedOut;
    private ScheduledFuture<?> timeout;

    StatementInterrupts(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Runs a wait for a connection that {@link #cancel()} may interrupt. */
    <T> T waiting(Supplier<T> wait) {
        synchronized (lock) {
            waiting = Thread.currentThread();
        }
        try {
            return wait.get();
        } finally {
            synchronized (lock) {
                waiting = null;
                Thread.interrupted(); // a cancel that arrived as the wait ended must not linger
            }
        }
    }

    /** A statement starts on {@code state}: it can be canceled, and times out after {@code limit} (null: never). */
    Object start(ConnectionState state, Duration limit) {
        Object token = new Object();
        synchronized (lock) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            runningOn = state;
            runningToken = token;
            timedOut = false;
            timeout = limit == null ? null
                    : timer.schedule(() -> timeUp(token), limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        return token;
    }

    /** The statement with this token finished (a later one may be running: then nothing changes). */
    void stop(Object token) {
        synchronized (lock) {
            if (token == null || token != runningToken) {
                return;
            }
            runningOn = null;
            runningToken = null;
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
        }
    }

    /** Stops whatever statement is registered, as the session closes. */
    void stopAll() {
        synchronized (lock) {
            stop(runningToken);
        }
    }

    /** Whether the last interrupt came from statement_timeout rather than a cancel. */
    boolean timedOut() {
        synchronized (lock) {
            return timedOut;
        }
    }

    void cancel() {
        synchronized (lock) {
            if (runningOn != null) {
                interrupt(runningOn);
            } else if (waiting != null) {
                waiting.interrupt();
            }
        }
    }

    private void timeUp(Object token) {
        synchronized (lock) {
            if (runningToken == token && runningOn != null) {
                timedOut = true;
                interrupt(runningOn);
            }
        }
    }

    private static void interrupt(ConnectionState state) {
        try {
            state.connection.getDatabase().interrupt();
        } catch (SQLException e) {
            log.debug("could not interrupt a SQLite statement", e);
        }
    }
}
