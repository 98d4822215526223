package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * COPY FROM STDIN over a SQLite old store, through pgjdbc's CopyManager: rows in text and csv,
 * and every way a COPY fails (a row with too many fields, a broken key, the client's abandon,
 * binary format) fails whole, with PostgreSQL's SQLSTATE, and leaves the session usable.
 */
class CopySqliteIT {

    @TempDir
    Path dir;

    private Proxy proxy;
    private Connection c;
    private CopyManager copy;

    @BeforeEach
    void start() throws Exception {
        proxy = Proxy.sqlite(Files.createFile(dir.resolve("app.db")), "app");
        c = proxy.connect();
        copy = c.unwrap(PGConnection.class).getCopyAPI();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE owners (id serial PRIMARY KEY, name text NOT NULL)");
            s.execute("CREATE TABLE items (id serial PRIMARY KEY, owner_id integer REFERENCES owners (id), name text)");
            s.execute("INSERT INTO owners (name) VALUES ('ann')");
        }
    }

    @AfterEach
    void stop() throws SQLException {
        c.close();
        proxy.close();
    }

    private long count() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void fails(String sql, String data, String state) {
        assertThatThrownBy(() -> copy.copyIn(sql, new StringReader(data))).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(state));
    }

    @Test
    void copiesTextAndCsvRows() throws Exception {
        assertThat(copy.copyIn("COPY items (owner_id, name) FROM STDIN", new StringReader("1\tone\n\\N\ttwo\\ttab\n")))
                .isEqualTo(2);
        assertThat(copy.copyIn("COPY items (owner_id, name) FROM STDIN WITH (FORMAT csv, HEADER true)",
                new StringReader("owner_id,name\n1,\"a, \"\"b\"\"\"\n,\n"))).isEqualTo(2);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT coalesce(owner_id::text, 'null'), coalesce(name, 'null') FROM items ORDER BY id")) {
            StringBuilder rows = new StringBuilder();
            while (rs.next()) {
                rows.append(rs.getString(1)).append('|').append(rs.getString(2)).append('\n');
            }
            assertThat(rows.toString()).isEqualTo("1|one\nnull|two\ttab\n1|a, \"b\"\nnull|null\n");
        }
    }

    @Test
    void copiedRowsAreMirroredToTheNewStore() throws Exception {
        Path file = dir.resolve("mirrored.db");
        try (Connection sqlite = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = sqlite.createStatement()) {
            s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty int4)");
        }
        tandem.adapters.testing.TestDatabase newDb = tandem.adapters.testing.TestPostgres.shared()
                .createDatabase("copy_new");
        newDb.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, qty integer)");
        tandem.config.StoreConfig newStore = tandem.config.StoreConfig.postgres(newDb.jdbcUrl(), newDb.user(),
                newDb.password().isEmpty() ? null : newDb.password());
        try (Proxy mirrored = Proxy.start(tandem.config.TandemConfig.builder().database("app")
                .oldStore(tandem.config.StoreConfig.sqlite(file)).newStore(newStore), "app");
                Connection client = mirrored.connect()) {
            CopyManager api = client.unwrap(PGConnection.class).getCopyAPI();
            assertThat(api.copyIn("COPY items (id, name, qty) FROM STDIN", new StringReader("1\tapple\t3\n2\tpear\t\\N\n")))
                    .isEqualTo(2);
        }
        try (Connection c2 = newDb.connect(); Statement s = c2.createStatement();
                ResultSet rs = s.executeQuery("SELECT string_agg(id || ':' || name || ':' || coalesce(qty::text, 'null'), "
                        + "',' ORDER BY id) FROM items")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("1:apple:3,2:pear:null");
        }
    }

    @Test
    void aFailingCopyInsertsNothingAndTheSessionGoesOn() throws Exception {
        fails("COPY items (owner_id, name) FROM STDIN", "1\tok\n1\ttoo\tmany\n", "22P04");
        fails("COPY items (owner_id, name) FROM STDIN", "1\tok\n9\tno owner\n", "23503");
        fails("COPY items (owner_id, name) FROM STDIN WITH (FORMAT binary)", "", "0A000");
        fails("COPY nothing FROM STDIN", "", "42P01");
        CopyIn abandoned = copy.copyIn("COPY items (owner_id, name) FROM STDIN");
        byte[] row = "1\tkept?\n".getBytes();
        abandoned.writeToCopy(row, 0, row.length);
        try {
            abandoned.cancelCopy();
        } catch (SQLException e) {
            assertThat(e.getSQLState()).isEqualTo("57014");
        }
        assertThat(count()).isZero();
        c.setAutoCommit(false);
        copy.copyIn("COPY items (owner_id, name) FROM STDIN", new StringReader("1\tin a transaction\n"));
        assertThat(count()).isEqualTo(1);
        c.rollback();
        c.setAutoCommit(true);
        assertThat(count()).isZero();
    }
}
