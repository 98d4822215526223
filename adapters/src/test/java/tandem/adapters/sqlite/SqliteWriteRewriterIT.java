package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.mirror.WritePlan;
import tandem.core.mirror.WriteRewriter;
import tandem.core.sql.StatementClassifier;
import tandem.core.store.StoreKind;
import tandem.core.type.PgType;

/**
 * The SQLite half of {@code WriteRewriterIT}: each statement runs as sent on one SQLite file and as
 * rewritten on an identical second one (sqlite-jdbc), and the client-visible result must be the
 * same while the leading columns hold exactly the keys of the rows that changed: those whose image
 * differs after the statement, those it inserted and those it deleted. Also shows, on real
 * SQLite, why REPLACE with a second unique key and a multi-row OR FAIL are refused.
 */
class SqliteWriteRewriterIT {

    private static final String[] EXTRA_SCHEMA = {
        "CREATE TABLE memberships (org_id INTEGER NOT NULL, user_id TEXT NOT NULL REFERENCES users(id),"
                + " role TEXT NOT NULL DEFAULT 'member', PRIMARY KEY (org_id, user_id))",
        "CREATE TABLE counters (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n REAL NOT NULL DEFAULT 0)",
        "CREATE TABLE tags (id TEXT PRIMARY KEY, label TEXT)",
        "CREATE TABLE audit_log (at TEXT NOT NULL, what TEXT)",
    };

    private static final String[] SEED = {
        "INSERT INTO users (id, email, display_name, is_active, created_at, updated_at) VALUES"
                + " ('u1', 'ada@example.com', 'Ada', 1, '2026-01-01', '2026-01-01'),"
                + " ('u2', 'bob@example.com', 'Bob', 1, '2026-01-02', '2026-01-02'),"
                + " ('u3', 'cy@example.com', NULL, 0, '2026-01-03', '2026-01-03')",
        "INSERT INTO content (id, user_id, title, content_type, body, view_count, score, published, created_at) VALUES"
                + " ('c1', 'u1', 'One', 'post', 'b1', 1, 1.5, 0, '2026-02-01'),"
                + " ('c2', 'u1', 'Two', 'page', NULL, 2, NULL, 1, '2026-02-02'),"
                + " ('c3', 'u3', 'Three', 'post', 'b3', 3, 0.25, 0, '2026-02-03')",
        "INSERT INTO analytics_events (user_id, content_id, event_type, timestamp) VALUES"
                + " ('u1', 'c1', 'view', '2026-03-01'), ('u2', NULL, 'login', '2026-03-02'),"
                + " ('u2', NULL, 'view', '2026-03-03')",
        "INSERT INTO memberships (org_id, user_id, role) VALUES (1, 'u1', 'owner'), (1, 'u2', 'member'),"
                + " (2, 'u2', 'owner'), (2, 'u3', 'member')",
        "INSERT INTO counters (id, name, n) VALUES (1, 'hits', 10), (2, 'misses', 2.5)",
        "INSERT INTO tags (id, label) VALUES ('t1', 'one'), ('t2', 'two')",
    };

    private static final Map<String, Table> MIRRORED = Map.of(
            "users", table("users", List.of("id"), List.of(List.of("email"))),
            "content", table("content", List.of("id"), List.of()),
            "analytics_events", table("analytics_events", List.of("id"), List.of()),
            "memberships", table("memberships", List.of("org_id", "user_id"), List.of()),
            "counters", table("counters", List.of("id"), List.of(List.of("name"))),
            "tags", table("tags", List.of("id"), List.of()),
            "audit_log", table("audit_log", List.of(), List.of()));

    private final StatementClassifier classifier = new StatementClassifier();
    private final WriteRewriter rewriter = new WriteRewriter(StoreKind.SQLITE, MIRRORED::get);
    private Connection a;
    private Connection b;

    @BeforeEach
    void createTwoIdenticalFiles(@TempDir Path dir) throws Exception {
        a = open(dir.resolve("original.db"));
        b = open(dir.resolve("rewritten.db"));
    }

    @AfterEach
    void close() throws SQLException {
        a.close();
        b.close();
    }

    @Test
    void insertWithParametersAndNoReturning() throws Exception {
        check("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                "u9", "new@example.com", "New", "2026-04-01", "2026-04-01");
    }

    @Test
    void multiRowValuesIntoACompositeKey() throws Exception {
        check("INSERT INTO memberships (org_id, user_id) VALUES (3, 'u1'), (3, 'u2'), (4, 'u3')");
    }

    @Test
    void insertSelectIntoAnAutoincrementKeyReturningItsIds() throws Exception {
        check("INSERT INTO analytics_events (user_id, event_type, timestamp) SELECT id, 'audit:' || email, ? FROM users"
                + " WHERE is_active ORDER BY email RETURNING id, event_type, timestamp AS at", "2026-05-01");
    }

    @Test
    void insertOrIgnoreReturnsOnlyTheRowsItInserted() throws Exception {
        check("INSERT OR IGNORE INTO counters (name, n) VALUES ('hits', 1), ('saves', 3), (?, 4)", "misses");
    }

    @Test
    void replaceOnATableWhoseOnlyUniqueKeyIsThePrimaryKey() throws Exception {
        check("REPLACE INTO tags (id, label) VALUES ('t1', 'uno'), ('t3', 'tres') RETURNING label");
        check("INSERT OR REPLACE INTO tags (id, label) VALUES (?, ?)", "t2", "dos");
    }

    @Test
    void upsertReturningStar() throws Exception {
        check("INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES"
                + " ('u1', 'ada@example.com', 'Ada L.', '2026-01-01', '2026-06-01'),"
                + " ('u4', 'dee@example.com', 'Dee', '2026-06-01', '2026-06-01')"
                + " ON CONFLICT (id) DO UPDATE SET id = excluded.id, display_name = excluded.display_name,"
                + " updated_at = excluded.updated_at RETURNING *");
        check("INSERT INTO counters (name, n) VALUES ('misses', 1), ('skips', 1) ON CONFLICT (name) DO UPDATE"
                + " SET n = counters.n + excluded.n");
    }

    @Test
    void updateFromReturningExpressions() throws Exception {
        check("UPDATE content SET view_count = view_count + ?, title = upper(title) FROM users u WHERE u.id = content.user_id"
                + " AND u.email LIKE ? RETURNING id, upper(title) AS shout, view_count * 2, 'const', score AS \"Score\"",
                10, "ada%");
    }

    @Test
    void updateOrIgnoreSkipsTheRowThatWouldConflict() throws Exception {
        check("UPDATE OR IGNORE counters SET name = 'hits' WHERE id = 2 RETURNING *");
        check("UPDATE OR IGNORE counters SET n = n * 2 RETURNING name");
    }

    @Test
    void deleteReturningStarOnACompositeKey() throws Exception {
        check("DELETE FROM memberships WHERE user_id IN (SELECT id FROM users WHERE display_name = ?) RETURNING *", "Bob");
    }

    @Test
    void deleteWithOrderByAndLimitTakesItsReturningBeforeThem() throws Exception {
        check("DELETE FROM analytics_events WHERE event_type = 'view' ORDER BY id DESC LIMIT 1");
    }

    @Test
    void leadingWithQueryStaysInFront() throws Exception {
        check("WITH active AS (SELECT id FROM users WHERE is_active) UPDATE content SET published = NOT published"
                + " WHERE user_id IN (SELECT id FROM active) RETURNING id, published");
    }

    @Test
    void insertOrFailOfOneRow() throws Exception {
        check("INSERT OR FAIL INTO tags (id, label) VALUES (?, ?)", "t5", "five");
    }

    @Test
    void statementsThatMatchNoRows() throws Exception {
        check("UPDATE users SET display_name = ? WHERE email = ?", "x", "nobody@example.com");
        check("DELETE FROM content WHERE id = ? RETURNING *", "c9");
    }

    @Test
    void replaceWouldDeleteARowUnderAnotherKeyWithoutReportingItSoItIsRefused() throws Exception {
        String sql = "REPLACE INTO users (id, email, created_at, updated_at) VALUES ('u7', 'ada@example.com', 'x', 'x')";
        assertThat(plan(sql)).isInstanceOf(WritePlan.Refuse.class);
        // what would go wrong: u1 goes (it held the email), but RETURNING reports u7 only
        assertThat(query(a, sql + " RETURNING id")).containsExactly(List.of("u7"));
        assertThat(query(a, "SELECT id FROM users WHERE id = 'u1'")).isEmpty();
    }

    @Test
    void orFailKeepsEarlierRowsButReturnsNoKeysSoSeveralRowsAreRefused() throws Exception {
        String sql = "INSERT OR FAIL INTO tags (id, label) VALUES ('t8', 'kept'), ('t1', 'fails')";
        assertThat(plan(sql)).isInstanceOf(WritePlan.Refuse.class);
        assertThatThrownBy(() -> query(a, sql + " RETURNING id")).isInstanceOf(SQLException.class);
        assertThat(query(a, "SELECT label FROM tags WHERE id = 't8'")).containsExactly(List.of("kept"));
    }

    // ---- the comparison ----

    private record Result(List<String> columns, List<List<String>> rows, long count, List<List<String>> keys) {
    }

    private WritePlan plan(String sql) {
        return rewriter.plan(sql, classifier.classify(sql));
    }

    private void check(String sql, Object... parameters) throws Exception {
        WritePlan plan = plan(sql);
        assertThat(plan).as(sql).isInstanceOf(WritePlan.Capture.class);
        WritePlan.Capture capture = (WritePlan.Capture) plan;
        assertThat(capture.tokenColumn()).isEqualTo(-1);
        Table table = capture.table();

        Result expected = run(a, sql, parameters, 0, List.of());
        Map<List<String>, List<String>> before = images(b, table);
        Result actual = run(b, capture.sql(), parameters, capture.leadingColumns(), capture.keyColumns());
        Map<List<String>, List<String>> after = images(b, table);

        Set<List<String>> changed = new HashSet<>(before.keySet());
        changed.addAll(after.keySet());
        changed.removeIf(key -> Objects.equals(before.get(key), after.get(key)));

        if (capture.clientReturning()) {
            assertThat(actual.columns()).as("columns of %s", sql).isEqualTo(expected.columns());
            assertThat(actual.rows()).as("rows of %s", sql).isEqualTo(expected.rows());
        } else {
            assertThat(expected.columns()).isEmpty();
            assertThat(actual.rows()).allMatch(List::isEmpty);
        }
        assertThat(actual.count()).as("row count of %s", sql).isEqualTo(expected.count());
        assertThat(actual.keys()).as("captured keys of %s", sql).doesNotHaveDuplicates().hasSize((int) actual.count());
        assertThat(new HashSet<>(actual.keys())).as("captured keys of %s", sql).isEqualTo(changed);
        assertThat(after).as("both files after %s", sql).isEqualTo(images(a, table));
    }

    private static Result run(Connection c, String sql, Object[] parameters, int leading, List<Integer> keyColumns)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            if (!ps.execute()) {
                assertThat(leading).as("a rewritten statement always returns rows").isZero();
                return new Result(List.of(), List.of(), ps.getUpdateCount(), List.of());
            }
            try (ResultSet rs = ps.getResultSet()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = leading + 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i) + " " + meta.getColumnTypeName(i));
                }
                List<List<String>> rows = new ArrayList<>();
                List<List<String>> keys = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = leading + 1; i <= meta.getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                    List<String> key = new ArrayList<>();
                    for (int k : keyColumns) {
                        key.add(rs.getString(k + 1));
                    }
                    keys.add(key);
                }
                return new Result(columns, rows, rows.size(), keys);
            }
        }
    }

    /** Every row of the table by key, as text. */
    private static Map<List<String>, List<String>> images(Connection c, Table table) throws SQLException {
        int keys = table.key().size();
        Map<List<String>, List<String>> images = new HashMap<>();
        for (List<String> row : query(c, "SELECT " + String.join(", ", table.key()) + ", * FROM " + table.name())) {
            images.put(row.subList(0, keys), row.subList(keys, row.size()));
        }
        return images;
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

    private static Connection open(Path file) throws SQLException, IOException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            for (String sql : demoSchema()) {
                s.execute(sql);
            }
            for (String sql : EXTRA_SCHEMA) {
                s.execute(sql);
            }
            for (String sql : SEED) {
                s.execute(sql);
            }
        }
        return c;
    }

    /** The demo's SQLite schema, from the proxy module beside this one, one statement at a time. */
    private static List<String> demoSchema() throws IOException {
        Path file = Path.of("..", "proxy", "src", "main", "resources", "demo", "sqlite-schema.sql");
        if (!Files.exists(file)) {
            throw new IllegalStateException("demo schema not found at " + file.toAbsolutePath()
                    + ": run the test from the adapters module's directory, as Maven does");
        }
        List<String> statements = new ArrayList<>();
        for (String statement : Files.readString(file).replaceAll("(?m)^--.*$", "").split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement);
            }
        }
        return statements;
    }

    private static Table table(String name, List<String> key, List<List<String>> unique) {
        List<Column> columns = key.stream().map(k -> new Column(k, PgType.TEXT, "text", false)).toList();
        return new Table(name, columns, key, unique, List.of());
    }
}
