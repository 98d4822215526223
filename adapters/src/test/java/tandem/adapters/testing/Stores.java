package tandem.adapters.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.sqlite.SqliteStore;
import tandem.config.SqliteConfig;

/** Opens real stores for tests: a SQLite file with a schema, a PostgreSQL store over a test database. */
public final class Stores {

    private Stores() {
    }

    /** Creates {@code dir/name} with the statements run on it, and opens a store over it. */
    public static SqliteStore sqlite(Path dir, String name, String... schema) {
        Path file = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : schema) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return SqliteStore.open("old", file, new SqliteConfig(Duration.ofSeconds(5), 4), Duration.ofSeconds(5),
                Clock.systemUTC());
    }

    /** A direct JDBC connection to a SQLite file, as an application beside tandem would write it. */
    public static Connection sqliteConnection(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = ON");
            s.execute("PRAGMA busy_timeout = 5000");
        }
        return c;
    }

    public static PostgresStore postgres(String name, TestDatabase db) {
        return postgres(name, db.jdbcUrl(), db);
    }

    /** A store over {@code url} (e.g. through a {@link TcpForwarder}) with the test database's credentials. */
    public static PostgresStore postgres(String name, String url, TestDatabase db) {
        return PostgresStore.open(name, url, db.user(), db.password(), Duration.ofSeconds(1), 8);
    }
}
