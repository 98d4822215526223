package tandem.adapters.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.sqlite.SQLiteConnection;

import tandem.core.error.ProxyException;
import tandem.core.type.PgSessionSettings;

/**
 * What tandem keeps for one physical SQLite connection: its prepared statements, and the
 * session currently holding it, which tandem's SQL functions ask for the transaction's time and
 * zone.
 *
 * <p>SQLite prepares statements per connection, and a client's statement runs on whichever pooled
 * connection its transaction gets, so each connection caches the statements it has seen, bounded
 * and least recently used first out. The statements are prepared on the physical connection, not
 * HikariCP's proxy, which would close them whenever the connection went back to the pool.
 */
final class ConnectionState {

    /** What tandem's functions need from the session that holds the connection. */
    interface Session {
        Instant transactionStart();

        Instant statementStart();

        /** The clock's current time, for clock_timestamp(). */
        Instant now();

        PgSessionSettings settings();

        String setting(String name);

        String user();

        String database();
    }

    /** A session that has not taken the connection: UTC, the current time. */
    static final Session NO_SESSION = new Session() {
        @Override
        public Instant transactionStart() {
            return Instant.now();
        }

        @Override
        public Instant statementStart() {
            return Instant.now();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public PgSessionSettings settings() {
            return PgSessionSettings.DEFAULT.with("timezone", "UTC");
        }

        @Override
        public String setting(String name) {
            throw new ProxyException(tandem.core.error.SqlState.UNDEFINED_OBJECT,
                    "unrecognized configuration parameter \"" + name + "\"");
        }

        @Override
        public String user() {
            return "";
        }

        @Override
        public String database() {
            return "";
        }
    };

    static final int MAX_STATEMENTS = 256;

    /** A statement prepared on this connection, with its shape; one user at a time. */
    static final class Cached {
        final String sql;
        final PreparedStatement statement;
        final StatementShape shape;
        /** The schema_version the shape was read under. */
        final long generation;
        boolean inUse;
        boolean evicted;

        Cached(String sql, PreparedStatement statement, StatementShape shape, long generation) {
            this.sql = sql;
            this.statement = statement;
            this.shape = shape;
            this.generation = generation;
        }
    }

    final SQLiteConnection connection;
    final boolean writer;
    private final Map<String, Cached> statements = new LinkedHashMap<>(64, 0.75f, true);
    private PreparedStatement schemaVersion;
    private volatile Session session = NO_SESSION;
    /** The error a tandem function raised in the statement that is running, with its SQLSTATE. */
    private volatile ProxyException functionError;

    ConnectionState(SQLiteConnection connection, boolean writer) {
        this.connection = connection;
        this.writer = writer;
    }

    Session session() {
        return session;
    }

    void attach(Session holder) {
        session = holder;
        functionError = null;
    }

    void detach() {
        session = NO_SESSION;
        functionError = null;
    }

    void functionFailed(ProxyException e) {
        functionError = e;
    }

    /** The error a function raised since the last call, if any; clears it. */
    ProxyException takeFunctionError() {
        ProxyException e = functionError;
        functionError = null;
        return e;
    }

    /**
     * SQLite's schema cookie as this connection sees it now (in its transaction's snapshot, if
     * any). Reading it also makes SQLite notice a schema another connection changed, which a bare
     * prepare would not.
     */
    synchronized long schemaVersion() throws SQLException {
        if (schemaVersion == null) {
            // the table-valued form verifies the connection's cached schema; a bare PRAGMA schema_version does not
            schemaVersion = connection.prepareStatement("SELECT schema_version FROM pragma_schema_version");
        }
        try (var rs = schemaVersion.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A prepared statement for {@code sql}: the cached one when it is free and its shape was read
     * under {@code schemaVersion} (any version when that is -1: SQLite re-prepares a statement by
     * itself when the schema changes; only the shape tandem read could be stale), else a new one,
     * cached unless another user holds the cached one.
     */
    synchronized Cached statement(String sql, long schemaVersion) throws SQLException {
        Cached cached = statements.get(sql);
        if (cached != null && !cached.inUse) {
            if (schemaVersion < 0 || cached.generation == schemaVersion) {
                cached.inUse = true;
                return cached;
            }
            statements.remove(sql);
            cached.statement.close();
            cached = null;
        }
        PreparedStatement ps = connection.prepareStatement(sql);
        Cached fresh;
        try {
            fresh = new Cached(sql, ps, StatementShape.of(ps), schemaVersion);
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
        fresh.inUse = true;
        if (cached == null) {
            statements.put(sql, fresh);
            evictBeyondLimit();
        } else {
            fresh.evicted = true; // a second concurrent use of one text: not cached
        }
        return fresh;
    }

    synchronized void release(Cached cached) {
        cached.inUse = false;
        if (cached.evicted) {
            closeQuietly(cached);
        }
    }

    private void evictBeyondLimit() {
        Iterator<Cached> oldest = statements.values().iterator();
        while (statements.size() > MAX_STATEMENTS && oldest.hasNext()) {
            Cached c = oldest.next();
            oldest.remove();
            c.evicted = true;
            if (!c.inUse) {
                closeQuietly(c);
            }
        }
    }

    private static void closeQuietly(Cached c) {
        try {
            c.statement.close();
        } catch (SQLException ignored) {
            // the connection is going away or the statement was already finalized
        }
    }

    synchronized int cachedStatements() {
        return statements.size();
    }
}
