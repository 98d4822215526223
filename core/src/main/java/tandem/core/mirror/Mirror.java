package tandem.core.mirror;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tandem.core.error.ProxyException;
import tandem.core.metrics.MetricNames;

/**
 * Mirrors each committed transaction of the primary to the secondary: the live half of the data
 * path's points 4 and 5.
 *
 * <p>By the time {@link #committed} is called the client's transaction has committed on the
 * primary, with repair-log entries for its keys in it. The sync then runs on a pooled platform
 * thread, not a virtual one (its blocking JDBC round trips cost a virtual thread more in parking
 * than the work itself), and the returned future completes within {@code mirrorTimeout} either way:
 * <ul>
 * <li>{@link Outcome#SYNCED}: the secondary has the rows; the entries are removed afterwards
 * (if that fails, the drainer syncs them once more, which is harmless);
 * <li>{@link Outcome#QUEUED}: the sync failed or is still running; the tables are read from the
 * primary from now on ({@link PendingRepairs}), the entries are marked failed so the drainer
 * takes them at once, and one WARN line says so.
 * </ul>
 * It never completes exceptionally for a store's failure: the client's commit already succeeded,
 * and nothing is lost while the entries wait in the primary.
 *
 * <p>A sync that outlives the timeout is not interrupted (JDBC has no safe way to); if it
 * succeeds later it removes the entries itself, and if the drainer got there first, its sync of
 * the same keys is ordered by the same locks.
 *
 * <p>Entries of synced transactions are removed by one janitor thread, the tokens of all syncs
 * that finished meanwhile in one statement, rather than by a transaction on the primary per
 * commit. Until then they are merely entries of rows already synced: if tandem dies first, the
 * drainer syncs them once more.
 */
public final class Mirror implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    /** What became of one committed transaction's rows. */
    public enum Outcome {
        SYNCED, QUEUED
    }

    /** At most this many transactions' entries per DELETE. */
    private static final int MAX_TOKENS_PER_REMOVAL = 1000;
    /** How long the janitor waits after the first synced transaction for more to remove with it. */
    private static final long REMOVAL_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final RowSync sync;
    private final RepairLog repairLog;
    private final PendingRepairs pending;
    private final Duration timeout;
    /** At most one "left to the repair log" line per this interval: an outage must not flood the log. */
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ExecutorService executor;
    private final Counter synced;
    private final Counter queued;
    private final Counter rows;
    private final Timer duration;
    private final LinkedBlockingQueue<String> syncedTokens = new LinkedBlockingQueue<>();
    private final Thread janitor;
    private volatile boolean stopping;
    private volatile Consumer<Changes> onSynced = changes -> { };
    private final LongSupplier nanoTime;
    private final AtomicLong nextWarning;
    private final AtomicLong unreported = new AtomicLong();

    public Mirror(RowSync sync, RepairLog repairLog, PendingRepairs pending, Duration timeout, MeterRegistry registry) {
        this(sync, repairLog, pending, timeout, registry, System::nanoTime);
    }

    /** @param nanoTime {@code System::nanoTime}, or a test's clock for the sync timer and the warning interval */
    public Mirror(RowSync sync, RepairLog repairLog, PendingRepairs pending, Duration timeout, MeterRegistry registry,
            LongSupplier nanoTime) {
        this.sync = sync;
        this.repairLog = repairLog;
        this.pending = pending;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
        this.nextWarning = new AtomicLong(nanoTime.getAsLong());
        // platform threads, reused: a sync is a series of blocking JDBC round trips, which cost a virtual thread
        // more in parking and polling than the work itself
        this.executor = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("tandem-mirror-", 0).factory());
        this.janitor = Thread.ofPlatform().daemon().name("tandem-mirror-janitor").start(this::removeSynced);
        this.synced = Counter.builder(MetricNames.MIRROR).tag("outcome", "synced")
                .description("committed transactions whose rows reached the secondary in time").register(registry);
        this.queued = Counter.builder(MetricNames.MIRROR).tag("outcome", "queued")
                .description("committed transactions whose rows were left to the repair log").register(registry);
        this.rows = Counter.builder(MetricNames.MIRROR_ROWS).description("rows synced to the secondary")
                .register(registry);
        this.duration = Timer.builder(MetricNames.MIRROR_TIME).description("time from commit to synced or queued")
                .register(registry);
    }

    /**
     * Mirrors the rows of a transaction that committed on the primary, and replays its statements
     * on tables mirrored by statement.
     */
    public CompletableFuture<Outcome> committed(Changes changes, List<RowWriter.Replay> replays) {
        if (changes.isEmpty() && replays.isEmpty()) {
            return CompletableFuture.completedFuture(Outcome.SYNCED);
        }
        long started = nanoTime.getAsLong();
        CompletableFuture<Integer> run;
        try {
            run = CompletableFuture.supplyAsync(() -> sync.sync(changes, replays), executor);
        } catch (RejectedExecutionException full) {
            queue(changes, replays, new IllegalStateException("tandem is shutting down"));
            return CompletableFuture.completedFuture(Outcome.QUEUED);
        }
        run.thenAccept(n -> { // also when it finishes after the timeout
            removeEntries(changes);
            onSynced.accept(changes);
        });
        // orTimeout completes the future it is called on: a copy times out, and the sync itself runs on
        return run.copy().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).handle((n, failure) -> {
            duration.record(nanoTime.getAsLong() - started, TimeUnit.NANOSECONDS);
            if (failure == null) {
                synced.increment();
                rows.increment(n);
                return Outcome.SYNCED;
            }
            queue(changes, replays, unwrap(failure));
            return Outcome.QUEUED;
        });
    }

    /** Told of every transaction whose rows reached the secondary (a sample is checked again later). */
    public void onSynced(Consumer<Changes> listener) {
        this.onSynced = listener;
    }

    private void removeEntries(Changes changes) {
        if (changes.token() == null || changes.isEmpty()) {
            return;
        }
        syncedTokens.add(changes.token());
    }

    /** The janitor: removes the entries of synced transactions, all that are waiting in one go. */
    private void removeSynced() {
        List<String> tokens = new ArrayList<>();
        while (true) {
            try {
                String first = syncedTokens.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                tokens.add(first);
            } catch (InterruptedException e) {
                if (stopping) {
                    syncedTokens.drainTo(tokens);
                    remove(tokens);
                    return;
                }
                continue;
            }
            if (!stopping && syncedTokens.size() < MAX_TOKENS_PER_REMOVAL - 1) {
                // let the syncs finishing meanwhile join this removal: a statement for many commits, not one each
                LockSupport.parkNanos(REMOVAL_LINGER_NANOS);
            }
            syncedTokens.drainTo(tokens, MAX_TOKENS_PER_REMOVAL - 1);
            remove(tokens);
            tokens.clear();
        }
    }

    private void remove(List<String> tokens) {
        if (tokens.isEmpty()) {
            return;
        }
        try {
            repairLog.removeTokens(tokens);
        } catch (RuntimeException e) {
            log.debug("could not remove the repair-log entries of {} synced transactions (the drainer will sync "
                    + "them again): {}", tokens.size(), e.getMessage());
        }
    }

    private void queue(Changes changes, List<RowWriter.Replay> replays, Throwable failure) {
        queued.increment();
        pending.addAll(changes.keysByTable().keySet());
        String why = failure instanceof TimeoutException
                ? "no answer from the secondary within mirrorTimeout (" + timeout.toMillis() + " ms)"
                : describe(failure);
        if (!replays.isEmpty()) {
            // statements cannot be repaired by key: the verifier is what finds a missed replay
            log.error("mirror: {} statements on keyless tables were not replayed on the secondary ({}); the verifier "
                    + "will report the difference", replays.size(), why);
        }
        long quietUntil = nextWarning.get();
        long now = nanoTime.getAsLong();
        if (now - quietUntil >= 0 && nextWarning.compareAndSet(quietUntil, now + WARNING_INTERVAL_NANOS)) {
            long more = unreported.getAndSet(0);
            log.warn("mirror: transaction {} left to the repair log (rows={}, tables={}): {}; its tables are read from "
                    + "the primary until the repair drainer has synced them{}", changes.token(), changes.size(),
                    changes.keysByTable().keySet(), why, more == 0 ? ""
                            : " (" + more + " more transactions went the same way since the last such line)");
        } else {
            unreported.incrementAndGet();
        }
        if (changes.token() != null && !changes.isEmpty()) {
            Runnable mark = () -> {
                try {
                    repairLog.markFailed(changes.token(), why);
                } catch (RuntimeException e) {
                    log.debug("could not mark transaction {} failed in the repair log (its entries fall due after "
                            + "2 x mirrorTimeout anyway): {}", changes.token(), e.getMessage());
                }
            };
            try {
                executor.execute(mark);
            } catch (RejectedExecutionException full) {
                // not on the caller's thread, which may be an event loop: the entries fall due by age instead
                log.debug("mirror: transaction {} not marked failed (no thread free); its entries fall due after "
                        + "2 x mirrorTimeout", changes.token());
            }
        }
    }

    /** A failure as a log line and the repair log record it: the message, and what to do where tandem knows. */
    static String describe(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return failure instanceof ProxyException p && p.hint() != null ? message + " (" + p.hint() + ")" : message;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                log.warn("mirror: syncs still running at shutdown after {} ms; their rows wait in the repair log",
                        timeout.toMillis() * 2);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        // the janitor removes what the finished syncs left it, then stops
        stopping = true;
        try {
            janitor.join(timeout.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (janitor.isAlive()) {
            janitor.interrupt();
        }
    }
}
