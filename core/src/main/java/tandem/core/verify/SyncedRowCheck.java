package tandem.core.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tandem.core.metrics.MetricNames;
import tandem.core.mirror.Changes;
import tandem.core.mirror.Column;
import tandem.core.mirror.Key;
import tandem.core.mirror.MirroredTable;
import tandem.core.mirror.MirroredTables;
import tandem.core.mirror.PendingRepairs;
import tandem.core.mirror.RowReader;
import tandem.core.type.PgType;

/**
 * The early warning while mirroring runs: a sample of the rows the mirror synced is read again from
 * both stores a few seconds later, at a low rate, and compared by meaning. A row that differs is
 * checked once more a second later (a newer write of it may have been on its way) before it counts
 * as a mismatch ({@code tandem_verify_synced_total{outcome="mismatch"}}) and is logged with its
 * key and columns. Rows of tables with pending repairs are skipped: they are known to wait.
 */
public final class SyncedRowCheck implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SyncedRowCheck.class);
    private static final int QUEUE_LIMIT = 10_000;
    private static final int LOGGED_MISMATCHES = 20;

    /**
     * @param sample share of synced transactions whose rows are checked again, 0 to 1
     * @param delay how long after its sync a row is checked
     * @param perSecond rows checked per second at most
     */
    public record Settings(double sample, Duration delay, int perSecond) {
        public static Settings defaults() {
            return new Settings(0.01, Duration.ofSeconds(2), 200);
        }
    }

    private record Due(long atNanos, String table, Key key, boolean second) {
    }

    private final MirroredTables plan;
    private final RowReader primary;
    private final RowReader secondary;
    private final PendingRepairs pending;
    private final Settings settings;
    private final SplittableRandom random = new SplittableRandom();
    private final ArrayDeque<Due> queue = new ArrayDeque<>();
    private final Counter matches;
    private final Counter mismatches;
    private final Counter errors;
    private final AtomicLong logged = new AtomicLong();
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService scheduler;

    public SyncedRowCheck(MirroredTables plan, RowReader primary, RowReader secondary, PendingRepairs pending,
            Settings settings, MeterRegistry registry) {
        this(plan, primary, secondary, pending, settings, registry, System::nanoTime);
    }

    /** @param nanoTime {@code System::nanoTime}, or a test's clock for when a row falls due */
    public SyncedRowCheck(MirroredTables plan, RowReader primary, RowReader secondary, PendingRepairs pending,
            Settings settings, MeterRegistry registry, LongSupplier nanoTime) {
        this.plan = plan;
        this.primary = primary;
        this.secondary = secondary;
        this.pending = pending;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.matches = outcome(registry, "match");
        this.mismatches = outcome(registry, "mismatch");
        this.errors = outcome(registry, "error");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("tandem-synced-row-check").factory());
        scheduler.scheduleWithFixedDelay(this::checkDueQuietly, 1, 1, TimeUnit.SECONDS);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder(MetricNames.VERIFY_SYNCED).tag("outcome", outcome)
                .description("synced rows read again from both stores and compared").register(registry);
    }

    /** A transaction's rows reached the secondary: a sample of them is checked again later. */
    public void synced(Changes changes) {
        if (changes.isEmpty() || random.nextDouble() >= settings.sample()) {
            return;
        }
        long at = nanoTime.getAsLong() + settings.delay().toNanos();
        synchronized (queue) {
            changes.keysByTable().forEach((table, keys) -> {
                for (Key key : keys) {
                    if (queue.size() < QUEUE_LIMIT) {
                        queue.add(new Due(at, table, key, false));
                    }
                }
            });
        }
    }

    private void checkDueQuietly() {
        try {
            checkDue();
        } catch (RuntimeException e) {
            log.debug("synced row check: {}", e.getMessage());
        }
    }

    /** Checks the rows whose time has come, at most a second's worth. */
    void checkDue() {
        long now = nanoTime.getAsLong();
        Map<String, Set<Key>> byTable = new LinkedHashMap<>();
        Map<String, Set<Key>> second = new LinkedHashMap<>();
        synchronized (queue) {
            for (int n = 0; n < settings.perSecond() && !queue.isEmpty() && queue.peek().atNanos() <= now; n++) {
                Due d = queue.poll();
                byTable.computeIfAbsent(d.table(), t -> new LinkedHashSet<>()).add(d.key());
                if (d.second()) {
                    second.computeIfAbsent(d.table(), t -> new LinkedHashSet<>()).add(d.key());
                }
            }
        }
        byTable.forEach((table, keys) -> check(table, keys, second.getOrDefault(table, Set.of())));
    }

    private void check(String tableName, Set<Key> keys, Set<Key> secondTime) {
        MirroredTable table = plan.table(tableName);
        if (table == null || table.mode() != MirroredTable.Mode.ROW || pending.contains(tableName)) {
            return;
        }
        Map<Key, Object[]> old;
        Map<Key, Object[]> now;
        Map<Key, Key> byTarget = new LinkedHashMap<>();
        keys.forEach(k -> byTarget.put(table.targetKey(k), k));
        try {
            old = primary.read(table.source(), keys);
            now = secondary.read(table.target(), byTarget.keySet());
        } catch (RuntimeException e) {
            errors.increment(keys.size());
            return;
        }
        List<PgType> types = table.target().columns().stream().map(Column::type).toList();
        List<Key> again = new ArrayList<>();
        for (Map.Entry<Key, Key> e : byTarget.entrySet()) {
            Object[] o = old.get(e.getValue());
            Object[] n = now.get(e.getKey());
            List<String> differing = new ArrayList<>();
            if (o == null || n == null) {
                if (o != n) {
                    differing.add(o == null ? "(only in the new store)" : "(missing in the new store)");
                }
            } else {
                Object[] expected = table.targetRow(o);
                for (int i : Equivalence.differingColumns(types, expected, n)) {
                    differing.add(table.target().columns().get(i).name() + ": old " + Equivalence.show(expected[i])
                            + ", new " + Equivalence.show(n[i]));
                }
            }
            if (differing.isEmpty()) {
                matches.increment();
            } else if (!secondTime.contains(e.getValue())) {
                again.add(e.getValue());
            } else {
                mismatches.increment();
                if (logged.getAndIncrement() < LOGGED_MISMATCHES) {
                    log.warn("synced row check: {} {} differs between the stores a few seconds after its sync: {}; "
                            + "run bin/tandem verify --tables {} --repair", tableName, e.getValue(), differing, tableName);
                }
            }
        }
        if (!again.isEmpty()) {
            long at = nanoTime.getAsLong() + TimeUnit.SECONDS.toNanos(1);
            synchronized (queue) {
                again.forEach(k -> queue.addFirst(new Due(at, tableName, k, true)));
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
