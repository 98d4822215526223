package tandem.adapters.mirror;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.testing.Stores;
import tandem.adapters.testing.TcpForwarder;
import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.MigrationConfig;
import tandem.core.mirror.Changes;
import tandem.core.mirror.Key;
import tandem.core.mirror.MirroredTables;

/**
 * A PostgreSQL primary with the repair log and a PostgreSQL secondary reached through a
 * {@link TcpForwarder} that a test cuts to take it down. Tables: {@code users (id int PK, name)}
 * and {@code posts (id int PK, user_id REFERENCES users, title)}. Client transactions write their
 * rows and repair-log entries together, as the write path does.
 */
final class MirrorFixture implements AutoCloseable {

    private static final String SCHEMA_USERS = "CREATE TABLE users (id int PRIMARY KEY, name text)";
    private static final String SCHEMA_POSTS = "CREATE TABLE posts (id int PRIMARY KEY, user_id int NOT NULL "
            + "REFERENCES users, title text)";

    final TestDatabase oldDb;
    final TestDatabase newDb;
    final TcpForwarder forwarder;
    final PostgresStore old;
    final PostgresStore pg;
    final MirroredTables plan;

    MirrorFixture(TestDatabase oldDb) throws IOException {
        this.oldDb = oldDb;
        this.newDb = TestPostgres.shared().createDatabase("mirror_new");
        oldDb.execute(SCHEMA_USERS, SCHEMA_POSTS);
        newDb.execute(SCHEMA_USERS, SCHEMA_POSTS);
        forwarder = new TcpForwarder(oldDb.host(), oldDb.port());
        old = Stores.postgres("old", oldDb);
        pg = Stores.postgres("new", forwarder.jdbcUrl(newDb.name()), newDb);
        old.repairLog().ensureCreated();
        plan = MirroredTables.plan(MigrationConfig.defaults(), old, pg);
    }

    /** A client transaction on the primary: inserts or updates the user and writes its entry; returns its changes. */
    Changes writeUser(int id, String name) {
        return write("INSERT INTO users VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name", "users",
                id, name);
    }

    Changes writePost(int id, int userId) {
        try (Connection c = oldDb.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO posts VALUES (?, ?, 'hello')")) {
                ps.setInt(1, id);
                ps.setInt(2, userId);
                ps.executeUpdate();
            }
            String token = entry(c, "posts", id);
            c.commit();
            return new Changes(token, Map.of("posts", Set.of(Key.of(id))));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Changes write(String sql, String table, int id, String value) {
        try (Connection c = oldDb.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, id);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            String token = entry(c, table, id);
            c.commit();
            return new Changes(token, Map.of(table, Set.of(Key.of(id))));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String entry(Connection c, String table, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tandem.repair_log (token, table_name, key) "
                + "SELECT pg_current_xact_id()::text, '" + table + "', jsonb_build_array(id) FROM " + table
                + " WHERE id = ? RETURNING token")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    List<List<Object>> newRows(String table) throws SQLException {
        return RowSyncIT.rows(newDb, "SELECT * FROM " + table + " ORDER BY id");
    }

    List<List<Object>> oldRows(String table) throws SQLException {
        return RowSyncIT.rows(oldDb, "SELECT * FROM " + table + " ORDER BY id");
    }

    /** Waits for a condition that background work makes true, checking often, failing after 10 s. */
    static void eventually(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 10 s: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    @Override
    public void close() throws IOException {
        old.close();
        pg.close();
        forwarder.close();
    }
}
