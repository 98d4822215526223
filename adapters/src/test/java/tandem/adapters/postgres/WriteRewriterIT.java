package tandem.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.mirror.WritePlan;
import tandem.core.mirror.WriteRewriter;
import tandem.core.sql.StatementClassifier;
import tandem.core.store.StoreKind;
import tandem.core.type.PgType;

/**
 * Runs each client statement as sent on one PostgreSQL database and as {@link WriteRewriter}
 * rewrites it on an identical second one, and checks that the client could not tell the two
 * apart (rows, column names and types, order, row count) while the rewrite captured exactly the
 * keys of the rows it changed and logged them, under its transaction's id, in the same statement.
 * Statements go through pgjdbc both with {@code ?} parameters (extended protocol) and as literal
 * text over the simple protocol.
 */
class WriteRewriterIT {

    private static final String EXTRA_SCHEMA = """
            CREATE TABLE memberships (
                org_id  BIGINT NOT NULL,
                user_id UUID NOT NULL REFERENCES users(id),
                role    VARCHAR(20) NOT NULL DEFAULT 'member',
                PRIMARY KEY (org_id, user_id));
            CREATE TABLE counters (
                id   INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                n    NUMERIC(10, 2) NOT NULL DEFAULT 0);
            CREATE TABLE audit_log (at TIMESTAMPTZ NOT NULL, what TEXT);
            CREATE TABLE inbox (name TEXT NOT NULL);
            CREATE SCHEMA tandem;
            CREATE TABLE tandem.repair_log (
                id          BIGSERIAL PRIMARY KEY,
                token       TEXT NOT NULL,
                table_name  TEXT NOT NULL,
                key         JSONB NOT NULL,
                enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                attempts    INT NOT NULL DEFAULT 0,
                failed      BOOLEAN NOT NULL DEFAULT false,
                last_error  TEXT);
            """;

    private static final String SEED = """
            TRUNCATE users, content, analytics_events, memberships, counters, audit_log, inbox, tandem.repair_log
                RESTART IDENTITY CASCADE;
            INSERT INTO inbox (name) VALUES ('queued-1'), ('queued-2');
            INSERT INTO users (id, email, display_name, is_active, created_at, updated_at) VALUES
                ('00000000-0000-0000-0000-000000000001', 'ada@example.com', 'Ada', true, '2026-01-01', '2026-01-01'),
                ('00000000-0000-0000-0000-000000000002', 'bob@example.com', 'Bob', true, '2026-01-02', '2026-01-02'),
                ('00000000-0000-0000-0000-000000000003', 'cy@example.com', NULL, false, '2026-01-03', '2026-01-03');
            INSERT INTO content (id, user_id, title, content_type, body, metadata, view_count, score, published, created_at)
            VALUES
                ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-000000000001', 'One', 'post', 'b1',
                 '{"a": 1}', 1, 1.5, false, '2026-02-01'),
                ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-000000000001', 'Two', 'page', NULL,
                 NULL, 2, NULL, true, '2026-02-02'),
                ('00000000-0000-0000-0000-0000000000c3', '00000000-0000-0000-0000-000000000003', 'Three', 'post', 'b3',
                 '[]', 3, 0.25, false, '2026-02-03');
            INSERT INTO analytics_events (user_id, content_id, event_type, event_data, timestamp) VALUES
                ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000c1', 'view', '{}', '2026-03-01'),
                ('00000000-0000-0000-0000-000000000002', NULL, 'login', NULL, '2026-03-02');
            INSERT INTO memberships (org_id, user_id, role) VALUES
                (1, '00000000-0000-0000-0000-000000000001', 'owner'),
                (1, '00000000-0000-0000-0000-000000000002', 'member'),
                (2, '00000000-0000-0000-0000-000000000002', 'owner'),
                (2, '00000000-0000-0000-0000-000000000003', 'member');
            INSERT INTO counters (name, n) VALUES ('hits', 10), ('misses', 2.5);
            """;

    private static TestDatabase original;
    private static TestDatabase rewritten;
    private static Map<String, Table> mirrored;
    private static Connection a;
    private static Connection b;
    private static Connection aSimple;
    private static Connection bSimple;

    private final StatementClassifier classifier = new StatementClassifier();

    @BeforeAll
    static void createTwoIdenticalDatabases() throws Exception {
        original = TestPostgres.shared().createDatabase("writerewriterit_original");
        rewritten = TestPostgres.shared().createDatabase("writerewriterit_rewritten");
        String demo = demoSchema();
        for (TestDatabase db : List.of(original, rewritten)) {
            db.execute(demo, EXTRA_SCHEMA);
        }
        mirrored = Map.of(
                "users", table("users", List.of("id"), List.of(List.of("email"))),
                "content", table("content", List.of("id"), List.of()),
                "analytics_events", table("analytics_events", List.of("id"), List.of()),
                "memberships", table("memberships", List.of("org_id", "user_id"), List.of()),
                "counters", table("counters", List.of("id"), List.of(List.of("name"))),
                "audit_log", table("audit_log", List.of(), List.of()));
        a = original.connect();
        b = rewritten.connect();
        aSimple = connect(original, "simple");
        bSimple = connect(rewritten, "simple");
    }

    @AfterAll
    static void closeConnections() throws SQLException {
        for (Connection c : new Connection[] {a, b, aSimple, bSimple}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @BeforeEach
    void seedBothDatabases() {
        original.execute(SEED);
        rewritten.execute(SEED);
    }

    // ---- the statements ----

    @Test
    void insertWithParametersAndNoReturning() throws Exception {
        check("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES (?::uuid, ?, ?, ?::timestamp, ?::timestamp)",
                "00000000-0000-0000-0000-000000000009", "new@example.com", "New", "2026-04-01", "2026-04-01");
    }

    @Test
    void multiRowValuesOverTheSimpleProtocol() throws Exception {
        checkSimple("INSERT INTO memberships (org_id, user_id) VALUES (3, '00000000-0000-0000-0000-000000000001'),"
                + " (3, '00000000-0000-0000-0000-000000000002'), (4, '00000000-0000-0000-0000-000000000003')");
    }

    @Test
    void insertSelectIntoAnIdentityColumnReturningItsIds() throws Exception {
        check("INSERT INTO analytics_events (user_id, event_type, timestamp) SELECT id, 'audit:' || email, ?::timestamp"
                + " FROM users WHERE is_active ORDER BY email RETURNING id, event_type, timestamp", "2026-05-01");
    }

    @Test
    void upsertDoUpdateReturningStarAndWhetherItInserted() throws Exception {
        check("INSERT INTO users AS u (id, email, display_name, created_at, updated_at) VALUES"
                + " (?::uuid, ?, 'Ada L.', '2026-01-01', '2026-06-01'), (?::uuid, ?, 'Dee', '2026-06-01', '2026-06-01')"
                + " ON CONFLICT (id) DO UPDATE SET id = excluded.id, display_name = excluded.display_name,"
                + " updated_at = excluded.updated_at RETURNING *, (xmax = 0) AS inserted",
                "00000000-0000-0000-0000-000000000001", "ada@example.com", "00000000-0000-0000-0000-000000000004",
                "dee@example.com");
    }

    @Test
    void upsertDoNothingReturnsOnlyTheRowsItInserted() throws Exception {
        checkSimple("INSERT INTO counters (name, n) VALUES ('hits', 1), ('saves', 3) ON CONFLICT (name) DO NOTHING");
        check("INSERT INTO counters (name) VALUES (?) ON CONFLICT DO NOTHING RETURNING id, name, n", "hits");
    }

    @Test
    void upsertOnAnotherUniqueKeyUpdatesTheConflictingRowUnderItsOwnKey() throws Exception {
        checkSimple("INSERT INTO counters (name, n) VALUES ('misses', 1), ('skips', 1) ON CONFLICT (name) DO UPDATE"
                + " SET n = counters.n + excluded.n RETURNING name, n");
    }

    @Test
    void updateFromReturningExpressionsWithAndWithoutAliases() throws Exception {
        check("UPDATE content c SET view_count = c.view_count + ?, title = upper(c.title) FROM users u"
                + " WHERE u.id = c.user_id AND u.email LIKE ? RETURNING c.id, upper(u.email) AS shout,"
                + " c.view_count * 2, 'const', c.score AS \"Score\", c.metadata, u.is_active", 10, "ada%");
    }

    @Test
    void deleteUsingOnACompositeKeyReturningStar() throws Exception {
        checkSimple("DELETE FROM memberships m USING users u WHERE u.id = m.user_id AND u.display_name = 'Bob' RETURNING *");
        check("DELETE FROM memberships USING users WHERE users.id = memberships.user_id AND NOT users.is_active");
    }

    @Test
    void leadingReadOnlyWithQueriesStayTheClients() throws Exception {
        check("WITH active AS (SELECT id FROM users WHERE is_active), popular AS MATERIALIZED (SELECT id FROM content"
                + " WHERE view_count >= ?) UPDATE content SET published = NOT published WHERE user_id IN (SELECT id FROM"
                + " active) AND id IN (SELECT id FROM popular) RETURNING id, published", 2);
        checkSimple("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)"
                + " INSERT INTO counters (name, n) SELECT 'n' || i, i FROM n");
    }

    @Test
    void aDataModifyingWithQueryOnATableNotMirroredStaysInFront() throws Exception {
        check("WITH taken AS (DELETE FROM inbox WHERE name LIKE ? RETURNING name) INSERT INTO counters (name)"
                + " SELECT name FROM taken RETURNING name, n", "queued-%");
        assertThat(query(b, "SELECT count(*) FROM inbox")).containsExactly(List.of("0"));
    }

    @Test
    void mergeCapturesInsertedUpdatedAndDeletedRows() throws Exception {
        checkSimple("MERGE INTO memberships t USING (VALUES (1, '00000000-0000-0000-0000-000000000001'::uuid, NULL),"
                + " (2, '00000000-0000-0000-0000-000000000002'::uuid, 'admin'),"
                + " (5, '00000000-0000-0000-0000-000000000003'::uuid, 'member')) s(org, usr, role)"
                + " ON t.org_id = s.org AND t.user_id = s.usr"
                + " WHEN MATCHED AND s.role IS NULL THEN DELETE"
                + " WHEN MATCHED THEN UPDATE SET role = s.role"
                + " WHEN NOT MATCHED THEN INSERT (org_id, user_id, role) VALUES (s.org, s.usr, s.role)"
                + " RETURNING merge_action(), t.*");
    }

    @Test
    void statementsThatMatchNoRowsReturnNoRowsAndLogNothing() throws Exception {
        check("UPDATE users SET display_name = ? WHERE email = ?", "x", "nobody@example.com");
        check("DELETE FROM content WHERE id = ?::uuid RETURNING *", "00000000-0000-0000-0000-0000000000ff");
        checkSimple("INSERT INTO counters (name) SELECT name FROM counters WHERE false");
    }

    @Test
    void updateReturningStarWithParametersOfSeveralTypes() throws Exception {
        check("UPDATE counters SET n = n + ?, name = name || ? WHERE id = ? RETURNING *", new java.math.BigDecimal("0.75"),
                "!", 1);
    }

    @Test
    void rollingBackTheRewrittenStatementLeavesNoLogRows() throws Exception {
        String sql = "UPDATE users SET display_name = 'rolled back' WHERE is_active";
        WritePlan.Capture capture = capture(sql);
        b.setAutoCommit(false);
        try (Statement s = b.createStatement(); ResultSet rs = s.executeQuery(capture.sql())) {
            int rows = 0;
            while (rs.next()) {
                rows++;
            }
            assertThat(rows).isEqualTo(2);
            assertThat(logRows(b)).hasSize(2);
        } finally {
            b.rollback();
            b.setAutoCommit(true);
        }
        assertThat(logRows(b)).isEmpty();
        assertThat(query(b, "SELECT count(*) FROM users WHERE display_name = 'rolled back'")).containsExactly(List.of("0"));
    }

    @Test
    void writesOnTheKeylessTableAreReplayedUnchanged() {
        String sql = "INSERT INTO audit_log (at, what) VALUES (now(), 'x')";
        assertThat(plan(sql)).isInstanceOf(WritePlan.Replay.class);
    }

    // ---- the comparison ----

    /** What a client sees of one statement, and, for the rewritten one, what tandem took off. */
    private record Result(List<String> columns, List<List<String>> rows, long count, List<String> tokens,
            List<List<String>> keys) {
    }

    private void check(String sql, Object... parameters) throws Exception {
        compare(sql, a, b, parameters);
    }

    private void checkSimple(String sql) throws Exception {
        compare(sql, aSimple, bSimple);
    }

    private void compare(String sql, Connection onOriginal, Connection onRewritten, Object... parameters) throws Exception {
        WritePlan.Capture capture = capture(sql);
        Table table = capture.table();
        Result expected = run(onOriginal, sql, parameters, 0, List.of(), -1);

        onRewritten.setAutoCommit(false);
        Result actual;
        Set<List<String>> changed;
        String transactionId;
        List<List<String>> logged;
        try {
            Set<List<String>> before = keys(onRewritten, table, "true");
            actual = run(onRewritten, capture.sql(), parameters, capture.leadingColumns(), capture.keyColumns(),
                    capture.tokenColumn());
            Set<List<String>> after = keys(onRewritten, table, "true");
            changed = keys(onRewritten, table, "xmin = pg_current_xact_id()::xid");
            before.removeAll(after);
            changed.addAll(before); // deleted rows
            transactionId = query(onRewritten, "SELECT pg_current_xact_id()::text").get(0).get(0);
            logged = logRows(onRewritten);
            onRewritten.commit();
        } finally {
            onRewritten.setAutoCommit(true);
        }

        if (capture.clientReturning()) {
            assertThat(actual.columns()).as("columns of %s", sql).isEqualTo(expected.columns());
            assertThat(actual.rows()).as("rows of %s", sql).isEqualTo(expected.rows());
        } else {
            // the client asked for no rows: once the leading columns are stripped nothing is left to send
            assertThat(expected.columns()).isEmpty();
            assertThat(actual.columns()).isEmpty();
            assertThat(actual.rows()).allMatch(List::isEmpty);
        }
        assertThat(actual.count()).as("row count of %s", sql).isEqualTo(expected.count());
        assertThat(actual.keys()).as("captured keys of %s", sql).doesNotHaveDuplicates();
        assertThat(new HashSet<>(actual.keys())).as("captured keys of %s", sql).isEqualTo(changed);
        assertThat(actual.keys()).hasSize((int) actual.count());
        assertThat(actual.tokens()).as("tokens of %s", sql).allMatch(transactionId::equals);
        List<List<String>> expectedLog = new ArrayList<>();
        for (List<String> key : actual.keys()) {
            List<String> row = new ArrayList<>();
            row.add(transactionId);
            row.add(table.name());
            row.addAll(key);
            expectedLog.add(row);
        }
        assertThat(logged).as("repair log after %s", sql).containsExactlyInAnyOrderElementsOf(expectedLog);
        // and the client's statement did the same to both databases
        assertThat(query(b, "SELECT * FROM " + table.name() + " ORDER BY 1, 2"))
                .isEqualTo(query(a, "SELECT * FROM " + table.name() + " ORDER BY 1, 2"));
        rewritten.execute("DELETE FROM tandem.repair_log");
    }

    private static Result run(Connection c, String sql, Object[] parameters, int leading, List<Integer> keyColumns,
            int tokenColumn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            if (!ps.execute()) {
                assertThat(leading).as("a rewritten statement always returns rows").isZero();
                return new Result(List.of(), List.of(), ps.getUpdateCount(), List.of(), List.of());
            }
            try (ResultSet rs = ps.getResultSet()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = leading + 1; i <= meta.getColumnCount(); i++) {
                    // the column's origin (table and column, from RowDescription) is visible too, and survives the WITH query
                    var origin = meta.unwrap(org.postgresql.PGResultSetMetaData.class);
                    columns.add(meta.getColumnLabel(i) + " " + meta.getColumnTypeName(i) + "(" + meta.getPrecision(i) + ","
                            + meta.getScale(i) + ") from " + origin.getBaseTableName(i) + "." + origin.getBaseColumnName(i)
                            + " nullable=" + meta.isNullable(i));
                }
                List<List<String>> rows = new ArrayList<>();
                List<String> tokens = new ArrayList<>();
                List<List<String>> keys = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = leading + 1; i <= meta.getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                    if (tokenColumn >= 0) {
                        tokens.add(rs.getString(tokenColumn + 1));
                    }
                    List<String> key = new ArrayList<>();
                    for (int k : keyColumns) {
                        key.add(rs.getString(k + 1));
                    }
                    keys.add(key);
                }
                return new Result(columns, rows, rows.size(), tokens, keys);
            }
        }
    }

    private WritePlan plan(String sql) {
        return new WriteRewriter(StoreKind.POSTGRES, mirrored::get).plan(sql, classifier.classify(sql));
    }

    private WritePlan.Capture capture(String sql) {
        WritePlan plan = plan(sql);
        assertThat(plan).as(sql).isInstanceOf(WritePlan.Capture.class);
        return (WritePlan.Capture) plan;
    }

    private static Set<List<String>> keys(Connection c, Table table, String where) throws SQLException {
        String columns = String.join(", ", table.key());
        return new HashSet<>(query(c, "SELECT " + columns + " FROM " + table.name() + " WHERE " + where));
    }

    /** The repair log as (token, table, key values...) rows, in the order they were written. */
    private static List<List<String>> logRows(Connection c) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        for (List<String> entry : query(c, "SELECT id, token, table_name FROM tandem.repair_log ORDER BY id")) {
            List<String> row = new ArrayList<>(List.of(entry.get(1), entry.get(2)));
            row.addAll(query(c, "SELECT value FROM tandem.repair_log, jsonb_array_elements_text(key) WITH ORDINALITY"
                    + " WHERE id = " + entry.get(0) + " ORDER BY ordinality").stream().map(r -> r.get(0)).toList());
            rows.add(row);
        }
        return rows;
    }

    private static List<List<String>> query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** The rewriter needs a table's name, key and unique keys; its other columns do not matter here. */
    private static Table table(String name, List<String> key, List<List<String>> unique) {
        List<Column> columns = key.stream().map(k -> new Column(k, PgType.TEXT, "text", false)).toList();
        return new Table(name, columns, key, unique, List.of());
    }

    private static Connection connect(TestDatabase db, String queryMode) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", db.user());
        properties.setProperty("password", db.password());
        properties.setProperty("preferQueryMode", queryMode);
        return DriverManager.getConnection(db.jdbcUrl(), properties);
    }

    /** The demo's PostgreSQL schema, from the proxy module beside this one (tests run in the module's directory). */
    private static String demoSchema() throws IOException {
        Path file = Path.of("..", "proxy", "src", "main", "resources", "demo", "postgres-schema.sql");
        if (!Files.exists(file)) {
            throw new IllegalStateException("demo schema not found at " + file.toAbsolutePath()
                    + ": run the test from the adapters module's directory, as Maven does");
        }
        return Files.readString(file);
    }
}
