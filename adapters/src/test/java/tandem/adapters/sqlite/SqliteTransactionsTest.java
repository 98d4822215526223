package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.adapters.sqlite.SqliteFixture.one;
import static tandem.adapters.sqlite.SqliteFixture.query;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.session.TransactionStatus;
import tandem.core.store.SqlSession;

class SqliteTransactionsTest {

    @TempDir
    Path dir;

    private SqliteFixture fixture;
    private SqlSession session;

    @BeforeEach
    void open() {
        fixture = SqliteFixture.create(dir, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
        session = fixture.session();
    }

    @AfterEach
    void close() {
        session.close();
        fixture.close();
    }

    private List<String> names() {
        try (SqlSession reader = fixture.session()) {
            return one(reader, "SELECT name FROM items ORDER BY id").column(0);
        }
    }

    private static void assertState(Throwable e, SqlState state) {
        assertThat(e).isInstanceOfSatisfying(ProxyException.class, p -> assertThat(p.state()).isEqualTo(state));
    }

    @Test
    void batchOutsideABlockIsOneTransactionThatRollsBackWhenAStatementFails() {
        assertThatThrownBy(() -> query(session, "INSERT INTO items (name) VALUES ('a')",
                "INSERT INTO items (name) VALUES ('b')", "INSERT INTO items (name) VALUES ('a')"))
                .satisfies(e -> assertState(e, SqlState.UNIQUE_VIOLATION));
        assertThat(names()).isEmpty();
        assertThat(session.status()).isEqualTo(TransactionStatus.IDLE);
    }

    @Test
    void batchCommitsAtItsEnd() {
        query(session, "INSERT INTO items (name) VALUES ('a')", "INSERT INTO items (name) VALUES ('b')");
        assertThat(names()).containsExactly("a", "b");
    }

    @Test
    void failedBatchEndedAsFailedRollsBackEvenWhenItsStatementsSucceeded() {
        session.beginBatch(true);
        one(session, "SELECT 1"); // a nested batch would be a bug: use the raw contract instead
        session.endBatch(false);
        session.beginBatch(true);
        SqliteFixture.run(session, session.prepare("INSERT INTO items (name) VALUES ('a')", List.of()), List.of());
        assertThat(session.endBatch(true)).isEqualTo(TransactionStatus.IDLE);
        assertThat(names()).isEmpty();
    }

    @Test
    void explicitBlockOutlivesBatchesUntilCommit() {
        query(session, "BEGIN", "INSERT INTO items (name) VALUES ('a')");
        assertThat(session.status()).isEqualTo(TransactionStatus.IN_TRANSACTION);
        assertThat(names()).isEmpty(); // not committed yet: other sessions do not see it
        query(session, "INSERT INTO items (name) VALUES ('b')");
        assertThat(query(session, "COMMIT").get(0).tag()).isEqualTo("COMMIT");
        assertThat(session.status()).isEqualTo(TransactionStatus.IDLE);
        assertThat(names()).containsExactly("a", "b");
    }

    @Test
    void rollbackUndoesTheBlock() {
        query(session, "BEGIN", "INSERT INTO items (name) VALUES ('a')");
        assertThat(query(session, "ROLLBACK").get(0).tag()).isEqualTo("ROLLBACK");
        assertThat(names()).isEmpty();
    }

    @Test
    void errorInABlockFailsItUntilRollback() {
        query(session, "BEGIN", "INSERT INTO items (name) VALUES ('a')");
        assertThatThrownBy(() -> query(session, "INSERT INTO items (name) VALUES ('a')"))
                .satisfies(e -> assertState(e, SqlState.UNIQUE_VIOLATION));
        assertThat(session.status()).isEqualTo(TransactionStatus.FAILED);
        assertThatThrownBy(() -> query(session, "SELECT 1"))
                .satisfies(e -> assertState(e, SqlState.IN_FAILED_SQL_TRANSACTION))
                .hasMessage("current transaction is aborted, commands ignored until end of transaction block");
        assertThatThrownBy(() -> session.prepare("INSERT INTO items (name) VALUES ('c')", List.of()))
                .satisfies(e -> assertState(e, SqlState.IN_FAILED_SQL_TRANSACTION));
        query(session, "ROLLBACK");
        assertThat(session.status()).isEqualTo(TransactionStatus.IDLE);
        assertThat(names()).isEmpty();
    }

    @Test
    void commitOfAFailedBlockRollsBackAndSaysSo() {
        query(session, "BEGIN", "INSERT INTO items (name) VALUES ('a')");
        assertThatThrownBy(() -> query(session, "SELECT * FROM missing")).satisfies(e -> assertState(e,
                SqlState.UNDEFINED_TABLE));
        assertThat(query(session, "COMMIT").get(0).tag()).isEqualTo("ROLLBACK");
        assertThat(names()).isEmpty();
        assertThat(session.status()).isEqualTo(TransactionStatus.IDLE);
    }

    @Test
    void failedParseInsideABlockFailsTheBlockAtTheBatchEnd() {
        query(session, "BEGIN");
        assertThatThrownBy(() -> session.prepare("SELEC 1", List.of())).satisfies(e -> assertState(e,
                SqlState.SYNTAX_ERROR));
        // the protocol half ends the batch without ever having begun one
        assertThat(session.endBatch(true)).isEqualTo(TransactionStatus.FAILED);
        query(session, "ROLLBACK");
    }

    @Test
    void savepointsRollBackPartOfABlock() {
        query(session, "BEGIN", "INSERT INTO items (name) VALUES ('a')", "SAVEPOINT s1",
                "INSERT INTO items (name) VALUES ('b')");
        assertThat(query(session, "ROLLBACK TO SAVEPOINT s1").get(0).tag()).isEqualTo("ROLLBACK");
        query(session, "INSERT INTO items (name) VALUES ('c')", "SAVEPOINT s2", "INSERT INTO items (name) VALUES ('d')");
        assertThat(query(session, "RELEASE SAVEPOINT s2").get(0).tag()).isEqualTo("RELEASE");
        query(session, "COMMIT");
        assertThat(names()).containsExactly("a", "c", "d");
    }

    @Test
    void rollbackToASavepointRecoversAFailedBlock() {
        query(session, "BEGIN", "INSERT INTO items (name) VALUES ('a')", "SAVEPOINT before_duplicate");
        assertThatThrownBy(() -> query(session, "INSERT INTO items (name) VALUES ('a')")).satisfies(e -> assertState(e,
                SqlState.UNIQUE_VIOLATION));
        assertThat(session.status()).isEqualTo(TransactionStatus.FAILED);
        query(session, "ROLLBACK TO before_duplicate");
        assertThat(session.status()).isEqualTo(TransactionStatus.IN_TRANSACTION);
        query(session, "INSERT INTO items (name) VALUES ('b')", "COMMIT");
        assertThat(names()).containsExactly("a", "b");
    }

    @Test
    void savepointsBeforeTheFirstStatementWorkOnceTheTransactionTakesAConnection() {
        query(session, "BEGIN", "SAVEPOINT early");
        query(session, "INSERT INTO items (name) VALUES ('a')");
        query(session, "ROLLBACK TO early", "INSERT INTO items (name) VALUES ('b')", "COMMIT");
        assertThat(names()).containsExactly("b");
    }

    @Test
    void savepointNeedsABlockAndAnExistingName() {
        assertThatThrownBy(() -> query(session, "SAVEPOINT s")).satisfies(e -> assertState(e,
                SqlState.NO_ACTIVE_SQL_TRANSACTION)).hasMessageContaining("can only be used in transaction blocks");
        query(session, "BEGIN");
        assertThatThrownBy(() -> query(session, "ROLLBACK TO nowhere")).satisfies(e -> assertState(e,
                SqlState.INVALID_SAVEPOINT_SPECIFICATION)).hasMessage("savepoint \"nowhere\" does not exist");
        query(session, "ROLLBACK");
    }

    @Test
    void commitInsideABatchCommitsWhatCameBeforeAndTheRestIsANewImplicitTransaction() {
        assertThatThrownBy(() -> query(session, "INSERT INTO items (name) VALUES ('a')", "COMMIT",
                "INSERT INTO items (name) VALUES ('b')", "INSERT INTO items (name) VALUES ('b')"))
                .satisfies(e -> assertState(e, SqlState.UNIQUE_VIOLATION));
        assertThat(names()).containsExactly("a");
    }

    @Test
    void beginInsideABatchTurnsItsImplicitTransactionIntoTheBlock() {
        query(session, "INSERT INTO items (name) VALUES ('a')", "BEGIN", "INSERT INTO items (name) VALUES ('b')");
        assertThat(session.status()).isEqualTo(TransactionStatus.IN_TRANSACTION);
        assertThat(names()).isEmpty();
        query(session, "ROLLBACK");
        assertThat(names()).isEmpty();
    }

    @Test
    void readOnlyBlockRefusesWrites() {
        query(session, "BEGIN READ ONLY", "SELECT count(*) FROM items");
        assertThatThrownBy(() -> query(session, "INSERT INTO items (name) VALUES ('a')"))
                .satisfies(e -> assertState(e, SqlState.READ_ONLY_SQL_TRANSACTION));
        query(session, "ROLLBACK");
        query(session, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "BEGIN");
        assertThatThrownBy(() -> query(session, "DELETE FROM items")).satisfies(e -> assertState(e,
                SqlState.READ_ONLY_SQL_TRANSACTION));
        query(session, "ROLLBACK");
    }

    @Test
    void acceptsEveryIsolationLevel() {
        for (String level : List.of("SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED")) {
            query(session, "BEGIN ISOLATION LEVEL " + level, "INSERT INTO items (name) VALUES ('" + level + "')");
            assertThat(query(session, "SHOW transaction_isolation").get(0).value()).isEqualTo(level.toLowerCase());
            query(session, "COMMIT");
        }
        query(session, "START TRANSACTION", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SELECT 1");
        assertThatThrownBy(() -> query(session, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
                .satisfies(e -> assertState(e, SqlState.ACTIVE_SQL_TRANSACTION));
        query(session, "ROLLBACK");
        assertThat(names()).hasSize(4);
    }

    @Test
    void setIsTransactional() {
        query(session, "BEGIN", "SET application_name = 'inside'");
        assertThat(query(session, "SHOW application_name").get(0).value()).isEqualTo("inside");
        query(session, "ROLLBACK");
        assertThat(query(session, "SHOW application_name").get(0).value()).isEmpty();

        query(session, "BEGIN", "SET application_name = 'kept'", "COMMIT");
        assertThat(query(session, "SHOW application_name").get(0).value()).isEqualTo("kept");

        assertThatThrownBy(() -> query(session, "SET application_name = 'lost'", "SELECT * FROM missing"))
                .satisfies(e -> assertState(e, SqlState.UNDEFINED_TABLE));
        assertThat(query(session, "SHOW application_name").get(0).value()).isEqualTo("kept");
    }

    @Test
    void setLocalLastsUntilTheTransactionEnds() {
        query(session, "BEGIN", "SET LOCAL statement_timeout = '5s'");
        assertThat(query(session, "SHOW statement_timeout").get(0).value()).isEqualTo("5s");
        query(session, "COMMIT");
        assertThat(query(session, "SHOW statement_timeout").get(0).value()).isEqualTo("0");
    }

    @Test
    void rollbackToASavepointUndoesSetsAfterIt() {
        query(session, "BEGIN", "SET application_name = 'one'", "SAVEPOINT s", "SET application_name = 'two'",
                "ROLLBACK TO s");
        assertThat(query(session, "SHOW application_name").get(0).value()).isEqualTo("one");
        query(session, "COMMIT");
        assertThat(query(session, "SHOW application_name").get(0).value()).isEqualTo("one");
    }

    @Test
    void deferredForeignKeysAreCheckedAtCommit() {
        try (var f = SqliteFixture.create(dir.resolve("fk").toFile().mkdirs() ? dir.resolve("fk") : dir.resolve("fk"),
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))");
                SqlSession s = f.session()) {
            query(s, "BEGIN", "SET CONSTRAINTS ALL DEFERRED", "INSERT INTO child VALUES (1, 7)",
                    "INSERT INTO parent VALUES (7)");
            assertThat(query(s, "COMMIT").get(0).tag()).isEqualTo("COMMIT");
            query(s, "BEGIN", "SET CONSTRAINTS ALL DEFERRED", "INSERT INTO child VALUES (2, 8)");
            assertThatThrownBy(() -> query(s, "COMMIT")).satisfies(e -> assertState(e, SqlState.FOREIGN_KEY_VIOLATION));
            assertThat(s.status()).isEqualTo(TransactionStatus.IDLE);
            assertThat(one(s, "SELECT count(*) FROM child").value()).isEqualTo("1");
        }
    }

    @Test
    void closingASessionRollsBackItsOpenBlock() {
        query(session, "BEGIN", "INSERT INTO items (name) VALUES ('a')");
        session.close();
        assertThat(names()).isEmpty();
        session = fixture.session();
    }
}
