package tandem.loadtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.loadtest.WorkloadResult.Latency;
import tandem.loadtest.WorkloadResult.OperationStats;

/**
 * Drives a PostgreSQL-protocol endpoint — tandem, or a PostgreSQL server directly — with
 * concurrent clients over the demo schema ({@link DemoSchema}): inserts with ids from the client,
 * from {@code gen_random_uuid()} and from identity columns, updates and deletes of rows the clients
 * created, multi-statement transactions, rollbacks (some failing on a deliberate unique violation),
 * and reads. The SQL keeps to what tandem's SQLite emulation also takes, so the same workload runs
 * against a SQLite-backed tandem.
 *
 * <pre>{@code
 * WorkloadResult r = new Workload(WorkloadOptions.of(url, "app", "secret").withClients(8)
 *         .withDuration(Duration.ofSeconds(30))).run();
 * }</pre>
 *
 * Before the clients start, it creates one hot user with {@code hotRows} content rows, which every
 * client updates, and reads a sample of the keys already there.
 */
public final class Workload {

    private static final Logger log = LoggerFactory.getLogger(Workload.class);

    private final WorkloadOptions options;
    private volatile Limit limit;
    private volatile boolean stopped;

    public Workload(WorkloadOptions options) {
        this.options = options;
    }

    /** Runs the clients until the options' limit, and reports. Fails only if the endpoint cannot be prepared. */
    public WorkloadResult run() throws SQLException, InterruptedException {
        // ids are random and emails carry a run id, so runs against the same database never collide
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Keys keys;
        try (Connection c = DriverManager.getConnection(options.url(), options.user(), options.password())) {
            keys = Keys.prepare(c, options.hotRows(), runId, new Random(options.seed()));
        } catch (SQLException e) {
            String hint = "42P01".equals(e.getSQLState()) ? " (the demo schema is missing: create it, e.g. with run "
                    + "--create-schema against PostgreSQL)" : "";
            throw new SQLException("preparing the workload on " + options.url() + ": " + e.getMessage() + hint,
                    e.getSQLState(), e);
        }
        log.info("run {}: {} clients, mix {}, hot user {}, {} users, {} content and {} events known to start with",
                runId, options.clients(), options.mix(), keys.hotUser, keys.users.size(), keys.content.size(),
                keys.events.size());

        limit = new Limit(options.duration(), options.operations());
        if (stopped) {
            limit.stop(); // told to stop before it started
        }
        List<WorkloadClient> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < options.clients(); i++) {
            WorkloadClient client = new WorkloadClient(i, options, keys, limit, runId);
            clients.add(client);
            threads.add(Thread.ofPlatform().name("workload-client-" + i).start(client));
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            stop();
            for (Thread t : threads) {
                t.join();
            }
            Thread.currentThread().interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return merge(elapsed, clients);
    }

    /** Lets every client finish the operation it is in, then stops them; {@link #run()} then reports. */
    public void stop() {
        stopped = true;
        Limit l = limit;
        if (l != null) {
            l.stop();
        }
    }

    private WorkloadResult merge(Duration elapsed, List<WorkloadClient> clients) {
        Map<Operation, Histogram> latencies = new EnumMap<>(Operation.class);
        Map<Operation, long[]> counts = new EnumMap<>(Operation.class);
        Map<String, Long> expected = new TreeMap<>();
        Map<String, Long> unexpected = new TreeMap<>();
        Map<String, String> messages = new TreeMap<>();
        Map<String, Long> anomalies = new TreeMap<>();
        Histogram all = ClientStats.histogram();
        for (WorkloadClient client : clients) {
            ClientStats s = client.stats();
            s.latencies.forEach((op, h) -> {
                latencies.computeIfAbsent(op, o -> ClientStats.histogram()).add(h);
                all.add(h);
            });
            s.failed.forEach((op, n) -> counts.computeIfAbsent(op, o -> new long[2])[0] += n);
            s.noRow.forEach((op, n) -> counts.computeIfAbsent(op, o -> new long[2])[1] += n);
            s.expectedErrors.forEach((k, v) -> expected.merge(k, v, Long::sum));
            s.unexpectedErrors.forEach((k, v) -> unexpected.merge(k, v, Long::sum));
            s.errorMessages.forEach(messages::putIfAbsent);
            s.anomalies.forEach((k, v) -> anomalies.merge(k, v, Long::sum));
        }
        Map<Operation, OperationStats> operations = new EnumMap<>(Operation.class);
        for (Operation op : Operation.values()) {
            Histogram h = latencies.get(op);
            long[] failedAndNoRow = counts.getOrDefault(op, new long[2]);
            long succeeded = h == null ? 0 : h.getTotalCount();
            if (succeeded + failedAndNoRow[0] > 0) {
                operations.put(op, new OperationStats(succeeded, failedAndNoRow[0], failedAndNoRow[1],
                        h == null ? Latency.of(ClientStats.histogram()) : Latency.of(h)));
            }
        }
        return new WorkloadResult(elapsed, clients.size(), operations, expected, unexpected, messages, anomalies,
                Latency.of(all));
    }
}
