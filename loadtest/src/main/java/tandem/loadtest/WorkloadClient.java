package tandem.loadtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of a workload: a connection of its own, operations drawn from the mix until the
 * limit says stop. An operation that fails is counted under its SQLSTATE, its transaction rolled
 * back, and the client goes on, on a new connection if the old one was lost.
 */
final class WorkloadClient implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WorkloadClient.class);

    private static final long RECONNECT_PAUSE_NANOS = 50_000_000;

    private final int index;
    private final WorkloadOptions options;
    private final Limit limit;
    private final Random random;
    private final ClientStats stats = new ClientStats();
    private final Operations operations;
    private Connection connection;

    WorkloadClient(int index, WorkloadOptions options, Keys keys, Limit limit, String runId) {
        this.index = index;
        this.options = options;
        this.limit = limit;
        this.random = new Random(options.seed() + index);
        this.operations = new Operations(random, keys, stats, "lt-" + runId + "-" + index + "-");
    }

    ClientStats stats() {
        return stats;
    }

    @Override
    public void run() {
        try {
            while (limit.another()) {
                Operation op = options.mix().pick(random);
                long start = System.nanoTime();
                try {
                    if (connection == null) {
                        connect();
                    }
                    Operation ran = operations.perform(op);
                    stats.succeeded(ran, System.nanoTime() - start);
                } catch (SQLException | RuntimeException e) {
                    stats.failed(op, SqlStates.of(e), String.valueOf(e.getMessage()));
                    log.debug("client {}: {} failed: {}", index, op.key(), e.getMessage(), e);
                    recover(e);
                    if (connection == null) {
                        // the server is unreachable or just dropped us: do not spin at full speed on it
                        LockSupport.parkNanos(RECONNECT_PAUSE_NANOS);
                    }
                }
            }
        } finally {
            close();
        }
    }

    private void connect() throws SQLException {
        connection = DriverManager.getConnection(options.url(), options.user(), options.password());
        operations.connection(connection);
    }

    /** Ends the failed transaction; drops a lost connection so the next operation opens a new one. */
    private void recover(Exception failure) {
        if (connection == null) {
            return;
        }
        try {
            if (SqlStates.connectionLost(failure) || connection.isClosed()) {
                close();
                return;
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            log.debug("client {}: could not roll back after a failure, reconnecting: {}", index, e.getMessage());
            close();
        }
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("client {}: closing its connection failed: {}", index, e.getMessage());
            }
            connection = null;
        }
    }
}
