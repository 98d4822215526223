package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.config.PoolMode;
import tandem.proxy.e2e.RawClient.Message;

/**
 * The same protocol conversations, message by message, with tandem in front of PostgreSQL (which
 * relays the server's own answers) and with tandem emulating PostgreSQL over SQLite: the message
 * sequence, command tags, row counts, transaction states and error codes must be the same.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolParityIT {

    private Proxy postgres;
    private Proxy sqlite;

    @BeforeAll
    void start(TestDatabase db, @TempDir Path dir) throws Exception {
        postgres = Proxy.postgres(db, PoolMode.SESSION);
        Path file = dir.resolve("parity.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute("PRAGMA journal_mode=WAL");
        }
        sqlite = Proxy.sqlite(file, "parity");
    }

    @AfterAll
    void stop() {
        postgres.close();
        sqlite.close();
    }

    private interface Conversation {
        List<Message> run(RawClient client) throws Exception;
    }

    private void same(String name, Conversation conversation) throws Exception {
        List<Message> expected;
        List<Message> actual;
        try (RawClient c = RawClient.login("127.0.0.1", postgres.port(), "app", postgres.database())) {
            expected = conversation.run(c);
        }
        try (RawClient c = RawClient.login("127.0.0.1", sqlite.port(), "app", sqlite.database())) {
            actual = conversation.run(c);
        }
        assertThat(actual).as(name).isEqualTo(expected);
    }

    @Test
    void simpleQueriesAnswerAlike() throws Exception {
        same("setup", c -> c.query("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)").await(1));
        same("empty query", c -> c.query("").await(1));
        same("only a semicolon", c -> c.query(";").await(1));
        same("several statements, one message", c -> c.query("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c'); "
                + "UPDATE items SET v = 'x' WHERE id <= 2; SELECT * FROM items ORDER BY id; DELETE FROM items WHERE id = 3;"
                + "SELECT count(*) FROM items").await(1));
        same("an error stops the rest and rolls the message back", c -> {
            var first = c.query("INSERT INTO items VALUES (10, 'gone'); SELECT 1/0; INSERT INTO items VALUES (11, 'never')")
                    .await(1);
            var after = c.query("SELECT count(*) FROM items WHERE id >= 10").await(1);
            return concat(first, after);
        });
        same("transaction states", c -> c.query("BEGIN").query("INSERT INTO items VALUES (20, 'tx')")
                .query("SELECT * FROM no_such_table").query("SELECT 1").query("COMMIT").query("SELECT count(*) FROM items")
                .await(6));
        same("savepoints", c -> c.query("BEGIN; INSERT INTO items VALUES (30, 'kept'); SAVEPOINT s; "
                + "INSERT INTO items VALUES (31, 'undone'); ROLLBACK TO SAVEPOINT s; RELEASE s; COMMIT").query(
                        "SELECT id FROM items WHERE id >= 30 ORDER BY id").await(2));
    }

    @Test
    void extendedQueriesAnswerAlike() throws Exception {
        same("setup", c -> c.query("CREATE TABLE rows (id INTEGER PRIMARY KEY, v TEXT); "
                + "INSERT INTO rows VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')").await(1));
        same("describe, bind, execute with a row limit", c -> c
                .parse("s1", "SELECT id, v FROM rows WHERE id > $1 ORDER BY id", 23)
                .describe('S', "s1")
                .bind("p1", "s1", "1")
                .describe('P', "p1")
                .execute("p1", 2)
                .execute("p1", 2)
                .execute("p1", 2)
                .close('P', "p1")
                .sync().await(1));
        same("unnamed statement and portal, pipelined batches", c -> c
                .parse("", "INSERT INTO rows VALUES ($1, $2)", 23, 25).bind("", "", "6", "f").execute("", 0).sync()
                .parse("", "UPDATE rows SET v = $1 WHERE id > $2", 25, 23).bind("", "", "z", "4").execute("", 0).sync()
                .parse("", "DELETE FROM rows WHERE id = $1", 23).bind("", "", "6").execute("", 0).sync()
                .await(3));
        same("an error skips the batch up to Sync", c -> c
                .parse("", "SELECT * FROM no_such_table").bind("", "").execute("", 0)
                .parse("", "SELECT 1").bind("", "").execute("", 0).sync()
                .parse("", "SELECT 2").bind("", "").execute("", 0).sync()
                .await(2));
        same("statements by name", c -> c
                .parse("named", "SELECT v FROM rows WHERE id = $1", 23).sync()
                .bind("", "named", "2").execute("", 0).sync()
                .parse("named", "SELECT 1").sync()
                .close('S', "named").sync()
                .bind("", "named", "2").execute("", 0).sync()
                .await(5));
        same("a statement that returns no rows", c -> c
                .parse("", "UPDATE rows SET v = v WHERE id = 1").describe('S', "").bind("", "").describe('P', "")
                .execute("", 0).sync().await(1));
        same("a batch is one transaction", c -> {
            var batch = c.parse("", "INSERT INTO rows VALUES ($1, 'tx')", 23).bind("", "", "100").execute("", 0)
                    .bind("", "", "100").execute("", 0).sync().await(1);
            var after = c.query("SELECT count(*) FROM rows WHERE id = 100").await(1);
            return concat(batch, after);
        });
    }

    private static List<Message> concat(List<Message> a, List<Message> b) {
        var all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
