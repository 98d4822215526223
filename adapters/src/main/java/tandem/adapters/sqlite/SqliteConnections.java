package tandem.adapters.sqlite;

import java.sql.SQLException;
import java.util.Map;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the physical SQLite connections HikariCP pools: with the store's pragmas, tandem's SQL
 * functions registered, and a {@link ConnectionState} recorded for each. HikariCP takes a
 * DataSource, and functions must be registered per connection, hence this small subclass.
 */
final class SqliteConnections extends SQLiteDataSource {

    private final boolean writer;
    private final String serverVersion;
    private final Map<SQLiteConnection, ConnectionState> states;

    SqliteConnections(String url, SQLiteConfig config, boolean writer, String serverVersion,
            Map<SQLiteConnection, ConnectionState> states) {
        super(config);
        setUrl(url);
        this.writer = writer;
        this.serverVersion = serverVersion;
        this.states = states;
    }

    boolean isWriter() {
        return writer;
    }

    @Override
    public SQLiteConnection getConnection(String username, String password) throws SQLException {
        SQLiteConnection connection = super.getConnection(username, password);
        try {
            ConnectionState state = new ConnectionState(connection, writer);
            SqliteFunctions.register(state, serverVersion);
            states.put(connection, state);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
