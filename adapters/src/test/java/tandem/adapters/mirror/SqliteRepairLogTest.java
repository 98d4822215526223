package tandem.adapters.mirror;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.sqlite.SqliteStore;
import tandem.adapters.testing.Stores;
import tandem.core.mirror.Key;
import tandem.core.mirror.KeyCodec;
import tandem.core.store.Store;

/** The repair log of a SQLite primary, its entries written as the emulation writes them (KeyCodec.encode). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteRepairLogTest extends RepairLogContract {

    private Path file;
    private SqliteStore store;
    private int tokens;

    @BeforeAll
    void open(@TempDir Path dir) {
        store = Stores.sqlite(dir, "app.db", "CREATE TABLE items (id TEXT PRIMARY KEY, label TEXT)",
                "CREATE TABLE pairs (org TEXT, member INTEGER, PRIMARY KEY (org, member))");
        file = dir.resolve("app.db");
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
        return Key.of(UUID.randomUUID().toString());
    }

    @Override
    String writeItem(Key key, boolean commit) {
        return write(commit, "INSERT INTO items VALUES ('" + key.values().get(0) + "', 'x')", "items", key);
    }

    @Override
    String writePair(String org, int member) {
        return write(true, "INSERT INTO pairs VALUES ('" + org + "', " + member + ")", "pairs", Key.of(org, (long) member));
    }

    @Override
    void writeEntryOfDroppedTable() {
        write(true, "SELECT 1", "gone", Key.of(1L));
    }

    private synchronized String write(boolean commit, String row, String table, Key key) {
        String token = "sqlite-" + (++tokens);
        try (Connection c = Stores.sqliteConnection(file); Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute(row);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tandem_repair_log (token, table_name, key) "
                    + "VALUES (?, ?, ?)")) {
                ps.setString(1, token);
                ps.setString(2, table);
                ps.setString(3, KeyCodec.encode(key));
                ps.executeUpdate();
            }
            s.execute(commit ? "COMMIT" : "ROLLBACK");
            return token;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
