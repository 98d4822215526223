package tandem.adapters.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A database of its own for one test class, on the shared test PostgreSQL server. */
public record TestDatabase(String host, int port, String name, String user, String password) {

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /** Runs each statement in autocommit mode, failing on the first error. */
    public void execute(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The environment psql and pgbench need to reach this database without a password prompt. */
    public java.util.Map<String, String> libpqEnvironment() {
        return java.util.Map.of("PGHOST", host, "PGPORT", Integer.toString(port), "PGDATABASE", name,
                "PGUSER", user, "PGPASSWORD", password);
    }
}
