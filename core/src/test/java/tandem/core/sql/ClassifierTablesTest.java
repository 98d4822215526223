package tandem.core.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassifierTablesTest {

    private final StatementClassifier classifier = new StatementClassifier();

    private Classification classify(String sql) {
        return classifier.classify(sql);
    }

    private static TableRef t(String name) {
        return TableRef.of(name);
    }

    @Test
    void readsTablesAfterFromAndJoin() {
        Classification classification = classify("""
                SELECT * FROM orders o
                JOIN customers c ON c.id = o.customer_id
                LEFT OUTER JOIN addresses AS a ON a.id = c.address_id
                CROSS JOIN regions
                NATURAL JOIN zones""");
        assertThat(classification.readTables())
                .containsExactly(t("orders"), t("customers"), t("addresses"), t("regions"), t("zones"));
    }

    @Test
    void readsEveryTableInACommaSeparatedFromList() {
        assertThat(classify("SELECT * FROM a, b AS x, c y, ONLY d, e * WHERE a.id = b.id").readTables())
                .containsExactly(t("a"), t("b"), t("c"), t("d"), t("e"));
    }

    @Test
    void commaAfterAJoinConditionStartsAnotherTable() {
        assertThat(classify("SELECT * FROM a JOIN b ON a.id = b.id, c WHERE true").readTables())
                .containsExactly(t("a"), t("b"), t("c"));
    }

    @Test
    void normalizesSchemaQualifiedAndQuotedNames() {
        assertThat(classify("SELECT * FROM App.Users JOIN \"App\".\"Users\" USING (id) JOIN db.s.t ON true").readTables())
                .containsExactly(TableRef.of("app", "users"), TableRef.of("App", "Users"), TableRef.of("s", "t"));
    }

    @Test
    void readsTablesInSubqueriesAndCtes() {
        Classification classification = classify("""
                WITH recent AS (SELECT * FROM events WHERE at > now() - interval '1 day')
                SELECT * FROM recent r
                WHERE r.user_id IN (SELECT id FROM users WHERE active)
                  AND EXISTS (SELECT 1 FROM bans b WHERE b.user_id = r.user_id)""");
        assertThat(classification.readTables()).containsExactly(t("events"), t("users"), t("bans"));
    }

    @Test
    void excludesCteNamesButNotSchemaQualifiedTablesOfTheSameName() {
        Classification classification = classify(
                "WITH RECURSIVE tree(id) AS (SELECT id FROM nodes UNION ALL SELECT n.id FROM nodes n JOIN tree ON true) "
                        + "SELECT * FROM tree, app.tree");
        assertThat(classification.readTables()).containsExactly(t("nodes"), TableRef.of("app", "tree"));
    }

    @Test
    void excludesFunctionsInFrom() {
        assertThat(classify("SELECT * FROM generate_series(1, 10) g, unnest(ARRAY[1]) WITH ORDINALITY u(x, n), t").readTables())
                .containsExactly(t("t"));
        assertThat(classify("SELECT * FROM ROWS FROM (generate_series(1, 2), unnest(ARRAY[3])) AS r").readTables())
                .isEmpty();
        assertThat(classify("SELECT * FROM t CROSS JOIN LATERAL jsonb_array_elements(t.data) e").readTables())
                .containsExactly(t("t"));
    }

    @Test
    void fromInsideFunctionArgumentsIsNotATable() {
        Classification classification = classify("""
                SELECT extract(year FROM created), substring(name FROM 2 FOR 3), trim(BOTH ' ' FROM name),
                       a IS DISTINCT FROM b, a IS NOT DISTINCT FROM c
                FROM people""");
        assertThat(classification.readTables()).containsExactly(t("people"));
    }

    @Test
    void readsLateralAndDerivedTables() {
        Classification classification = classify(
                "SELECT * FROM a LEFT JOIN LATERAL (SELECT * FROM b WHERE b.a_id = a.id LIMIT 1) x ON true, (VALUES (1)) v(n)");
        assertThat(classification.readTables()).containsExactly(t("a"), t("b"));
    }

    @Test
    void readsTablesInsideParenthesizedJoins() {
        assertThat(classify("SELECT * FROM (a JOIN b ON a.id = b.id) JOIN c ON true").readTables())
                .containsExactly(t("a"), t("b"), t("c"));
    }

    @Test
    void readsBothSidesOfSetOperations() {
        assertThat(classify("SELECT id FROM a UNION SELECT id FROM b EXCEPT TABLE c").readTables())
                .containsExactly(t("a"), t("b"), t("c"));
    }

    @Test
    void groupByOrderByAndWindowCommasAreNotTables() {
        assertThat(classify("SELECT a, b FROM t GROUP BY a, b HAVING count(*) > 1 ORDER BY a, b LIMIT 5").readTables())
                .containsExactly(t("t"));
        assertThat(classify("SELECT rank() OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b), w2 AS (w)").readTables())
                .containsExactly(t("t"));
        assertThat(classify("SELECT * FROM a FOR UPDATE OF a, b").readTables()).containsExactly(t("a"));
    }

    @Test
    void updateWritesItsTargetAndReadsItsFromList() {
        Classification classification = classify(
                "UPDATE accounts a SET balance = a.balance + t.amount FROM transfers t, fees WHERE t.account = a.id");
        assertThat(classification.writeTables()).containsExactly(t("accounts"));
        assertThat(classification.readTables()).containsExactly(t("transfers"), t("fees"));
    }

    @Test
    void updateWithTupleAssignmentAndSubquery() {
        Classification classification = classify(
                "UPDATE ONLY t AS x SET (a, b) = (SELECT a, b FROM src WHERE src.id = x.id) WHERE id = $1");
        assertThat(classification.writeTables()).containsExactly(t("t"));
        assertThat(classification.readTables()).containsExactly(t("src"));
    }

    @Test
    void deleteUsingReadsTheUsingTables() {
        Classification classification = classify(
                "DELETE FROM app.sessions s USING users u, bans WHERE s.user_id = u.id AND u.banned RETURNING s.id");
        assertThat(classification.kind()).isEqualTo(StatementKind.WRITE);
        assertThat(classification.writeTables()).containsExactly(TableRef.of("app", "sessions"));
        assertThat(classification.readTables()).containsExactly(t("users"), t("bans"));
        assertThat(classification.returning()).isTrue();
    }

    @Test
    void joinUsingColumnListIsNotATable() {
        Classification classification = classify("DELETE FROM a USING b JOIN c USING (id) WHERE a.id = b.id");
        assertThat(classification.writeTables()).containsExactly(t("a"));
        assertThat(classification.readTables()).containsExactly(t("b"), t("c"));
    }

    @Test
    void insertSelectWritesTargetAndReadsSource() {
        Classification classification = classify("INSERT INTO archive (id, body) SELECT id, body FROM inbox WHERE old");
        assertThat(classification.writeTables()).containsExactly(t("archive"));
        assertThat(classification.readTables()).containsExactly(t("inbox"));
    }

    @Test
    void insertSelectWithOnConflictDoesNotReadTheSetList() {
        Classification classification = classify(
                "INSERT INTO t SELECT * FROM s ON CONFLICT (id) DO UPDATE SET a = excluded.a, b = excluded.b");
        assertThat(classification.writeTables()).containsExactly(t("t"));
        assertThat(classification.readTables()).containsExactly(t("s"));
    }

    @Test
    void sqliteInsertOrReplaceAndReplaceIntoWriteTheirTable() {
        assertThat(classify("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)").writeTables()).containsExactly(t("kv"));
        assertThat(classify("REPLACE INTO kv (k, v) VALUES (?1, ?2)").writeTables()).containsExactly(t("kv"));
        assertThat(classify("UPDATE OR IGNORE kv SET v = ? WHERE k = ?").writeTables()).containsExactly(t("kv"));
    }

    @Test
    void writeTargetMayBeAWordPostgresReservesButSqliteDoesNot() {
        assertThat(classify("INSERT INTO user (id) VALUES (1)").writeTables()).containsExactly(t("user"));
        assertThat(classify("DELETE FROM user WHERE id = 1").writeTables()).containsExactly(t("user"));
        assertThat(classify("UPDATE user SET name = 'x'").writeTables()).containsExactly(t("user"));
    }

    @Test
    void writesInsideDataModifyingCtesAreListed() {
        Classification classification = classify("""
                WITH del AS (DELETE FROM queue WHERE id = ANY($1) RETURNING *),
                     upd AS (UPDATE stats SET n = n - 1 FROM del WHERE stats.q = del.q RETURNING stats.q)
                SELECT count(*) FROM del, upd, audit""");
        assertThat(classification.kind()).isEqualTo(StatementKind.WRITE);
        assertThat(classification.command()).isEqualTo("SELECT");
        assertThat(classification.writeTables()).containsExactly(t("queue"), t("stats"));
        assertThat(classification.readTables()).containsExactly(t("audit"));
        assertThat(classification.returning()).isFalse();
    }

    @Test
    void forUpdateAndMergeActionsAreNotMistakenForStatements() {
        Classification classification = classify("SELECT * FROM jobs WHERE state = 'new' FOR NO KEY UPDATE SKIP LOCKED");
        assertThat(classification.writeTables()).isEmpty();
        assertThat(classification.kind()).isEqualTo(StatementKind.READ);
    }

    @Test
    void keywordsUsedAsColumnNamesDoNotStartStatements() {
        Classification classification = classify("SELECT count(update), max(\"delete\") FROM log WHERE insert > 0");
        assertThat(classification.kind()).isEqualTo(StatementKind.READ);
        assertThat(classification.writeTables()).isEmpty();
        assertThat(classification.readTables()).containsExactly(t("log"));
    }

    @Test
    void createTableAsAndViewsReadTheirQuery() {
        assertThat(classify("CREATE TABLE t2 AS SELECT * FROM t JOIN u USING (id)").readTables())
                .containsExactly(t("t"), t("u"));
        assertThat(classify("CREATE VIEW v (a) AS SELECT a FROM t WITH CHECK OPTION").readTables())
                .containsExactly(t("t"));
    }

    @Test
    void cursorQueryTablesAreRead() {
        Classification classification = classify("DECLARE c NO SCROLL CURSOR WITHOUT HOLD FOR SELECT * FROM t FOR UPDATE");
        assertThat(classification.readTables()).containsExactly(t("t"));
        assertThat(classification.lockingRead()).isTrue();
        assertThat(classification.sessionFeatures()).isEmpty();
    }

    @Test
    void duplicateTablesAreListedOnce() {
        assertThat(classify("SELECT * FROM t a JOIN t b ON a.p = b.id JOIN T c ON true").readTables())
                .containsExactly(t("t"));
    }
}
