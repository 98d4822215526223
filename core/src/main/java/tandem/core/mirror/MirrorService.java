package tandem.core.mirror;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tandem.config.MigrationConfig;
import tandem.core.lifecycle.Guard;
import tandem.core.metrics.MetricNames;
import tandem.core.route.ReadRouter;
import tandem.core.route.ReadShare;
import tandem.core.session.AdmissionGate;
import tandem.core.session.MirroredSession;
import tandem.core.session.SessionPolicy;
import tandem.core.sql.ClassificationCache;
import tandem.core.store.ReadQueries;
import tandem.core.store.SqlSession;
import tandem.core.store.Store;
import tandem.core.verify.ShadowReads;
import tandem.core.verify.ChangedRows;
import tandem.core.verify.SyncedRowCheck;

/**
 * Everything that keeps the new store a copy of the old one, assembled from the config and both
 * stores' schemas: the mirror plan, the write rewriter, the live mirror, the repair log and its
 * drainer, and the set of tables whose reads must stay on the primary.
 *
 * <p>{@link #open} checks the plan (every problem at once), creates the repair log in the primary
 * and starts the drainer, which first takes whatever a previous run left in the log.
 */
public final class MirrorService implements AutoCloseable {

    /** Keys of rows written since the last clean verification kept for the cutover's check, at most. */
    private static final int CHANGED_ROWS_KEPT = 200_000;

    private final MirroredTables tables;
    private final WriteRewriter rewriter;
    private final PendingRepairs pending;
    private final Mirror mirror;
    private final RepairDrainer drainer;
    private final Counter refused;
    private final Duration timeout;
    private final MeterRegistry registry;
    private final ReadRouter router;
    private final ShadowReads shadow;
    private final ReadQueries secondaryReads;
    private final SyncedRowCheck check;
    private final ChangedRows changed;
    private final Guard guard;
    private final String primaryName;

    private MirrorService(MirroredTables tables, WriteRewriter rewriter, PendingRepairs pending,
            Mirror mirror, RepairDrainer drainer, Counter refused, Duration timeout, MeterRegistry registry,
            ReadRouter router, ShadowReads shadow, ReadQueries secondaryReads, SyncedRowCheck check, ChangedRows changed,
            Guard guard, String primaryName) {
        this.tables = tables;
        this.rewriter = rewriter;
        this.pending = pending;
        this.mirror = mirror;
        this.drainer = drainer;
        this.refused = refused;
        this.timeout = timeout;
        this.registry = registry;
        this.router = router;
        this.shadow = shadow;
        this.secondaryReads = secondaryReads;
        this.check = check;
        this.changed = changed;
        this.guard = guard;
        this.primaryName = primaryName;
    }

    public static MirrorService open(MigrationConfig config, Store primary, Store secondary, ReadShare share,
            MeterRegistry registry) {
        return open(config, primary, secondary, share, registry,
                RepairDrainer.Settings.forMirrorTimeout(config.mirrorTimeout()));
    }

    public static MirrorService open(MigrationConfig config, Store primary, Store secondary, ReadShare share,
            MeterRegistry registry, RepairDrainer.Settings drain) {
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
        RepairDrainer drainer = new RepairDrainer(sync, repairLog, pending, drain, registry, Clock.systemUTC(),
                secondary.name());
        Counter refused = Counter.builder(MetricNames.REFUSED)
                .description("statements refused because they cannot be mirrored (DDL on a mirrored table, ...)")
                .register(registry);
        ReadRouter router = new ReadRouter(share, name -> {
            MirroredTable t = tables.table(name);
            return t != null && t.mode() == MirroredTable.Mode.ROW;
        }, pending::contains, new SplittableRandom());
        ShadowReads shadow = config.shadowSample() > 0 ? new ShadowReads(config.shadowSample(), primary.readQueries(),
                secondary.readQueries(), registry, new SplittableRandom()) : null;
        SyncedRowCheck check = new SyncedRowCheck(tables, primary.rowReader(), secondary.rowReader(), pending,
                SyncedRowCheck.Settings.defaults(), registry);
        mirror.onSynced(check::synced);
        Guard guard = new Guard(config.guard());
        if (shadow != null) {
            shadow.onCompared(guard::shadow);
        }
        drainer.start();
        return new MirrorService(tables, rewriter, pending, mirror, drainer, refused,
                config.mirrorTimeout(), registry, router, shadow, secondary.readQueries(), check,
                new ChangedRows(CHANGED_ROWS_KEPT, Clock.systemUTC()), guard, primary.name());
    }

    public MirroredTables tables() {
        return tables;
    }

    /** The rows written on the primary since the last clean verification, for the cutover's check. */
    public ChangedRows changedRows() {
        return changed;
    }

    /** Mirrors a committed transaction; the guard counts the syncs that did not reach the secondary in time. */
    public CommitSync sync() {
        return (changes, replays) -> {
            changed.changed(changes);
            return mirror.committed(changes, replays).whenComplete((outcome, failure) -> {
                if (!changes.isEmpty() || !replays.isEmpty()) {
                    guard.mirror(outcome != Mirror.Outcome.SYNCED);
                }
            });
        };
    }

    /** Watches the secondary while it serves reads; the controller listens for its trips. */
    public Guard guard() {
        return guard;
    }

    public PendingRepairs pending() {
        return pending;
    }

    public RepairDrainer drainer() {
        return drainer;
    }

    /** A primary session that is not relayed (SQLite), made to carry out {@code policy}: mirror its writes, route its reads. */
    public SqlSession mirrored(SqlSession session, SessionPolicy policy, ClassificationCache classifier) {
        return new MirroredSession(session, policy, classifier, secondaryReads, Counter.builder(MetricNames.QUERIES)
                .tag("route", "secondary").tag("outcome", "ok").register(registry));
    }

    /**
     * What sessions do with their statements while this mirror runs, their admission through
     * {@code gate}: reads go to the secondary only for tables mirrored by row (one mirrored by
     * statement may differ in defaults and now()) and without pending repairs.
     */
    public SessionPolicy policy(AdmissionGate gate) {
        return new SessionPolicy(router, shadow, rewriter, sync(), refused, Counter.builder(MetricNames.QUERIES)
                .tag("route", "secondary").tag("outcome", "fallback").register(registry), gate, guard, primaryName);
    }

    /** The mirror's part of {@code GET /api/status}. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("timeoutMillis", timeout.toMillis());
        Map<String, Object> byMode = new LinkedHashMap<>();
        for (MirroredTable.Mode mode : MirroredTable.Mode.values()) {
            byMode.put(mode.name().toLowerCase(Locale.ROOT), tables.tables().values().stream()
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
        List<Map<String, Object>> waiting = new ArrayList<>();
        for (RepairLog.TableBacklog t : backlog.tables()) {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("table", t.table());
            table.put("rows", t.rows());
            table.put("oldest", t.oldest().toString());
            table.put("attempts", t.attempts());
            table.put("lastError", t.lastError());
            waiting.add(table);
        }
        repair.put("tables", waiting);
        repair.put("breaker", drainer.breakerState().name().toLowerCase(Locale.ROOT));
        status.put("repair", repair);
        status.put("refusedStatements", (long) refused.count());
        Map<String, Object> rechecked = new LinkedHashMap<>();
        for (String outcome : List.of("match", "mismatch", "error")) {
            Counter c = registry.find(MetricNames.VERIFY_SYNCED).tag("outcome", outcome).counter();
            rechecked.put(outcome, c == null ? 0 : (long) c.count());
        }
        status.put("syncedRowCheck", rechecked);
        return status;
    }

    /** Stops the drainer and lets running syncs finish (their keys are in the repair log either way). */
    @Override
    public void close() {
        guard.close();
        if (shadow != null) {
            shadow.close();
        }
        check.close();
        drainer.close();
        mirror.close();
    }

    private long count(String outcome) {
        Counter counter = registry.find(MetricNames.MIRROR).tag("outcome", outcome).counter();
        return counter == null ? 0 : (long) counter.count();
    }

}
