package tandem.core.mirror;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tandem.core.error.ProxyException;
import tandem.core.metrics.MetricNames;
import tandem.core.error.SqlState;

/**
 * Retries what the live mirror could not sync: takes due entries from the repair log (failed, or
 * older than twice the mirror timeout, whose proxy died mid-sync), syncs each transaction's keys
 * through {@link RowSync}, and removes the entries once the secondary has the rows.
 *
 * <p>Syncs go through a circuit breaker: while the secondary is down, a pass would only pile up
 * failures, so after repeated unavailability (connection failures, not a bad row) the breaker
 * opens and passes skip the syncs; after its wait one trial sync goes through (half-open), and a
 * success closes it. Every transition is logged with the backlog. A transaction whose sync fails
 * for its data (a missing parent row, a value that does not convert) does not count against the
 * secondary: its attempt is recorded with the error and the time of its next try (exponential
 * back-off, kept in the repair log so that a restart keeps it and it never hides other entries),
 * while other transactions drain. A missing parent is expected before and during a backfill: such
 * failures are summed up in one line per {@link Settings#summaryEvery()} rather than one per
 * transaction, and every attempt is counted by outcome and cause.
 *
 * <p>After every pass the {@link PendingRepairs} set becomes the backlog's tables, so a table's
 * reads go back to the secondary when its last entry is drained.
 */
public final class RepairDrainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RepairDrainer.class);

    /**
     * @param interval pause between passes
     * @param batchSize entries taken per pass
     * @param olderThan entries not marked failed are due once this old (twice mirrorTimeout: their
     *     sync should have finished or failed by then)
     * @param backoffBase wait before the second try of a transaction; doubles with each attempt
     * @param backoffMax the longest wait between tries
     * @param breakerWindow the syncs the breaker judges the failure rate over
     * @param breakerMinimumCalls failed syncs (of at least this many) before the breaker may open
     * @param breakerOpenWait how long the breaker stays open before a trial sync
     */
    public record Settings(Duration interval, int batchSize, Duration olderThan, Duration backoffBase,
            Duration backoffMax, int breakerWindow, int breakerMinimumCalls, Duration breakerOpenWait,
            Duration summaryEvery) {

        public static Settings forMirrorTimeout(Duration mirrorTimeout) {
            return new Settings(Duration.ofSeconds(1), 500, mirrorTimeout.multipliedBy(2), Duration.ofSeconds(1),
                    Duration.ofMinutes(5), 10, 3, Duration.ofSeconds(10), Duration.ofSeconds(30));
        }

        public Settings withInterval(Duration d) {
            return new Settings(d, batchSize, olderThan, backoffBase, backoffMax, breakerWindow, breakerMinimumCalls,
                    breakerOpenWait, summaryEvery);
        }

        public Settings withBatchSize(int size) {
            return new Settings(interval, size, olderThan, backoffBase, backoffMax, breakerWindow, breakerMinimumCalls,
                    breakerOpenWait, summaryEvery);
        }

        public Settings withBackoff(Duration base, Duration max) {
            return new Settings(interval, batchSize, olderThan, base, max, breakerWindow, breakerMinimumCalls,
                    breakerOpenWait, summaryEvery);
        }

        public Settings withBreaker(int window, int minimumCalls, Duration openWait) {
            return new Settings(interval, batchSize, olderThan, backoffBase, backoffMax, window, minimumCalls, openWait,
                    summaryEvery);
        }
    }

    /** What one pass did: transactions synced and failed, whether the breaker stopped it, and the backlog after it. */
    public record Pass(int synced, int failed, boolean breakerOpen, RepairLog.Backlog backlog) {
    }

    private final RowSync sync;
    private final RepairLog repairLog;
    private final PendingRepairs pending;
    private final Settings settings;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final Counter drained;
    private final MeterRegistry registry;
    private final Map<SyncFailure, Counter> failedAttempts = new EnumMap<>(SyncFailure.class);
    private final Counter syncedAttempts;
    private final FailureSummary failures;
    private final AtomicReference<RepairLog.Backlog> backlog = new AtomicReference<>(RepairLog.Backlog.EMPTY);
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> task;
    private ScheduledFuture<?> counting;

    public RepairDrainer(RowSync sync, RepairLog repairLog, PendingRepairs pending, Settings settings,
            MeterRegistry registry, Clock clock) {
        this(sync, repairLog, pending, settings, registry, clock, "secondary");
    }

    /**
     * @param target the store it copies to, which tags its gauges: after a cutover a second drainer
     *     copies the other way, and each shows its own repair log
     */
    public RepairDrainer(RowSync sync, RepairLog repairLog, PendingRepairs pending, Settings settings,
            MeterRegistry registry, Clock clock, String target) {
        this.sync = sync;
        this.repairLog = repairLog;
        this.pending = pending;
        this.settings = settings;
        this.clock = clock;
        this.breaker = CircuitBreaker.of("tandem-repair", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(50)
                .waitDurationInOpenState(settings.breakerOpenWait())
                .permittedNumberOfCallsInHalfOpenState(1)
                .ignoreException(e -> !unavailable(e))
                .clock(clock)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> logTransition(e.getStateTransition()));
        this.drained = Counter.builder(MetricNames.REPAIR_DRAINED).description("repair-log entries synced and removed")
                .register(registry);
        this.registry = registry;
        this.syncedAttempts = attempts("synced", "none");
        this.failures = new FailureSummary(settings.summaryEvery(), clock);
        Gauge.builder(MetricNames.REPAIR_BACKLOG, backlog, b -> b.get().rows()).tag("to", target)
                .description("repair-log entries waiting (rows not known to be on the secondary)").register(registry);
        Gauge.builder(MetricNames.REPAIR_OLDEST, this, d -> d.oldestSeconds()).tag("to", target)
                .description("age of the oldest repair-log entry").register(registry);
        Gauge.builder(MetricNames.REPAIR_BREAKER, breaker, b -> stateNumber(b.getState())).tag("to", target)
                .description("repair circuit breaker: 0 closed, 1 open, 2 half-open").register(registry);
    }

    /**
     * Whether a sync failed because a store could not be reached (which opens the breaker) rather
     * than for the rows it carried (which is retried without holding up the rest).
     */
    static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProxyException p) {
                String code = p.state().code();
                return code.startsWith("08") || p.state() == SqlState.TOO_MANY_CONNECTIONS
                        || p.state() == SqlState.ADMIN_SHUTDOWN || p.state() == SqlState.CANNOT_CONNECT_NOW
                        || p.state() == SqlState.LOCK_NOT_AVAILABLE || p.state() == SqlState.QUERY_CANCELED
                        || p.state() == SqlState.IO_ERROR;
            }
        }
        return true; // not a store's answer at all: count it against the store, to be safe
    }

    private Counter attempts(String outcome, String cause) {
        return Counter.builder(MetricNames.REPAIR_ATTEMPTS).description("transactions the repair drainer tried to sync, "
                + "by outcome and, for failures, cause").tag("outcome", outcome).tag("cause", cause).register(registry);
    }

    private void countFailure(SyncFailure cause) {
        failedAttempts.computeIfAbsent(cause, c -> attempts("failed", c.label())).increment();
    }

    private static int stateNumber(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 0;
        };
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        // two threads: the backlog is counted on its own, so a sync stuck on a hung secondary cannot freeze
        // what the status and the metrics say (or which tables reads avoid)
        scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("tandem-repair-drainer-", 0)
                .factory());
        task = scheduler.scheduleWithFixedDelay(this::passQuietly, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        counting = scheduler.scheduleWithFixedDelay(this::countQuietly, settings.interval().toMillis(),
                settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("repair drainer started (interval={} ms, batch={}, due after {} ms, breaker opens at 50% of {} syncs)",
                settings.interval().toMillis(), settings.batchSize(), settings.olderThan().toMillis(),
                settings.breakerWindow());
    }

    public void stop() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
            if (task != null) {
                task.cancel(false);
            }
            if (counting != null) {
                counting.cancel(false);
            }
        }
        if (s != null) {
            s.shutdown();
            try {
                s.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.info("repair drainer stopped (backlog rows={})", backlog.get().rows());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void passQuietly() {
        try {
            drainOnce();
        } catch (RuntimeException e) {
            // the primary (where the log lives) is unreachable, or worse: try again next interval
            log.warn("repair drainer: pass failed, retrying in {} ms: {}", settings.interval().toMillis(), e.getMessage());
        }
    }

    private void countQuietly() {
        try {
            refreshBacklog();
        } catch (RuntimeException e) {
            log.debug("repair drainer: could not count the backlog: {}", e.getMessage());
        }
    }

    /** One pass: refresh the backlog, sync the due transactions in the log's fair order, refresh again. */
    public synchronized Pass drainOnce() {
        RepairLog.Backlog before = refreshBacklog();
        if (before.rows() == 0) {
            return new Pass(0, 0, false, before);
        }
        if (!breaker.tryAcquirePermission()) {
            log.debug("repair drainer: circuit open, {} rows wait", before.rows());
            return new Pass(0, 0, true, before);
        }
        boolean permitted = true;
        int synced = 0;
        int failed = 0;
        boolean open = false;
        Map<String, List<RepairLog.Entry>> left = new LinkedHashMap<>();
        boolean foreignKeys = false;
        List<RepairLog.Entry> due = repairLog.due(settings.batchSize(), settings.olderThan(), clock.instant());
        for (List<RepairLog.Entry> group : byToken(due).values()) {
            if (!permitted && !breaker.tryAcquirePermission()) {
                open = true;
                break;
            }
            permitted = false;
            String token = group.get(0).token();
            SyncFailure failure = syncGroup(token, group);
            if (failure == null) {
                synced++;
            } else {
                failed++;
                left.put(token, group);
                foreignKeys |= failure == SyncFailure.FOREIGN_KEY;
            }
        }
        if (permitted) {
            breaker.releasePermission(); // nothing was due: the permission taken above goes back unused
        }
        if (foreignKeys && left.size() > 1 && !open && breaker.tryAcquirePermission()) {
            synced += syncTogether(left);
        }
        RepairLog.Backlog after = refreshBacklog();
        if (synced + failed > 0) {
            log.debug("repair drainer: pass synced {} and failed {} transactions; backlog rows={}", synced, failed,
                    after.rows());
        }
        failures.report(after);
        return new Pass(synced, failed, open, after);
    }

    /**
     * Copies every key in the log now, whatever its age or back-off: for a cutover, when no
     * transaction is in flight and the store about to become primary must lack nothing. Throws,
     * saying what is left, when a transaction's rows cannot be copied or {@code deadline} passes.
     */
    public synchronized void drainAll(Instant deadline) {
        Instant everything = clock.instant().plus(Duration.ofDays(365));
        while (true) {
            List<RepairLog.Entry> due = repairLog.due(settings.batchSize(), Duration.ZERO, everything);
            if (due.isEmpty()) {
                refreshBacklog();
                return;
            }
            for (List<RepairLog.Entry> group : byToken(due).values()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(refreshBacklog().rows() + " rows still wait in the repair log");
                }
                SyncFailure failure = syncGroup(group.get(0).token(), group);
                if (failure != null) {
                    throw new IllegalStateException("rows of " + group.get(0).table() + " could not be copied ("
                            + failure.label() + "; " + refreshBacklog().rows() + " rows wait in the repair log)");
                }
            }
        }
    }

    /**
     * Transactions that failed on foreign keys usually wait for each other: a parent's delete for a
     * child's delete that another transaction made, a child's insert for its parent's. Synced in one
     * transaction on the secondary, in foreign-key order, they go through together; each row is
     * still read from the primary as it is now, under the keys' locks, so merging them is as safe as
     * syncing them one by one.
     *
     * @return the transactions synced (all or none)
     */
    private int syncTogether(Map<String, List<RepairLog.Entry>> groups) {
        List<RepairLog.Entry> entries = groups.values().stream().flatMap(List::stream).toList();
        if (entries.stream().anyMatch(e -> e.key() == null)) {
            breaker.releasePermission();
            return 0; // reported by its own group's failure
        }
        Map<String, Set<Key>> keys = keysOf(entries);
        List<Long> ids = entries.stream().map(RepairLog.Entry::id).toList();
        long started = clock.millis();
        try {
            sync.sync(keys, List.of());
        } catch (RuntimeException e) {
            breaker.onError(clock.millis() - started, TimeUnit.MILLISECONDS, e);
            log.debug("repair drainer: {} transactions synced together failed too: {}", groups.size(), e.getMessage());
            return 0;
        }
        breaker.onSuccess(clock.millis() - started, TimeUnit.MILLISECONDS);
        repairLog.remove(ids);
        drained.increment(ids.size());
        syncedAttempts.increment(groups.size());
        log.info("repair drainer: {} transactions that waited on each other's foreign keys synced together ({} rows)",
                groups.size(), ids.size());
        return groups.size();
    }

    /** The entries' keys by table; entries whose key cannot be read are left out. */
    private static Map<String, Set<Key>> keysOf(List<RepairLog.Entry> entries) {
        Map<String, Set<Key>> keys = new LinkedHashMap<>();
        for (RepairLog.Entry entry : entries) {
            if (entry.key() != null) {
                keys.computeIfAbsent(entry.table(), t -> new TreeSet<>()).add(entry.key());
            }
        }
        return keys;
    }

    /** @return null when synced, else why not */
    private SyncFailure syncGroup(String token, List<RepairLog.Entry> group) {
        List<Long> ids = group.stream().map(RepairLog.Entry::id).toList();
        Map<String, Set<Key>> keys = keysOf(group);
        List<String> undecodable = group.stream().filter(e -> e.key() == null).map(RepairLog.Entry::table).toList();
        long started = clock.millis();
        try {
            if (!undecodable.isEmpty()) {
                throw new ProxyException(SqlState.DATA_EXCEPTION, "keys of tables " + undecodable + " cannot be read "
                        + "with the primary's current schema (table dropped, or its key changed)", null,
                        "verify the table's rows and delete these repair-log entries");
            }
            sync.sync(keys, List.of());
        } catch (RuntimeException e) {
            breaker.onError(clock.millis() - started, TimeUnit.MILLISECONDS, e);
            SyncFailure cause = undecodable.isEmpty() ? SyncFailure.of(e) : SyncFailure.UNREADABLE_KEY;
            int attempts = group.stream().mapToInt(RepairLog.Entry::attempts).max().orElse(0) + 1;
            String error = Mirror.describe(e);
            try {
                repairLog.recordAttempt(ids, error, clock.instant().plus(backoff(attempts)));
            } catch (RuntimeException logDown) {
                log.debug("repair drainer: could not record the attempt for {}: {}", token, logDown.getMessage());
            }
            countFailure(cause);
            failures.add(cause, group.get(0), error);
            log.debug("repair drainer: transaction {} ({} rows, attempt {}) not synced ({}): {}", token, ids.size(),
                    attempts, cause.label(), error);
            return cause;
        }
        breaker.onSuccess(clock.millis() - started, TimeUnit.MILLISECONDS);
        repairLog.remove(ids);
        drained.increment(ids.size());
        syncedAttempts.increment();
        return null;
    }

    private Duration backoff(int attempts) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration wait = settings.backoffBase().multipliedBy(factor);
        return wait.compareTo(settings.backoffMax()) > 0 ? settings.backoffMax() : wait;
    }

    private static Map<String, List<RepairLog.Entry>> byToken(List<RepairLog.Entry> entries) {
        Map<String, List<RepairLog.Entry>> groups = new LinkedHashMap<>();
        for (RepairLog.Entry e : entries) {
            groups.computeIfAbsent(e.token(), t -> new ArrayList<>()).add(e);
        }
        return groups;
    }

    private RepairLog.Backlog refreshBacklog() {
        long mark = pending.mark();
        RepairLog.Backlog now = repairLog.backlog();
        pending.retainOnly(now.pendingTables(), mark);
        backlog.set(now);
        return now;
    }

    private double oldestSeconds() {
        Instant oldest = backlog.get().oldest();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    public RepairLog.Backlog backlog() {
        return backlog.get();
    }

    private void logTransition(CircuitBreaker.StateTransition transition) {
        RepairLog.Backlog b = backlog.get();
        String state = "backlog rows=" + b.rows() + ", tables=" + b.pendingTables() + ", oldest="
                + (b.oldest() == null ? "none" : (long) oldestSeconds() + "s");
        switch (transition.getToState()) {
            case OPEN -> log.warn("repair drainer: circuit {} -> OPEN, the secondary is unavailable (failure rate {}%); "
                    + "next trial in {} s ({})", transition.getFromState(),
                    Math.round(breaker.getMetrics().getFailureRate()), settings.breakerOpenWait().toSeconds(), state);
            case HALF_OPEN -> log.info("repair drainer: circuit OPEN -> HALF_OPEN, trying one sync ({})", state);
            case CLOSED -> log.info("repair drainer: circuit {} -> CLOSED, the secondary takes syncs again ({})",
                    transition.getFromState(), state);
            default -> log.info("repair drainer: circuit {} ({})", transition, state);
        }
    }
}
