package tandem.core.backfill;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.MirroredTable;
import tandem.core.mirror.MirroredTables;
import tandem.core.store.Store;

/**
 * The backfill as a running tandem offers it (the admin API): one at a time, in the background,
 * with its progress; when none runs here, what the checkpoints in the new store say (a backfill run
 * from the command line, or by another replica, shows there too).
 */
public final class BackfillService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackfillService.class);

    private final MirroredTables plan;
    private final Store old;
    private final Store target;
    private final MeterRegistry registry;
    private final DoubleSupplier clientLatencyMillis;
    private Backfill running;
    private Thread thread;
    private volatile String lastError;

    private Set<String> lastTables = Set.of();
    private Backfill.Settings lastSettings = Backfill.Settings.defaults();

    public BackfillService(MirroredTables plan, Store old, Store target, MeterRegistry registry,
            DoubleSupplier clientLatencyMillis) {
        this.plan = plan;
        this.old = old;
        this.target = target;
        this.registry = registry;
        this.clientLatencyMillis = clientLatencyMillis;
    }

    /** Starts a backfill in the background; fails (55006) when one is running here. */
    public synchronized void start(Set<String> tables, Backfill.Settings settings) {
        if (thread != null && thread.isAlive()) {
            throw new ProxyException(SqlState.OBJECT_IN_USE, "a backfill is running already", null,
                    "watch it in GET /api/status (backfill), or pause it: POST /api/backfill/pause");
        }
        Backfill backfill = new Backfill(plan, tables, old.pageReader(), target.batchLoader(), settings, registry,
                Clock.systemUTC(), clientLatencyMillis);
        lastTables = Set.copyOf(tables);
        lastSettings = settings;
        lastError = null;
        running = backfill;
        thread = Thread.ofPlatform().daemon().name("tandem-backfill").start(() -> {
            try {
                backfill.run();
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                log.error("backfill failed: {}", e.getMessage());
            }
        });
    }

    /**
     * Starts again the backfill last started here, with its tables and settings: it goes on from
     * its checkpoints. Never started here: every table with the default settings.
     */
    public synchronized void resume() {
        start(lastTables, lastSettings);
    }

    /** Asks the running backfill to stop after its batches in flight. */
    public synchronized boolean stop() {
        if (running == null || thread == null || !thread.isAlive()) {
            return false;
        }
        running.stop();
        return true;
    }

    /** The backfill's part of {@code GET /api/status}. */
    public synchronized Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        boolean active = thread != null && thread.isAlive();
        status.put("running", active);
        if (lastError != null) {
            status.put("error", lastError);
        }
        List<Map<String, Object>> tables = new ArrayList<>();
        Instant now = Instant.now();
        if (running != null) {
            for (TableProgress p : running.progress()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("table", p.table());
                t.put("state", p.state().name().toLowerCase(Locale.ROOT));
                t.put("rowsDone", p.read());
                t.put("rowsTotal", p.total());
                t.put("rowsInserted", p.inserted());
                t.put("rowsPerSecond", Math.round(p.rowsPerSecond(now)));
                Duration eta = p.eta(now);
                t.put("etaSeconds", eta == null ? null : eta.toSeconds());
                if (p.error() != null) {
                    t.put("error", p.error());
                }
                tables.add(t);
            }
        } else {
            Known known = checkpoints();
            if (known.error() != null) {
                status.put("checkpoints", "unreadable: " + known.error()); // no control table yet, or the store is down
            }
            for (BatchLoader.Checkpoint cp : known.checkpoints().values()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("table", cp.table());
                t.put("state", cp.state());
                t.put("rowsDone", cp.rowsRead());
                t.put("rowsTotal", Math.max(cp.rowsTotal(), cp.rowsRead()));
                t.put("rowsInserted", cp.rowsInserted());
                t.put("startedAt", cp.startedAt().toString());
                t.put("finishedAt", cp.finishedAt() == null ? null : cp.finishedAt().toString());
                t.put("deferred", cp.deferred().size());
                tables.add(t);
            }
        }
        status.put("tables", tables);
        status.put("complete", complete(tables));
        return status;
    }

    /** The checkpoints as last read, and why the last read failed (null when it did not). */
    private record Known(Map<String, BatchLoader.Checkpoint> checkpoints, String error, long readAtNanos) {
    }

    private static final long REFRESH_NANOS = 2_000_000_000L;
    private final AtomicReference<Known> known = new AtomicReference<>(new Known(Map.of(), null, 0));
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
            .name("tandem-backfill-status").factory());

    /**
     * The checkpoints as last read from the new store, read again in the background when older than
     * two seconds; the status waits a second at most for that read (a status asked after a quiet hour
     * must not show that hour's old news), then answers what it has, even while the new store hangs.
     */
    private Known checkpoints() {
        Known k = known.get();
        if (System.nanoTime() - k.readAtNanos() > REFRESH_NANOS && refreshing.compareAndSet(false, true)) {
            java.util.concurrent.Future<?> read = refresher.submit(() -> {
                try {
                    known.set(new Known(target.batchLoader().checkpoints(), null, System.nanoTime()));
                } catch (RuntimeException e) {
                    known.set(new Known(known.get().checkpoints(), e.getMessage(), System.nanoTime()));
                } finally {
                    refreshing.set(false);
                }
            });
            try {
                read.get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // the store is slow: what was read last
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return known.get();
    }

    /** Every table mirrored by row has been copied. */
    private boolean complete(List<Map<String, Object>> tables) {
        long rowTables = plan.tables().values().stream().filter(m -> m.mode() == MirroredTable.Mode.ROW).count();
        return tables.stream().filter(t -> "done".equals(t.get("state"))).count() == rowTables;
    }

    /** Whether every table mirrored by row has been copied, by the checkpoints in the new store. */
    public boolean complete() {
        return complete(tablesOf(target.batchLoader().checkpoints()));
    }

    private static List<Map<String, Object>> tablesOf(Map<String, BatchLoader.Checkpoint> checkpoints) {
        List<Map<String, Object>> out = new ArrayList<>();
        checkpoints.values().forEach(cp -> out.add(Map.of("table", cp.table(), "state", cp.state())));
        return out;
    }

    @Override
    public synchronized void close() {
        refresher.shutdownNow();
        if (stop()) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
