package tandem.core.metrics;

/**
 * Every metric tandem publishes, in Micrometer's dotted form; Prometheus sees them with underscores
 * and its unit suffixes ({@code tandem.queries} is {@code tandem_queries_total}). Dashboards and
 * alert rules depend on these names: change them only with the deploy files.
 */
public final class MetricNames {

    /** Client batches by {@code route} (primary, secondary) and {@code outcome} (ok, error, fallback). */
    public static final String QUERIES = "tandem.queries";
    /** Time from a batch's first message to its ReadyForQuery, by {@code store} (old, new). */
    public static final String QUERY_TIME = "tandem.query";
    /** Client sessions logged in now. */
    public static final String SESSIONS = "tandem.sessions";
    /** Server connections of the relay pools, by {@code store} and {@code state} (active, idle, waiting, total). */
    public static final String POOL_CONNECTIONS = "tandem.pool.connections";
    /** Share of eligible reads served by the secondary, 0 to 100. */
    public static final String READ_PERCENT = "tandem.reads.percent";
    /** Shadow reads compared, by {@code table} and {@code outcome} (match, mismatch, error, skipped). */
    public static final String SHADOW_COMPARISONS = "tandem.shadow.comparisons";
    /** Sampled reads not compared because the shadow comparisons fell behind. */
    public static final String SHADOW_DROPPED = "tandem.shadow.dropped";
    /** Dual writes: committed transactions synced to the secondary, by {@code outcome} (synced, queued). */
    public static final String MIRROR = "tandem.mirror";
    /** Time a commit waited for its sync (until synced, or queued to the repair log). */
    public static final String MIRROR_TIME = "tandem.mirror.sync";
    /** Rows the live mirror synced to the secondary. */
    public static final String MIRROR_ROWS = "tandem.mirror.rows";
    /** Rows waiting in the repair log. */
    public static final String REPAIR_BACKLOG = "tandem.repair.backlog.rows";
    /** Age of the oldest repair-log entry. */
    public static final String REPAIR_OLDEST = "tandem.repair.oldest.seconds";
    /** Rows the drainer synced from the repair log. */
    public static final String REPAIR_DRAINED = "tandem.repair.drained";
    /**
     * Transactions the drainer tried to sync, by {@code outcome} (synced, failed) and {@code cause}
     * (none; foreign_key, unavailable, transient, constraint, data, unreadable_key, other).
     */
    public static final String REPAIR_ATTEMPTS = "tandem.repair.attempts";
    /** State of the circuit breaker guarding the secondary: 0 closed, 1 open, 2 half-open. */
    public static final String REPAIR_BREAKER = "tandem.repair.breaker.state";
    /** Rows the backfill read from the old store and loaded into the new one, by {@code table}. */
    public static final String BACKFILL_ROWS = "tandem.backfill.rows";
    /** Rows of a table the backfill has yet to copy, by {@code table}. */
    public static final String BACKFILL_REMAINING = "tandem.backfill.remaining.rows";
    /** Synced rows read again from both stores a few seconds later, by {@code outcome} (match, mismatch, error). */
    public static final String VERIFY_SYNCED = "tandem.verify.synced";
    /** Statements refused because tandem cannot mirror them (DDL on mirrored tables, ...). */
    public static final String REFUSED = "tandem.refused";
    /** Counter, tag {@code signal}: the guard's trips, each of which sent reads back to the old store. */
    public static final String GUARD_TRIPS = "tandem.guard.trips";
    /** Gauge, tag {@code phase}: 1 for the migration's current phase, 0 for the others. */
    public static final String PHASE = "tandem.migration.phase";
    /** Gauge: the read-shift plan's stage (1-based), 0 before the plan starts. */
    public static final String PLAN_STAGE = "tandem.migration.plan.stage";

    private MetricNames() {
    }
}
