package tandem.core.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tandem.core.error.ProxyException;
import tandem.core.metrics.MetricNames;
import tandem.core.sql.Classification;
import tandem.core.store.ReadQueries;
import tandem.core.store.SqlSession;
import tandem.core.type.PgType;

/**
 * Shadow reads: a sample of the reads the primary serves runs again on both stores, off the
 * client's path, and the answers are compared by meaning (as sets unless the statement orders its
 * rows). A difference is read once more after a short pause before it counts, so a write that
 * landed between the two reads is not reported as a mismatch; what remains is counted per table
 * ({@code tandem_shadow_comparisons_total{table,outcome}}) and the first few are logged with the statement and
 * a diff.
 *
 * <p>Both stores are read by tandem rather than capturing the rows the client got: the relay hands
 * rows on without decoding them, and a sampled read costs the primary one more query instead of
 * costing every read a copy. Work is dropped, and counted, rather than queued without bound when
 * the stores are slower than the sample rate.
 */
public final class ShadowReads implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShadowReads.class);
    private static final int MAX_ROWS = 10_000;
    private static final int LOGGED_MISMATCHES = 5;
    private static final long RECHECK_PAUSE_MILLIS = 200;

    private final double sample;
    private final ReadQueries primary;
    private final ReadQueries secondary;
    private final MeterRegistry registry;
    private final RandomGenerator random;
    private final ThreadPoolExecutor executor;
    private final Counter dropped;
    private final AtomicInteger logged = new AtomicInteger();
    private volatile java.util.function.Consumer<Boolean> onCompared = mismatch -> { };

    public ShadowReads(double sample, ReadQueries primary, ReadQueries secondary, MeterRegistry registry,
            RandomGenerator random) {
        this.sample = sample;
        this.primary = primary;
        this.secondary = secondary;
        this.registry = registry;
        this.random = random;
        this.executor = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                Thread.ofPlatform().daemon().name("tandem-shadow-", 0).factory(), new ThreadPoolExecutor.AbortPolicy());
        this.dropped = Counter.builder(MetricNames.SHADOW_DROPPED)
                .description("sampled reads not compared because comparisons fell behind").register(registry);
    }

    /** Told of each comparison that completed: whether the answers differed (the guard's mismatch rate). */
    public void onCompared(java.util.function.Consumer<Boolean> listener) {
        this.onCompared = listener;
    }

    /** Whether this read is one of the sample; called on every eligible read, so cheap. */
    public boolean sampled() {
        return sample > 0 && (sample >= 1 || random.nextDouble() < sample);
    }

    /**
     * Compares a read on both stores, later and elsewhere; each table it reads is counted with the
     * outcome.
     */
    public void submit(String sql, List<Object> parameters, Classification read) {
        Set<String> tables = read.readTables().stream().map(t -> t.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        try {
            executor.execute(() -> compare(sql, parameters, tables));
        } catch (RejectedExecutionException full) {
            dropped.increment();
        }
    }

    private void compare(String sql, List<Object> parameters, Set<String> tables) {
        try {
            ResultComparison diff = run(sql, parameters);
            if (diff != null && !diff.same()) {
                Thread.sleep(RECHECK_PAUSE_MILLIS);
                diff = run(sql, parameters);
            }
            if (diff == null) {
                count(tables, "skipped");
            } else if (diff.same()) {
                count(tables, "match");
                onCompared.accept(false);
            } else {
                count(tables, "mismatch");
                onCompared.accept(true);
                if (logged.getAndIncrement() < LOGGED_MISMATCHES) {
                    log.warn("shadow read mismatch on {}: the new store answers differently from the old one; run the "
                            + "verifier on these tables\n  query: {}\n  parameters: {}\n  {}", tables, sql, parameters,
                            diff.describe());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ProxyException e) {
            count(tables, "error");
            log.debug("shadow read failed ({}): {}", sql, e.getMessage());
        } catch (RuntimeException e) {
            count(tables, "error");
            log.warn("shadow read failed unexpectedly ({})", sql, e);
        }
    }

    /** Both answers compared, or null when either is too large to compare. */
    private ResultComparison run(String sql, List<Object> parameters) {
        Answer left = read(primary, sql, parameters);
        Answer right = read(secondary, sql, parameters);
        if (left == null || right == null) {
            return null;
        }
        List<PgType> types = new ArrayList<>(left.types());
        for (int i = 0; i < types.size() && i < right.types().size(); i++) {
            if (types.get(i) != right.types().get(i)) {
                types.set(i, null); // compare by the values' own meaning
            }
        }
        boolean ordered = RowOrder.ordersRows(sql);
        return ordered ? Equivalence.compareInOrder(left.names(), types, left.rows(), right.rows())
                : Equivalence.compareInAnyOrder(left.names(), types, left.rows(), right.rows());
    }

    private record Answer(List<String> names, List<PgType> types, List<Object[]> rows) {
    }

    private static Answer read(ReadQueries store, String sql, List<Object> parameters) {
        try (SqlSession.Cursor cursor = store.query(sql, parameters)) {
            List<SqlSession.Column> columns = cursor.columns();
            List<Object[]> rows = new ArrayList<>();
            while (cursor.next()) {
                if (rows.size() == MAX_ROWS) {
                    return null;
                }
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = cursor.value(i);
                }
                rows.add(row);
            }
            return new Answer(columns.stream().map(SqlSession.Column::name).toList(),
                    columns.stream().map(SqlSession.Column::type).toList(), rows);
        }
    }

    private void count(Set<String> tables, String outcome) {
        for (String table : tables) {
            Counter.builder(MetricNames.SHADOW_COMPARISONS).tag("table", table).tag("outcome", outcome)
                    .description("shadow reads compared, by table and outcome").register(registry).increment();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
