package tandem.core.mirror;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tandem.config.MigrationConfig;
import tandem.core.sql.ClassificationCache;
import tandem.core.store.SqlSession;
import tandem.core.store.Store;

/**
 * Everything that keeps the new store a copy of the old one, assembled from the config and both
 * stores' schemas: the mirror plan, the write rewriter, the live mirror, the repair log and its
 * drainer, and the set of tables whose reads must stay on the primary.
 *
 * <p>{@link #open} checks the plan (every problem at once), creates the repair log in the primary
 * and starts the drainer, which first takes whatever a previous run left in the log.
 */
public final class MirrorService implements AutoCloseable {

    private final MirroredTables tables;
    private final WriteRewriter rewriter;
    private final RepairLog repairLog;
    private final PendingRepairs pending;
    private final Mirror mirror;
    private final RepairDrainer drainer;
    private final Counter refused;
    private final Duration timeout;
    private final MeterRegistry registry;

    private MirrorService(MirroredTables tables, WriteRewriter rewriter, RepairLog repairLog, PendingRepairs pending,
            Mirror mirror, RepairDrainer drainer, Counter refused, Duration timeout, MeterRegistry registry) {
        this.tables = tables;
        this.rewriter = rewriter;
        this.repairLog = repairLog;
        this.pending = pending;
        this.mirror = mirror;
        this.drainer = drainer;
        this.refused = refused;
        this.timeout = timeout;
        this.registry = registry;
    }

    public static MirrorService open(MigrationConfig config, Store primary, Store secondary, MeterRegistry registry) {
        return open(config, primary, secondary, registry,
                RepairDrainer.Settings.forMirrorTimeout(config.mirrorTimeout()));
    }

    public static MirrorService open(MigrationConfig config, Store primary, Store secondary, MeterRegistry registry,
            RepairDrainer.Settings drain) {
        MirroredTables tables = MirroredTables.plan(config, primary, secondary);
        tables.log();
        RepairLog repairLog = primary.repairLog();
        repairLog.ensureCreated();
        WriteRewriter rewriter = new WriteRewriter(primary.kind(), name -> {
            MirroredTable table = tables.table(name);
            return table == null || table.mode() == MirroredTable.Mode.EXCLUDED ? null : table.source();
        });
        RowSync sync = RowSync.between(primary, secondary, tables);
        PendingRepairs pending = new PendingRepairs();
        Mirror mirror = new Mirror(sync, repairLog, pending, config.mirrorTimeout(), registry);
        RepairDrainer drainer = new RepairDrainer(sync, repairLog, pending, drain, registry, Clock.systemUTC());
        Counter refused = Counter.builder("tandem.statements.refused")
                .description("statements refused because they cannot be mirrored (DDL on a mirrored table, ...)")
                .register(registry);
        drainer.start();
        return new MirrorService(tables, rewriter, repairLog, pending, mirror, drainer, refused,
                config.mirrorTimeout(), registry);
    }

    public MirroredTables tables() {
        return tables;
    }

    public WriteRewriter rewriter() {
        return rewriter;
    }

    public CommitSync sync() {
        return mirror::committed;
    }

    public PendingRepairs pending() {
        return pending;
    }

    public RepairDrainer drainer() {
        return drainer;
    }

    /** Counts a statement refused because it cannot be mirrored. */
    public void refused() {
        refused.increment();
    }

    /**
     * Whether the secondary may serve reads of a table: mirrored by row (a table mirrored by
     * statement may differ in defaults and now()).
     */
    public boolean readable(String table) {
        MirroredTable t = tables.table(table);
        return t != null && t.mode() == MirroredTable.Mode.ROW;
    }

    /** A primary session that is not relayed (SQLite), made to capture its writes. */
    public SqlSession capture(SqlSession session, ClassificationCache classifier) {
        return new CapturingSession(session, rewriter, classifier, sync(), this::refused);
    }

    /** The mirror's part of {@code GET /api/status}. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("timeoutMillis", timeout.toMillis());
        Map<String, Object> byMode = new LinkedHashMap<>();
        for (MirroredTable.Mode mode : MirroredTable.Mode.values()) {
            byMode.put(mode.name().toLowerCase(java.util.Locale.ROOT), tables.tables().values().stream()
                    .filter(t -> t.mode() == mode).map(MirroredTable::name).toList());
        }
        status.put("tables", byMode);
        Map<String, Object> commits = new LinkedHashMap<>();
        commits.put("synced", count("synced"));
        commits.put("queued", count("queued"));
        status.put("commits", commits);
        RepairLog.Backlog backlog = drainer.backlog();
        Map<String, Object> repair = new LinkedHashMap<>();
        repair.put("backlogRows", backlog.rows());
        Instant oldest = backlog.oldest();
        repair.put("oldest", oldest == null ? null : oldest.toString());
        repair.put("pendingTables", pending.tables().stream().sorted().toList());
        repair.put("breaker", drainer.breakerState().name().toLowerCase(java.util.Locale.ROOT));
        status.put("repair", repair);
        status.put("refusedStatements", (long) refused.count());
        return status;
    }

    /** Stops the drainer and lets running syncs finish (their keys are in the repair log either way). */
    @Override
    public void close() {
        drainer.close();
        mirror.close();
    }

    private long count(String outcome) {
        Counter counter = registry.find("tandem.mirror").tag("outcome", outcome).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    RepairLog repairLog() {
        return repairLog;
    }
}
