package tandem.adapters.mirror;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.Stores;
import tandem.adapters.testing.TestDatabase;
import tandem.core.mirror.Key;
import tandem.core.store.Store;

/** The repair log of a PostgreSQL primary, its entries written as the rewriter writes them. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRepairLogIT extends RepairLogContract {

    private TestDatabase db;
    private PostgresStore store;

    @BeforeAll
    void open(TestDatabase db) {
        this.db = db;
        db.execute("CREATE TABLE items (id uuid PRIMARY KEY, label text)",
                "CREATE TABLE pairs (org text, member int, PRIMARY KEY (org, member))");
        store = Stores.postgres("old", db);
    }

    @AfterAll
    void close() {
        store.close();
    }

    @Override
    Store store() {
        return store;
    }

    @Override
    Key itemKey() {
        return Key.of(UUID.randomUUID());
    }

    @Override
    String writeItem(Key key, boolean commit) {
        return inTransaction(commit, "INSERT INTO items VALUES (?, 'x')", key.values().get(0),
                "SELECT pg_current_xact_id()::text, 'items', jsonb_build_array(id) FROM items WHERE id = ?");
    }

    @Override
    String writePair(String org, int member) {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pairs VALUES (?, ?)")) {
                ps.setString(1, org);
                ps.setInt(2, member);
                ps.executeUpdate();
            }
            String token = entry(c, "SELECT pg_current_xact_id()::text, 'pairs', jsonb_build_array(org, member) "
                    + "FROM pairs WHERE org = ?", org);
            c.commit();
            return token;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    void writeEntryOfDroppedTable() {
        db.execute("INSERT INTO tandem.repair_log (token, table_name, key) VALUES ('t-gone', 'gone', '[1]')");
    }

    private String inTransaction(boolean commit, String insert, Object id, String entry) {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            String token = entry(c, entry, id);
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
            return token;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As the rewriter does: INSERT INTO tandem.repair_log ... RETURNING token, in the client's transaction. */
    private static String entry(Connection c, String select, Object parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tandem.repair_log (token, table_name, key) "
                + select + " RETURNING token")) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
