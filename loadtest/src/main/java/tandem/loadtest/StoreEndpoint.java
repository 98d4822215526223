package tandem.loadtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.sqlite.SQLiteConfig;

/**
 * Where a store is: a JDBC URL ({@code jdbc:sqlite:/path/app.db} or {@code jdbc:postgresql://...})
 * and, for PostgreSQL, who to log in as.
 */
public record StoreEndpoint(String url, String user, String password) {

    public StoreEndpoint {
        if (url == null || !(url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("'" + url + "' is neither a SQLite nor a PostgreSQL JDBC URL (expected: "
                    + "jdbc:sqlite:/path/app.db or jdbc:postgresql://host:port/database)");
        }
    }

    public static StoreEndpoint of(String url) {
        return new StoreEndpoint(url, null, null);
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /**
     * A connection that cannot write: a SQLite file is opened read-only (it is never created, and a
     * live tandem's writes go on beside the reader), a PostgreSQL session is set read-only.
     */
    public Connection connectReadOnly() throws SQLException {
        if (isSqlite()) {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            return DriverManager.getConnection(url, config.toProperties());
        }
        Connection c = DriverManager.getConnection(url, user, password);
        c.setReadOnly(true);
        return c;
    }

    @Override
    public String toString() {
        return user == null ? url : user + " at " + url;
    }
}
