package tandem.proxy.backend;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.store.WireEndpoint;
import tandem.proxy.backend.BackendConnection.PoolState;

/**
 * Protocol connections to one PostgreSQL store for client traffic, bounded like PgBouncer's pool:
 * at most {@code maxSize} open, clients beyond that wait in line up to {@code acquireTimeout}. An
 * idle connection on the caller's own event loop is preferred, so that client and server bytes of a
 * session are handled by one thread without hand-offs.
 */
public final class BackendPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackendPool.class);

    private final BackendConnector connector;
    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final ScheduledFuture<?> housekeeping;
    private int total;
    private int active;
    private boolean closed;

    /** What the pool needs from the store's config. */
    public record Settings(int maxSize, int minIdle, Duration acquireTimeout, Duration connectTimeout,
            Duration idleTimeout, Duration maxLifetime, int maxMessageSize, int maxPreparedStatements) {
    }

    public BackendPool(String storeName, WireEndpoint endpoint, Settings settings, EventLoopGroup group) {
        this.settings = settings;
        this.connector = new BackendConnector(storeName, endpoint, (int) settings.connectTimeout().toMillis(),
                settings.maxMessageSize(), settings.maxPreparedStatements());
        long every = Math.max(1000, Math.min(30_000, settings.idleTimeout().toMillis() / 2));
        this.housekeeping = group.next().scheduleAtFixedRate(this::evictIdle, every, every, TimeUnit.MILLISECONDS);
    }

    public String storeName() {
        return connector.storeName();
    }

    public WireEndpoint endpoint() {
        return connector.endpoint();
    }

    /**
     * A connection opened with {@code startup} for the caller on {@code loop}; the future completes
     * on that loop. When the pool is full and no idle connection has these parameters, an idle one
     * opened for other clients is closed to make room.
     */
    public Future<BackendConnection> acquire(EventLoop loop, StartupParameters startup) {
        Promise<BackendConnection> promise = loop.newPromise();
        BackendConnection found = null;
        BackendConnection displaced = null;
        boolean open = false;
        lock.lock();
        try {
            if (closed) {
                return promise.setFailure(new ProxyException(SqlState.ADMIN_SHUTDOWN, "tandem is shutting down"));
            }
            // one on the caller's loop, else a new one there while the pool has room, else any loop's
            found = takeIdle(loop, startup, total < settings.maxSize());
            if (found != null) {
                found.poolState = PoolState.ACTIVE;
                active++;
            } else if (total < settings.maxSize()) {
                total++;
                active++;
                open = true;
            } else if ((displaced = idle.pollLast()) != null) {
                displaced.poolState = PoolState.GONE;
                active++;
                open = true;
            } else {
                Waiter waiter = new Waiter(promise, loop, startup);
                waiters.add(waiter);
                waiter.timeout = loop.schedule(() -> expire(waiter), settings.acquireTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
        if (displaced != null) {
            log.debug("closing idle {} to open one with other client settings ({})", displaced, startup);
            displaced.close();
        }
        if (found != null) {
            promise.setSuccess(found);
        } else if (open) {
            open(loop, startup, promise);
        }
        return promise;
    }

    /** Gives a healthy connection back for the next client. */
    public void release(BackendConnection connection) {
        connection.detach();
        Waiter next = null;
        boolean retire;
        lock.lock();
        try {
            if (connection.poolState != PoolState.ACTIVE) {
                return;
            }
            retire = closed || !connection.isActive()
                    || connection.ageNanos(System.nanoTime()) > settings.maxLifetime().toNanos();
            if (retire) {
                connection.poolState = PoolState.GONE;
                active--;
                total--;
            } else {
                next = waiters.poll();
                if (next != null && !next.startup.equals(connection.startup())) {
                    // the next client needs other settings: this connection makes room for one with them
                    retire = true;
                    connection.poolState = PoolState.GONE;
                    active--;
                    total--;
                    waiters.addFirst(next);
                    next = null;
                } else if (next == null) {
                    connection.poolState = PoolState.IDLE;
                    active--;
                    idle.push(connection);
                }
            }
        } finally {
            lock.unlock();
        }
        if (retire) {
            connection.close();
            openForWaiter();
        } else if (next != null) {
            next.hand(connection);
        }
    }

    /** Closes a connection whose state tandem can no longer vouch for (client vanished mid-transaction, say). */
    public void discard(BackendConnection connection) {
        connection.detach();
        lock.lock();
        try {
            if (connection.poolState == PoolState.ACTIVE) {
                active--;
                total--;
            } else if (connection.poolState == PoolState.IDLE) {
                idle.remove(connection);
                total--;
            }
            connection.poolState = PoolState.GONE;
        } finally {
            lock.unlock();
        }
        connection.close();
        openForWaiter();
    }

    public int maxSize() {
        return settings.maxSize();
    }

    /** A consistent view of the pool's connections, for gauges and status. */
    public record Counts(int total, int active, int idle, int waiting) {
    }

    public Counts counts() {
        lock.lock();
        try {
            return new Counts(total, active, idle.size(), waiters.size());
        } finally {
            lock.unlock();
        }
    }

    /** How long a reset of a returned connection may take before the connection is closed instead. */
    long resetTimeoutMillis() {
        return Math.max(1000, settings.connectTimeout().toMillis());
    }

    /**
     * An idle connection on {@code loop}, or, unless {@code localOnly}, on any loop. A connection on
     * another loop works, but every message between it and the client then crosses threads.
     */
    private BackendConnection takeIdle(EventLoop loop, StartupParameters startup, boolean localOnly) {
        BackendConnection elsewhere = null;
        for (Iterator<BackendConnection> it = idle.iterator(); it.hasNext();) {
            BackendConnection candidate = it.next();
            if (candidate.startup().equals(startup)) {
                if (candidate.loop() == loop) {
                    it.remove();
                    return candidate;
                }
                elsewhere = elsewhere == null ? candidate : elsewhere;
            }
        }
        if (localOnly || elsewhere == null) {
            return null;
        }
        idle.remove(elsewhere);
        return elsewhere;
    }

    private void open(EventLoop loop, StartupParameters startup, Promise<BackendConnection> promise) {
        connector.connect(loop, startup).addListener((Future<BackendConnection> f) -> {
            if (f.isSuccess()) {
                BackendConnection connection = f.getNow();
                connection.onClose(() -> forget(connection));
                log.debug("opened {} ({})", connection, state());
                if (!promise.trySuccess(connection)) {
                    release(connection);
                }
            } else {
                lock.lock();
                try {
                    total--;
                    active--;
                } finally {
                    lock.unlock();
                }
                promise.tryFailure(f.cause());
                openForWaiter();
            }
        });
    }

    /** A connection closed by the server or the network. */
    private void forget(BackendConnection connection) {
        boolean wasIdle;
        lock.lock();
        try {
            wasIdle = connection.poolState == PoolState.IDLE;
            if (wasIdle) {
                idle.remove(connection);
                total--;
                connection.poolState = PoolState.GONE;
            }
        } finally {
            lock.unlock();
        }
        if (wasIdle) {
            log.info("{} closed while idle ({})", connection, state());
            openForWaiter();
        }
    }

    /** After a slot frees up, the first waiter (if any) gets a new connection. */
    private void openForWaiter() {
        Waiter waiter;
        lock.lock();
        try {
            if (closed || total >= settings.maxSize() || (waiter = waiters.poll()) == null) {
                return;
            }
            total++;
            active++;
        } finally {
            lock.unlock();
        }
        waiter.timeout.cancel(false);
        open(waiter.loop, waiter.startup, waiter.promise);
    }

    private void expire(Waiter waiter) {
        lock.lock();
        try {
            if (!waiters.remove(waiter)) {
                return;
            }
        } finally {
            lock.unlock();
        }
        String state = state();
        log.warn("a client waited {} ms for a connection to store \"{}\" and gave up ({})",
                settings.acquireTimeout().toMillis(), storeName(), state);
        waiter.promise.tryFailure(new ProxyException(SqlState.TOO_MANY_CONNECTIONS,
                "no connection to store \"" + storeName() + "\" became free within "
                        + settings.acquireTimeout().toMillis() + " ms (" + state + ")",
                null, "raise stores." + storeName() + ".pool.maxSize (and the server's max_connections), or set "
                        + "stores." + storeName() + ".pool.mode: transaction so that idle clients do not hold connections"));
    }

    private void evictIdle() {
        long now = System.nanoTime();
        java.util.List<BackendConnection> retired = new java.util.ArrayList<>();
        lock.lock();
        try {
            for (Iterator<BackendConnection> it = idle.descendingIterator(); it.hasNext();) {
                BackendConnection c = it.next();
                boolean tooOld = c.ageNanos(now) > settings.maxLifetime().toNanos();
                boolean tooIdle = c.idleNanos(now) > settings.idleTimeout().toNanos() && total > settings.minIdle();
                if (tooOld || tooIdle || !c.isActive()) {
                    it.remove();
                    c.poolState = PoolState.GONE;
                    total--;
                    retired.add(c);
                }
            }
        } finally {
            lock.unlock();
        }
        for (BackendConnection c : retired) {
            log.debug("retiring idle {}", c);
            c.close();
        }
    }

    /** The pool's state in the words of HikariCP's log lines. */
    public String state() {
        lock.lock();
        try {
            return "total=" + total + ", active=" + active + ", idle=" + idle.size() + ", waiting=" + waiters.size()
                    + ", maxSize=" + settings.maxSize();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        java.util.List<BackendConnection> toClose;
        java.util.List<Waiter> toFail;
        lock.lock();
        try {
            closed = true;
            toClose = new java.util.ArrayList<>(idle);
            idle.clear();
            toFail = new java.util.ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        housekeeping.cancel(false);
        toClose.forEach(BackendConnection::close);
        toFail.forEach(w -> w.promise.tryFailure(new ProxyException(SqlState.ADMIN_SHUTDOWN, "tandem is shutting down")));
    }

    private final class Waiter {
        final Promise<BackendConnection> promise;
        final EventLoop loop;
        final StartupParameters startup;
        ScheduledFuture<?> timeout;

        Waiter(Promise<BackendConnection> promise, EventLoop loop, StartupParameters startup) {
            this.promise = promise;
            this.loop = loop;
            this.startup = startup;
        }

        void hand(BackendConnection connection) {
            timeout.cancel(false);
            if (!promise.trySuccess(connection)) {
                release(connection);
            }
        }
    }
}
