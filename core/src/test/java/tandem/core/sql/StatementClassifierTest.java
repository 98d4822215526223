package tandem.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static tandem.core.sql.StatementKind.DDL;
import static tandem.core.sql.StatementKind.OTHER;
import static tandem.core.sql.StatementKind.READ;
import static tandem.core.sql.StatementKind.SESSION;
import static tandem.core.sql.StatementKind.TRANSACTION;
import static tandem.core.sql.StatementKind.WRITE;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatementClassifierTest {

    private final StatementClassifier classifier = new StatementClassifier();

    private Classification classify(String sql) {
        return classifier.classify(sql);
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT 1                                                   | READ        | SELECT
            select * from t                                            | READ        | SELECT
            VALUES (1), (2)                                            | READ        | SELECT
            TABLE t                                                    | READ        | SELECT
            WITH x AS (SELECT 1) SELECT * FROM x                       | READ        | SELECT
            (SELECT 1) UNION (SELECT 2)                                | READ        | SELECT
            ((SELECT 1))                                               | READ        | SELECT
            SELECT * FROM t FOR UPDATE                                 | READ        | SELECT
            EXPLAIN SELECT * FROM t                                    | READ        | EXPLAIN
            EXPLAIN (FORMAT JSON) DELETE FROM t                        | READ        | EXPLAIN
            EXPLAIN (ANALYZE false) SELECT 1                           | READ        | EXPLAIN
            FETCH NEXT FROM c                                          | READ        | FETCH
            MOVE FORWARD 5 IN c                                        | READ        | MOVE
            COPY t TO STDOUT                                           | READ        | COPY
            COPY (SELECT * FROM t) TO STDOUT WITH (FORMAT csv)         | READ        | COPY
            INSERT INTO t VALUES (1)                                   | WRITE       | INSERT
            UPDATE t SET a = 1                                         | WRITE       | UPDATE
            DELETE FROM t                                              | WRITE       | DELETE
            MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE | WRITE     | MERGE
            INSERT OR REPLACE INTO t VALUES (1)                        | WRITE       | INSERT
            INSERT OR IGNORE INTO t VALUES (1)                         | WRITE       | INSERT
            REPLACE INTO t VALUES (1)                                  | WRITE       | INSERT
            WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x      | WRITE       | SELECT
            WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x         | WRITE       | INSERT
            COPY t FROM STDIN                                          | WRITE       | COPY
            COPY t (a, b) FROM '/tmp/data.csv' WITH (FORMAT csv)       | WRITE       | COPY
            COPY (DELETE FROM t RETURNING *) TO STDOUT                 | WRITE       | COPY
            SELECT nextval('s')                                        | WRITE       | SELECT
            SELECT pg_catalog.setval('s', 10)                          | WRITE       | SELECT
            CREATE TABLE t (id int)                                    | DDL         | CREATE TABLE
            CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)                | DDL         | CREATE INDEX
            CREATE OR REPLACE VIEW v AS SELECT 1                       | DDL         | CREATE VIEW
            CREATE MATERIALIZED VIEW m AS SELECT 1 WITH NO DATA        | DDL         | CREATE MATERIALIZED VIEW
            CREATE MATERIALIZED VIEW m AS SELECT 1                     | DDL         | SELECT
            CREATE TABLE t2 AS SELECT * FROM t                         | DDL         | SELECT
            CREATE TABLE t2 AS SELECT * FROM t WITH NO DATA            | DDL         | CREATE TABLE AS
            CREATE OR REPLACE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql | DDL | CREATE FUNCTION
            CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$        | DDL         | CREATE PROCEDURE
            CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f() | DDL | CREATE TRIGGER
            CREATE USER bob                                            | DDL         | CREATE ROLE
            CREATE EXTENSION IF NOT EXISTS pgcrypto                    | DDL         | CREATE EXTENSION
            CREATE SEQUENCE s                                          | DDL         | CREATE SEQUENCE
            CREATE SCHEMA app                                          | DDL         | CREATE SCHEMA
            CREATE TYPE mood AS ENUM ('sad', 'ok')                     | DDL         | CREATE TYPE
            CREATE FOREIGN TABLE ft (a int) SERVER s                   | DDL         | CREATE FOREIGN TABLE
            ALTER TABLE t ADD COLUMN b int                             | DDL         | ALTER TABLE
            ALTER USER bob WITH PASSWORD 'x'                           | DDL         | ALTER ROLE
            ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob     | DDL         | ALTER DEFAULT PRIVILEGES
            DROP TABLE IF EXISTS t CASCADE                             | DDL         | DROP TABLE
            DROP MATERIALIZED VIEW m                                   | DDL         | DROP MATERIALIZED VIEW
            DROP OWNED BY bob                                          | DDL         | DROP OWNED
            TRUNCATE t                                                 | DDL         | TRUNCATE TABLE
            COMMENT ON TABLE t IS 'x'                                  | DDL         | COMMENT
            GRANT SELECT ON t TO bob                                   | DDL         | GRANT
            GRANT admin TO bob                                         | DDL         | GRANT ROLE
            REVOKE ALL ON t FROM bob                                   | DDL         | REVOKE
            REVOKE admin FROM bob                                      | DDL         | REVOKE ROLE
            REINDEX TABLE t                                            | DDL         | REINDEX
            CLUSTER t USING i                                          | DDL         | CLUSTER
            REFRESH MATERIALIZED VIEW CONCURRENTLY m                   | DDL         | REFRESH MATERIALIZED VIEW
            SECURITY LABEL ON TABLE t IS 'x'                           | DDL         | SECURITY LABEL
            SELECT * INTO t2 FROM t                                    | DDL         | SELECT
            IMPORT FOREIGN SCHEMA s FROM SERVER srv INTO app           | DDL         | IMPORT FOREIGN SCHEMA
            REASSIGN OWNED BY bob TO alice                             | DDL         | REASSIGN OWNED
            BEGIN                                                      | TRANSACTION | BEGIN
            START TRANSACTION                                          | TRANSACTION | START TRANSACTION
            COMMIT                                                     | TRANSACTION | COMMIT
            END                                                        | TRANSACTION | COMMIT
            ROLLBACK                                                   | TRANSACTION | ROLLBACK
            ABORT                                                      | TRANSACTION | ROLLBACK
            SAVEPOINT a                                                | TRANSACTION | SAVEPOINT
            RELEASE SAVEPOINT a                                        | TRANSACTION | RELEASE
            ROLLBACK TO SAVEPOINT a                                    | TRANSACTION | ROLLBACK
            PREPARE TRANSACTION 'g1'                                   | TRANSACTION | PREPARE TRANSACTION
            COMMIT PREPARED 'g1'                                       | TRANSACTION | COMMIT PREPARED
            ROLLBACK PREPARED 'g1'                                     | TRANSACTION | ROLLBACK PREPARED
            SET TRANSACTION ISOLATION LEVEL SERIALIZABLE               | TRANSACTION | SET
            SET search_path TO app                                     | SESSION     | SET
            SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY       | SESSION     | SET
            SET CONSTRAINTS ALL DEFERRED                               | SESSION     | SET CONSTRAINTS
            RESET ALL                                                  | SESSION     | RESET
            SHOW search_path                                           | SESSION     | SHOW
            DISCARD ALL                                                | SESSION     | DISCARD ALL
            DISCARD TEMPORARY                                          | SESSION     | DISCARD TEMP
            LISTEN ch                                                  | SESSION     | LISTEN
            UNLISTEN *                                                 | SESSION     | UNLISTEN
            NOTIFY ch, 'hi'                                            | SESSION     | NOTIFY
            PREPARE q (int) AS SELECT $1                               | SESSION     | PREPARE
            PREPARE transaction AS SELECT 1                            | SESSION     | PREPARE
            EXECUTE q (1)                                              | SESSION     | EXECUTE
            DEALLOCATE q                                               | SESSION     | DEALLOCATE
            DEALLOCATE PREPARE ALL                                     | SESSION     | DEALLOCATE ALL
            DECLARE c CURSOR FOR SELECT * FROM t                       | SESSION     | DECLARE CURSOR
            CLOSE c                                                    | SESSION     | CLOSE CURSOR
            CLOSE ALL                                                  | SESSION     | CLOSE CURSOR ALL
            LOAD 'auto_explain'                                        | SESSION     | LOAD
            CALL p(1)                                                  | OTHER       | CALL
            DO $$ BEGIN PERFORM 1; END $$                              | OTHER       | DO
            EXPLAIN ANALYZE SELECT 1                                   | OTHER       | EXPLAIN
            EXPLAIN ANALYSE VERBOSE SELECT 1                           | OTHER       | EXPLAIN
            EXPLAIN (ANALYZE, BUFFERS) SELECT 1                        | OTHER       | EXPLAIN
            EXPLAIN (ANALYZE on) SELECT 1                              | OTHER       | EXPLAIN
            EXPLAIN EXECUTE q(1)                                       | OTHER       | EXPLAIN
            VACUUM t                                                   | OTHER       | VACUUM
            ANALYZE t                                                  | OTHER       | ANALYZE
            CHECKPOINT                                                 | OTHER       | CHECKPOINT
            LOCK TABLE t IN ACCESS EXCLUSIVE MODE                      | OTHER       | LOCK TABLE
            COPY t TO '/tmp/out.csv'                                   | OTHER       | COPY
            PRAGMA foreign_keys = ON                                   | OTHER       | PRAGMA
            SELECT currval('s')                                        | OTHER       | SELECT
            SELECT pg_advisory_xact_lock(1)                            | OTHER       | SELECT
            SELECT pg_notify('ch', 'x')                                | OTHER       | SELECT
            """)
    void classifiesKindAndCommandTag(String sql, StatementKind kind, String command) {
        Classification classification = classify(sql);
        assertThat(classification.kind()).as(sql).isEqualTo(kind);
        assertThat(classification.command()).as(sql).isEqualTo(command);
    }

    @Test
    void emptyInputIsEmpty() {
        assertThat(classify("")).isEqualTo(Classification.EMPTY);
        assertThat(classify("  ;; -- nothing\n/* at all */").kind()).isEqualTo(StatementKind.EMPTY);
        assertThat(Classification.EMPTY.command()).isEmpty();
    }

    @Test
    void ignoresLeadingCommentsAndCase() {
        Classification classification = classify("/* app=web */ -- route me\n  dElEtE   FrOm T");
        assertThat(classification.kind()).isEqualTo(WRITE);
        assertThat(classification.command()).isEqualTo("DELETE");
        assertThat(classification.writeTables()).containsExactly(TableRef.of("t"));
    }

    @Test
    void trailingSemicolonIsIgnored() {
        assertThat(classify("SELECT 1;").kind()).isEqualTo(READ);
        assertThat(classify("INSERT INTO t VALUES (1) ; ; ").kind()).isEqualTo(WRITE);
    }

    @Test
    void quotedKeywordDoesNotStartAStatement() {
        assertThat(classify("\"select\" 1").kind()).isEqualTo(OTHER);
    }

    @Test
    void keywordsInsideStringsCommentsAndDollarQuotesDoNotMatter() {
        Classification classification = classify(
                "SELECT 'DELETE FROM t; INSERT INTO u VALUES (1)', $$UPDATE v SET a = 1$$ /* DROP TABLE w */ FROM x");
        assertThat(classification.kind()).isEqualTo(READ);
        assertThat(classification.writeTables()).isEmpty();
        assertThat(classification.readTables()).containsExactly(TableRef.of("x"));
    }

    @Test
    void dataModifyingCteMakesTheStatementAWrite() {
        Classification classification = classify(
                "WITH moved AS (DELETE FROM inbox WHERE id = $1 RETURNING *) INSERT INTO archive SELECT * FROM moved");
        assertThat(classification.kind()).isEqualTo(WRITE);
        assertThat(classification.command()).isEqualTo("INSERT");
        assertThat(classification.writeTables()).containsExactly(TableRef.of("inbox"), TableRef.of("archive"));
        assertThat(classification.readTables()).isEmpty();
    }

    @Test
    void dataModifyingCteIsFoundAtAnyDepthAndWithMaterializedHints() {
        assertThat(classify("WITH a AS MATERIALIZED (SELECT 1), b AS NOT MATERIALIZED (UPDATE t SET x = 1 RETURNING x) "
                + "SELECT * FROM a, b").kind()).isEqualTo(WRITE);
        assertThat(classify("SELECT * FROM (WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d) s").kind())
                .isEqualTo(WRITE);
    }

    @Test
    void lockingReadsStayReadsButAreFlagged() {
        for (String lock : new String[] {"FOR UPDATE", "FOR SHARE", "FOR NO KEY UPDATE", "FOR KEY SHARE",
                "FOR UPDATE OF t SKIP LOCKED", "for update nowait"}) {
            Classification classification = classify("SELECT * FROM t WHERE id = 1 " + lock);
            assertThat(classification.kind()).as(lock).isEqualTo(READ);
            assertThat(classification.lockingRead()).as(lock).isTrue();
            assertThat(classification.writeTables()).as(lock).isEmpty();
        }
        assertThat(classify("SELECT * FROM t").lockingRead()).isFalse();
        assertThat(classify("SELECT substring(s FROM 1 FOR 2) FROM t").lockingRead()).isFalse();
    }

    @Test
    void onConflictDoUpdateIsAWriteOnTheInsertTargetOnly() {
        Classification classification = classify(
                "INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, seen = now()");
        assertThat(classification.kind()).isEqualTo(WRITE);
        assertThat(classification.command()).isEqualTo("INSERT");
        assertThat(classification.writeTables()).containsExactly(TableRef.of("users"));
        assertThat(classification.readTables()).isEmpty();
    }

    @Test
    void mergeWritesItsTargetAndReadsItsSource() {
        Classification classification = classify("""
                MERGE INTO stock s USING deliveries d ON s.item = d.item
                WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty
                WHEN NOT MATCHED THEN INSERT (item, qty) VALUES (d.item, d.qty)""");
        assertThat(classification.kind()).isEqualTo(WRITE);
        assertThat(classification.command()).isEqualTo("MERGE");
        assertThat(classification.writeTables()).containsExactly(TableRef.of("stock"));
        assertThat(classification.readTables()).containsExactly(TableRef.of("deliveries"));
    }

    @Test
    void returningIsTopLevelOnly() {
        assertThat(classify("INSERT INTO t VALUES (1) RETURNING id").returning()).isTrue();
        assertThat(classify("UPDATE t SET a = 1 WHERE id IN (SELECT id FROM u) RETURNING *").returning()).isTrue();
        assertThat(classify("DELETE FROM t RETURNING id").returning()).isTrue();
        assertThat(classify("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x").returning()).isFalse();
        assertThat(classify("INSERT INTO t VALUES ('RETURNING') -- RETURNING id").returning()).isFalse();
        assertThat(classify("INSERT INTO t (\"returning\") VALUES (1)").returning()).isFalse();
        assertThat(classify("SELECT 1 AS returning_id").returning()).isFalse();
    }

    @Test
    void selectIntoCreatesATable() {
        Classification classification = classify("SELECT a, b INTO TABLE t2 FROM t WHERE a > 1");
        assertThat(classification.kind()).isEqualTo(DDL);
        assertThat(classification.readTables()).containsExactly(TableRef.of("t"));
        assertThat(classification.sessionFeatures()).isEmpty();
    }

    @Test
    void unknownFunctionInSelectIsStillARead() {
        assertThat(classify("SELECT lower(name), count(*) FROM t GROUP BY 1").kind()).isEqualTo(READ);
    }

    @Test
    void configuredWriteFunctionsMakeSelectAWrite() {
        StatementClassifier custom = new StatementClassifier(Set.of("Archive_Order"));
        assertThat(custom.classify("SELECT archive_order($1)").kind()).isEqualTo(WRITE);
        assertThat(classify("SELECT archive_order($1)").kind()).isEqualTo(READ);
    }

    @Test
    void malformedStatementsAreOther() {
        assertThat(classify("SELECT 'unterminated").kind()).isEqualTo(OTHER);
        assertThat(classify("SELECT 1 /* open comment").kind()).isEqualTo(OTHER);
        assertThat(classify("SELECT \\ 1").kind()).isEqualTo(OTHER);
        assertThat(classify("INSERT t VALUES (1)").kind()).isEqualTo(OTHER);
        assertThat(classify("DELETE t").kind()).isEqualTo(OTHER);
        assertThat(classify("UPDATE t WHERE x").kind()).isEqualTo(OTHER);
        assertThat(classify("(DELETE FROM t)").kind()).isEqualTo(OTHER);
        assertThat(classify("42").kind()).isEqualTo(OTHER);
        assertThat(classify("START").kind()).isEqualTo(OTHER);
    }

    @Test
    void severalStatementsAreOtherWithEverythingTheyDo() {
        Classification classification = classify("SELECT * FROM a; DELETE FROM b; LISTEN ch");
        assertThat(classification.kind()).isEqualTo(OTHER);
        assertThat(classification.command()).isEqualTo("SELECT");
        assertThat(classification.writeTables()).containsExactly(TableRef.of("b"));
        assertThat(classification.readTables()).containsExactly(TableRef.of("a"));
        assertThat(classification.sessionFeatures()).containsExactly(SessionFeature.LISTEN);
    }

    @Test
    void beginAtomicFunctionBodyIsOneStatement() {
        Classification classification = classify("""
                CREATE FUNCTION f() RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                  SELECT pg_advisory_lock(1);
                  DELETE FROM t;
                END;""");
        assertThat(classification.kind()).isEqualTo(DDL);
        assertThat(classification.command()).isEqualTo("CREATE FUNCTION");
        assertThat(classification.writeTables()).isEmpty();
        assertThat(classification.sessionFeatures()).isEmpty();
    }

    @Test
    void copyFromWritesItsTableAndCopyToReadsIt() {
        assertThat(classify("COPY app.\"Users\" (id, name) FROM STDIN WITH (FORMAT binary)").writeTables())
                .containsExactly(TableRef.of("app", "Users"));
        assertThat(classify("COPY t TO STDOUT").readTables()).containsExactly(TableRef.of("t"));
        Classification query = classify("COPY (SELECT * FROM a JOIN b USING (id)) TO STDOUT");
        assertThat(query.readTables()).containsExactly(TableRef.of("a"), TableRef.of("b"));
        assertThat(query.writeTables()).isEmpty();
    }

    @Test
    void truncateWritesEveryNamedTable() {
        Classification classification = classify("TRUNCATE TABLE ONLY a, app.b *, \"C\" RESTART IDENTITY CASCADE");
        assertThat(classification.kind()).isEqualTo(DDL);
        assertThat(classification.writeTables())
                .containsExactly(TableRef.of("a"), TableRef.of("app", "b"), TableRef.of("C"));
    }

    @Test
    void explainReportsTheTablesItPlansButTouchesNothing() {
        Classification classification = classify("EXPLAIN UPDATE t SET a = 1 FROM u WHERE t.id = u.id");
        assertThat(classification.kind()).isEqualTo(READ);
        assertThat(classification.writeTables()).isEmpty();
        assertThat(classification.readTables()).containsExactlyInAnyOrder(TableRef.of("t"), TableRef.of("u"));
        Classification analyze = classify("EXPLAIN ANALYZE DELETE FROM t");
        assertThat(analyze.kind()).isEqualTo(OTHER);
        assertThat(analyze.writeTables()).containsExactly(TableRef.of("t"));
    }

    @Test
    void classificationsAreImmutable() {
        Classification classification = classify("SELECT * FROM t");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> classification.readTables().add(TableRef.of("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> classification.sessionFeatures().add(SessionFeature.LOAD))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
