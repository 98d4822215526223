package tandem.adapters.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A pooled SQLite connection a session holds for one transaction: the writer or a reader.
 * Transaction control runs as plain SQL on the physical connection (JDBC auto-commit stays on),
 * so that BEGIN IMMEDIATE, savepoints and the moment of COMMIT are tandem's to choose.
 */
final class Lease {

    final Connection pooled;
    final ConnectionState state;

    Lease(Connection pooled, ConnectionState state) {
        this.pooled = pooled;
        this.state = state;
    }

    boolean isWriter() {
        return state.writer;
    }

    void execute(String sql) throws SQLException {
        try (Statement s = state.connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** Rolls back whatever is open; SQLite may already have rolled back after some errors, which is fine. */
    void rollbackQuietly() {
        try {
            execute("ROLLBACK");
        } catch (SQLException alreadyEnded) {
            // "cannot rollback - no transaction is active"
        }
    }

    /** Back to the pool, without any session's context. */
    void release() {
        state.detach();
        try {
            pooled.close();
        } catch (SQLException e) {
            // HikariCP logs a connection it cannot return and replaces it
        }
    }
}
