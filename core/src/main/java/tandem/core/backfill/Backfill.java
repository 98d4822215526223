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
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.metrics.MetricNames;
import tandem.core.mirror.ForeignKeyOrder;
import tandem.core.mirror.MirroredTable;
import tandem.core.mirror.MirroredTables;
import tandem.core.mirror.Table;

/**
 * Copies the history of every table mirrored by row from the old store to the new one: per table
 * in primary-key order, a page of rows per transaction ({@link PageReader}, {@link BatchLoader}),
 * several tables at once with every table's parents (by foreign key) copied before it, at most
 * {@link Settings#maxRowsPerSecond()} and slower while the old store's clients see it slow down.
 * Each batch's checkpoint commits with its rows, so a backfill that is stopped or killed resumes
 * where it was, and one that finished does nothing more.
 */
public final class Backfill {

    private static final Logger log = LoggerFactory.getLogger(Backfill.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);

    /**
     * @param batchSize rows per batch (one transaction on the new store)
     * @param parallelTables tables copied at once
     * @param maxRowsPerSecond a ceiling on rows read per second over all tables; 0 for none
     * @param latencyBound while the old store's clients see queries slower than this, batches pause;
     *     null for no bound
     * @param deferConstraints drop a table's secondary indexes and foreign keys while it is copied and
     *     create them again when every table is (see {@link BatchLoader#begin})
     */
    public record Settings(int batchSize, int parallelTables, int maxRowsPerSecond, Duration latencyBound,
            boolean deferConstraints) {

        public static Settings defaults() {
            return new Settings(5000, 2, 0, null, true);
        }
    }

    private final PageReader reader;
    private final BatchLoader loader;
    private final Settings settings;
    private final Clock clock;
    private final MeterRegistry registry;
    /** The old store's recent client query latency in milliseconds (NaN when unknown). */
    private final DoubleSupplier clientLatencyMillis;
    private final Map<String, TableProgress> progress = new LinkedHashMap<>();
    private final List<MirroredTable> tables;
    private final Throttle throttle;
    private volatile boolean stopping;
    private volatile Consumer<List<TableProgress>> listener = p -> { };

    /**
     * @param only the tables to copy (as the old store names them); empty for every table mirrored by row
     */
    public Backfill(MirroredTables plan, Set<String> only, PageReader reader, BatchLoader loader, Settings settings,
            MeterRegistry registry, Clock clock, DoubleSupplier clientLatencyMillis) {
        this.reader = reader;
        this.loader = loader;
        this.settings = settings;
        this.registry = registry;
        this.clock = clock;
        this.clientLatencyMillis = clientLatencyMillis;
        this.tables = parentsFirst(selected(plan, only));
        this.throttle = new Throttle(settings.maxRowsPerSecond());
        for (MirroredTable t : tables) {
            TableProgress p = new TableProgress(t.target().name());
            progress.put(t.target().name(), p);
            Gauge.builder(MetricNames.BACKFILL_REMAINING, p, TableProgress::remaining).tag("table", p.table())
                    .description("rows of the table the backfill has yet to copy").register(registry);
        }
    }

    private static List<MirroredTable> selected(MirroredTables plan, Set<String> only) {
        Set<String> wanted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        wanted.addAll(only);
        List<String> unknown = new ArrayList<>();
        for (String name : wanted) {
            MirroredTable t = plan.table(name);
            if (t == null || t.mode() != MirroredTable.Mode.ROW) {
                unknown.add(name + (t == null ? " (no such table)" : " (" + t.mode().name().toLowerCase(Locale.ROOT)
                        + ": " + t.note() + ")"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ProxyException(SqlState.UNDEFINED_TABLE, "cannot backfill " + String.join(", ", unknown), null,
                    "name tables the mirror plan copies by row (the plan is logged at startup)");
        }
        List<MirroredTable> out = new ArrayList<>();
        for (MirroredTable t : plan.tables().values()) {
            if (t.mode() == MirroredTable.Mode.ROW && (wanted.isEmpty() || wanted.contains(t.name()))) {
                out.add(t);
            }
        }
        return out;
    }

    private static List<MirroredTable> parentsFirst(List<MirroredTable> tables) {
        Map<String, MirroredTable> byTarget = new LinkedHashMap<>();
        tables.forEach(t -> byTarget.put(t.target().name(), t));
        return ForeignKeyOrder.parentsFirst(tables.stream().map(MirroredTable::target).toList()).stream()
                .map(t -> byTarget.get(t.name())).toList();
    }

    /** Called after every batch with every table's progress (a terminal's progress bar, say). */
    public void onProgress(Consumer<List<TableProgress>> listener) {
        this.listener = listener;
    }

    /** Every table's progress, parents first. */
    public List<TableProgress> progress() {
        return List.copyOf(progress.values());
    }

    /** Asks a running backfill to stop after the batches in flight; it resumes from there next time. */
    public void stop() {
        stopping = true;
    }

    /**
     * Copies every table not copied yet, resuming those begun; returns when all are done.
     *
     * @throws ProxyException when a table cannot be copied (the others in flight finish their batch)
     */
    public List<TableProgress> run() {
        loader.ensureCreated();
        Map<String, BatchLoader.Checkpoint> checkpoints = loader.checkpoints();
        List<MirroredTable> order = tables;
        for (MirroredTable t : order) {
            BatchLoader.Checkpoint known = checkpoints.get(t.target().name());
            if (known == null || !known.done()) {
                long rows = reader.count(t.source());
                progress.get(t.target().name()).expect(rows);
                // before any table is copied: a table whose foreign keys are dropped need not wait for its parents
                checkpoints.put(t.target().name(), loader.begin(t.target(), rows, settings.deferConstraints()));
            }
        }
        log.info("backfill of {} tables, parents first: {} (batch={}, tables at once={}, max rows/s={}{})",
                order.size(), order.stream().map(MirroredTable::name).toList(), settings.batchSize(),
                settings.parallelTables(), settings.maxRowsPerSecond() == 0 ? "none" : settings.maxRowsPerSecond(),
                settings.latencyBound() == null ? "" : ", pausing while client queries take over "
                        + settings.latencyBound().toMillis() + " ms");
        Scheduler scheduler = new Scheduler(order, checkpoints);
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, settings.parallelTables()),
                Thread.ofPlatform().daemon().name("tandem-backfill-", 0).factory());
        Thread reporter = Thread.ofPlatform().daemon().name("tandem-backfill-progress").start(this::reportWhileRunning);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < Math.max(1, settings.parallelTables()); i++) {
                running.add(workers.submit(() -> {
                    MirroredTable next;
                    while ((next = scheduler.next()) != null) {
                        try {
                            copy(next, checkpoints.get(next.target().name()));
                            scheduler.finished(next, true);
                        } catch (RuntimeException e) {
                            scheduler.finished(next, false);
                            throw e;
                        }
                    }
                    return null;
                }));
            }
            RuntimeException failure = null;
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = failure != null ? failure : e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                    throw new ProxyException(SqlState.QUERY_CANCELED, "backfill interrupted");
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            workers.shutdownNow();
            reporter.interrupt();
        }
        logProgress(true);
        if (!stopping) {
            restoreDeferred(order);
        }
        return progress();
    }

    /** Once every table is copied: their indexes and foreign keys, parents first. */
    private void restoreDeferred(List<MirroredTable> order) {
        Map<String, BatchLoader.Checkpoint> now = loader.checkpoints();
        for (MirroredTable t : order) {
            BatchLoader.Checkpoint checkpoint = now.get(t.target().name());
            if (checkpoint != null && !checkpoint.deferred().isEmpty()) {
                log.info("backfill: {}: creating again {} indexes and foreign keys dropped for the copy", t.name(),
                        checkpoint.deferred().size());
                loader.restore(t.target());
            }
        }
    }

    private void copy(MirroredTable table, BatchLoader.Checkpoint checkpoint) {
        TableProgress p = progress.get(table.target().name());
        if (checkpoint.done()) {
            p.skipDone(checkpoint.rowsRead(), checkpoint.rowsInserted());
            log.info("backfill: {} was copied before ({} rows read, {} inserted); skipped", table.name(),
                    checkpoint.rowsRead(), checkpoint.rowsInserted());
            return;
        }
        long total = checkpoint.rowsTotal();
        p.begin(Math.max(total, checkpoint.rowsRead()), checkpoint.rowsRead(), checkpoint.rowsInserted(),
                clock.instant());
        log.info("backfill: {} {} ({} rows{})", checkpoint.cursor() == null ? "copying" : "resuming", table.name(),
                total, checkpoint.cursor() == null ? "" : ", " + checkpoint.rowsRead() + " read before");
        Counter copied = Counter.builder(MetricNames.BACKFILL_ROWS).tag("table", table.target().name())
                .description("rows the backfill read from the old store and loaded").register(registry);
        String cursor = checkpoint.cursor();
        try {
            while (!stopping) {
                pauseWhileClientsAreSlow();
                String after = cursor;
                BatchLoader.Loaded loaded = loader.load(table.target(), () -> {
                    PageReader.Page page = reader.read(table.source(), after, settings.batchSize());
                    List<Object[]> rows = new ArrayList<>(page.rows().size());
                    for (Object[] row : page.rows()) {
                        rows.add(table.targetRow(row));
                    }
                    return new BatchLoader.Batch(rows, page.isEmpty() ? after : page.last());
                });
                if (loaded.read() == 0) {
                    break;
                }
                cursor = loaded.cursor();
                p.add(loaded.read(), loaded.inserted());
                copied.increment(loaded.read());
                listener.accept(progress());
                throttle.acquire(loaded.read());
            }
        } catch (RuntimeException e) {
            p.failed(e.getMessage(), clock.instant());
            log.error("backfill: {} failed after {} rows: {}; the next backfill resumes from its last batch",
                    table.name(), p.read(), e.getMessage());
            throw e;
        }
        if (stopping) {
            log.info("backfill: {} stopped after {} rows; the next backfill resumes there", table.name(), p.read());
            return;
        }
        loader.finish(table.target());
        p.done(clock.instant());
        listener.accept(progress());
        log.info("backfill: {} copied: {} rows read, {} inserted ({} were there already, written by the mirror), "
                + "{} rows/s", table.name(), p.read(), p.inserted(), p.read() - p.inserted(),
                Math.round(p.rowsPerSecond(clock.instant())));
    }

    private void pauseWhileClientsAreSlow() {
        Duration bound = settings.latencyBound();
        if (bound == null) {
            return;
        }
        long pauses = 0;
        double latency;
        while (!stopping && (latency = clientLatencyMillis.getAsDouble()) > bound.toMillis()) {
            if (pauses++ % 20 == 0) {
                log.info("backfill: pausing, the old store's clients see {} ms per query (bound {} ms)",
                        Math.round(latency), bound.toMillis());
            }
            sleep(500);
        }
    }

    private void reportWhileRunning() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(LOG_EVERY.toMillis());
                logProgress(false);
            }
        } catch (InterruptedException e) {
            // the backfill ended
        }
    }

    private void logProgress(boolean last) {
        Instant now = clock.instant();
        for (TableProgress p : progress.values()) {
            if (p.state() == TableProgress.State.COPYING || last && p.state() != TableProgress.State.WAITING) {
                Duration eta = p.eta(now);
                log.info("backfill: {} {} {}/{} rows ({}%), {} rows/s{}", p.table(),
                        p.state().name().toLowerCase(Locale.ROOT), p.read(), p.total(),
                        p.total() == 0 ? 100 : p.read() * 100 / p.total(), Math.round(p.rowsPerSecond(now)),
                        eta == null || p.state() != TableProgress.State.COPYING ? "" : ", about " + eta.toSeconds()
                                + " s left");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException(SqlState.QUERY_CANCELED, "backfill interrupted");
        }
    }

    /** Hands out tables whose parents are copied; a failed table fails its children too. */
    private static final class Scheduler {
        private final List<MirroredTable> waiting;
        private final Set<String> done = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        private final Set<String> inFlight = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        private final Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        private boolean failed;

        private final Map<String, BatchLoader.Checkpoint> checkpoints;

        Scheduler(List<MirroredTable> order, Map<String, BatchLoader.Checkpoint> checkpoints) {
            this.waiting = new ArrayList<>(order);
            this.checkpoints = checkpoints;
            order.forEach(t -> names.add(t.target().name()));
        }

        /** A table whose foreign keys are dropped for the copy waits for no parent. */
        private boolean waitsForParents(MirroredTable t) {
            BatchLoader.Checkpoint checkpoint = checkpoints.get(t.target().name());
            return checkpoint == null || checkpoint.deferred().stream().noneMatch(sql -> sql.contains(" FOREIGN KEY "));
        }

        synchronized MirroredTable next() {
            while (!failed && !waiting.isEmpty()) {
                for (MirroredTable t : waiting) {
                    boolean ready = !waitsForParents(t) || t.target().foreignKeys().stream()
                            .map(Table.ForeignKey::referencedTable)
                            .filter(r -> !r.equalsIgnoreCase(t.target().name()) && names.contains(r))
                            .allMatch(done::contains);
                    if (ready) {
                        waiting.remove(t);
                        inFlight.add(t.target().name());
                        return t;
                    }
                }
                if (inFlight.isEmpty()) {
                    // a cycle of foreign keys: the first waiting table goes, and the new store decides
                    MirroredTable t = waiting.remove(0);
                    inFlight.add(t.target().name());
                    return t;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }

        synchronized void finished(MirroredTable t, boolean ok) {
            inFlight.remove(t.target().name());
            if (ok) {
                done.add(t.target().name());
            } else {
                failed = true;
            }
            notifyAll();
        }
    }
}
