package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.config.SqliteConfig;
import tandem.core.error.ProxyException;
import tandem.core.store.SqlSession;

/**
 * The proof that the emulation gives PostgreSQL's answers: the same schema and rows in a real
 * PostgreSQL and in a SQLite file, the same PostgreSQL-style statements run through pgjdbc on
 * one and through {@link SqliteSession} on the other, and the same text (pgjdbc's
 * {@code getString}), column names, tags and SQLSTATEs expected from both.
 *
 * <p>The statements stay inside what the emulation promises to answer identically (see the
 * SQLite limits in the README): no numeric arithmetic, no text sorting that depends on collation.
 */
@ExtendWith(PostgresExtension.class)
class SqliteEmulationIT {

    private static final String[] POSTGRES_SCHEMA = {
        "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL UNIQUE, qty integer DEFAULT 1, "
                + "price numeric(10,2), weight double precision, active boolean, created timestamp, seen timestamptz, "
                + "day date, ref uuid, data bytea, note text DEFAULT 'none', doc json)",
        "CREATE TABLE tags (item_id bigint NOT NULL REFERENCES items(id), tag text NOT NULL)",
    };
    private static final String[] SQLITE_SCHEMA = {
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER DEFAULT 1, "
                + "price NUMERIC(10,2), weight DOUBLE PRECISION, active BOOLEAN, created TIMESTAMP, seen TIMESTAMPTZ, "
                + "day DATE, ref UUID, data BLOB, note TEXT DEFAULT 'none', doc JSON)",
        "CREATE TABLE tags (item_id INTEGER NOT NULL REFERENCES items(id), tag TEXT NOT NULL)",
    };
    /** Written in PostgreSQL's dialect; the SQLite side receives them through the emulation. */
    private static final String[] ROWS = {
        "INSERT INTO items VALUES (1, 'apple', 3, 12.50, 0.1, true, '2024-01-15 10:30:00', '2024-01-15 10:30:00.5+00', "
                + "'2024-01-15', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff'::bytea, NULL, "
                + "'{\"color\": \"red\", \"ripe\": true, \"n\": 2}')",
        "INSERT INTO items VALUES (2, 'banana', NULL, 0.99, 1e-7, false, '2023-12-31 23:59:59.999999', "
                + "'2024-06-01 08:00:00+02', '2000-02-29', 'B0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12', '\\xdeadbeef'::bytea, "
                + "'it''s yellow', '{\"color\": \"yellow\"}')",
        "INSERT INTO items VALUES (3, 'cherry', 120, 1000.00, 123456.789, NULL, NULL, NULL, NULL, NULL, NULL, "
                + "'100% red_ish', NULL)",
        "INSERT INTO items (id, name, qty, active) VALUES (4, 'date', 7, true)",
        "INSERT INTO tags VALUES (1, 'fruit'), (1, 'red'), (2, 'fruit'), (3, 'small')",
    };

    private static Connection postgres;
    private static Path sqliteDir;
    private static SqliteStore store;
    private static SqlSession session;

    @BeforeAll
    static void createBoth(TestDatabase db) throws Exception {
        postgres = db.connect();
        String timeZone;
        try (Statement s = postgres.createStatement()) {
            for (String sql : POSTGRES_SCHEMA) {
                s.execute(sql);
            }
            for (String sql : ROWS) {
                s.execute(sql);
            }
            try (ResultSet rs = s.executeQuery("SHOW TimeZone")) {
                rs.next();
                timeZone = rs.getString(1);
            }
        }
        sqliteDir = Files.createTempDirectory("tandem-emulation");
        Path file = sqliteDir.resolve("app.db");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : SQLITE_SCHEMA) {
                s.execute(sql);
            }
        }
        store = SqliteStore.open("old", file, new SqliteConfig(Duration.ofSeconds(5), 2), Duration.ofSeconds(5),
                Clock.systemUTC());
        // the settings pgjdbc gives its own session, so both print alike
        session = store.openSession(new tandem.core.store.SessionSettings("test", "app",
                Map.of("TimeZone", timeZone, "extra_float_digits", "3", "DateStyle", "ISO")));
        for (String sql : ROWS) {
            SqliteFixture.query(session, sql);
        }
    }

    @AfterAll
    static void closeBoth() throws Exception {
        if (session != null) {
            session.close();
        }
        if (store != null) {
            store.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** What a statement answered: column names and text rows, or the SQLSTATE it failed with. */
    private record Answer(List<String> columns, List<List<String>> rows, String sqlState) {
    }

    private static Answer fromPostgres(String sql) {
        try (Statement s = postgres.createStatement()) {
            if (!s.execute(sql)) {
                return new Answer(List.of(), List.of(List.of(Long.toString(s.getLargeUpdateCount()))), null);
            }
            try (ResultSet rs = s.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
                return new Answer(columns, rows, null);
            }
        } catch (SQLException e) {
            return new Answer(List.of(), List.of(), e.getSQLState());
        }
    }

    private static Answer fromSqlite(String sql) {
        try {
            SqliteFixture.Result r = SqliteFixture.query(session, sql).get(0);
            if (r.columns().isEmpty()) {
                // pgjdbc's update count: the tag's row count, 0 for commands without one (SET, BEGIN)
                String last = r.tag().substring(r.tag().lastIndexOf(' ') + 1);
                return new Answer(List.of(), List.of(List.of(last.matches("\\d+") ? last : "0")), null);
            }
            return new Answer(r.columns(), r.rows(), null);
        } catch (ProxyException e) {
            return new Answer(List.of(), List.of(), e.state().code());
        }
    }

    private static void agree(String sql) {
        Answer expected = fromPostgres(sql);
        Answer actual = fromSqlite(sql);
        assertThat(actual).as(sql).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT id, name, qty, price, weight, active, created, seen, day, ref, data, note FROM items ORDER BY id",
        "SELECT * FROM tags ORDER BY item_id, tag",
        "SELECT count(*), count(qty), sum(qty), max(name), min(created), max(day) FROM items",
        "SELECT name, qty * 2 AS double_qty, qty > 2 AS many, NOT active AS idle FROM items ORDER BY id",
        "SELECT upper(name), length(name), name || '!' AS shout, coalesce(note, 'none') AS note FROM items ORDER BY id",
        "SELECT 'qty: ' || qty + 1 AS label FROM items ORDER BY id",
        "SELECT name FROM items WHERE name LIKE 'b%' OR name LIKE '%rr%' ORDER BY id",
        "SELECT name FROM items WHERE note LIKE '100\\% red\\_ish'",
        "SELECT name FROM items WHERE name ILIKE 'APP%' OR name NOT ILIKE '%a%' ORDER BY id",
        "SELECT id FROM items WHERE ref = 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'",
        "SELECT id FROM items WHERE ref IN ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{b0eebc999c0b4ef8bb6d6bb9bd380a12}') ORDER BY id",
        "SELECT name FROM items WHERE active = 'true' OR active = 'n' ORDER BY id",
        "SELECT name FROM items WHERE day = '2024-1-15' OR created > '2024-01-15T10:00:00Z' ORDER BY id",
        "SELECT name FROM items WHERE seen < '2024-01-15 11:00:00.5+01' ORDER BY id",
        "SELECT name FROM items WHERE data = '\\x00FF'",
        "SELECT name FROM items WHERE qty = '3' AND price = '12.5'",
        "SELECT name, qty FROM items ORDER BY qty",
        "SELECT name, qty FROM items ORDER BY qty DESC",
        "SELECT name, note FROM items ORDER BY note NULLS FIRST, id",
        "SELECT name FROM items ORDER BY id LIMIT 2 OFFSET 1",
        "SELECT active, count(*) AS n FROM items GROUP BY active ORDER BY active",
        "SELECT i.name, t.tag FROM items i JOIN tags t ON t.item_id = i.id WHERE t.tag <> 'fruit' ORDER BY i.id, t.tag",
        "SELECT name FROM items WHERE id IN (SELECT item_id FROM tags WHERE tag = 'fruit') ORDER BY id",
        "SELECT name, EXISTS (SELECT 1 FROM tags WHERE item_id = items.id) AS tagged FROM items ORDER BY id",
        "SELECT name, CASE WHEN qty IS NULL THEN 'unknown' WHEN qty > 10 THEN 'many' ELSE 'few' END AS amount "
                + "FROM items ORDER BY id",
        "SELECT doc->>'color' AS color, doc->>'ripe' AS ripe, doc->>'n' AS n, doc->>'none' AS none FROM items ORDER BY id",
        "SELECT 41::int + 1, '7'::bigint, '2024-01-15 10:30'::timestamp, '1.5'::numeric(10,2), 'yes'::boolean, "
                + "42::text, '2024-02-29'::date, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, '\\x0102'::bytea, "
                + "'abcdef'::varchar(3), CAST('12' AS integer), '08:30'::time",
        "SELECT DATE '2024-01-15', TIMESTAMP '2024-01-15 10:30:00.25', 12.5::int, 13.5::int, (-2.5)::int",
        "SELECT true, false, 1 = 1, 2 < 1, NULL::text, coalesce(NULL, 'x'), NULL IS NULL",
        "SELECT 7 / 2, -7 / 2, 7 % 3, -7 % 3, 9 / 3 * 2",
        "SELECT greatest(1, 5, 3), least(4, 2, 8), greatest(NULL, 2), nullif(1, 1), abs(-3)",
        "SELECT seen, created, day FROM items WHERE seen > '2024-01-01' ORDER BY seen",
        "SELECT name FROM items WHERE created BETWEEN '2024-01-01' AND '2024-12-31'",
        "SELECT name, price FROM items WHERE price > 1 ORDER BY price",
        "SELECT E'tab\\there', $$dollar's$$, U&'\\0041BC'",
        "SELECT name FROM items ORDER BY id FETCH FIRST 2 ROWS ONLY",
        "SELECT row_number() OVER (ORDER BY qty DESC) AS rank, name FROM items ORDER BY rank",
        "SELECT length(gen_random_uuid()::text), now() = now(), CURRENT_DATE = CURRENT_DATE",
        "SELECT id FROM items WHERE id = 1 FOR UPDATE",
    })
    void answersQueriesAsPostgresDoes(String sql) {
        agree(sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1 / 0",
        "SELECT 5 % 0",
        "SELECT 'abc'::int",
        "SELECT 99999999999::int",
        "SELECT 'maybe'::boolean",
        "SELECT 'not-a-uuid'::uuid",
        "SELECT '{bad json'::json",
        "SELECT 123.456::numeric(4,2)",
        "INSERT INTO items (id, name) VALUES (1, 'duplicate id')",
        "INSERT INTO items (id, name) VALUES (10, 'apple')",
        "INSERT INTO items (id) VALUES (11)",
        "INSERT INTO tags VALUES (99, 'orphan')",
        "INSERT INTO items (id, name, active) VALUES (12, 'x', 'perhaps')",
        "INSERT INTO items (id, name, ref) VALUES (13, 'y', 'not-a-uuid')",
        "INSERT INTO items (id, name, qty) VALUES (14, 'z', 'many')",
        "UPDATE items SET day = 'someday' WHERE id = 1",
        "SELECT * FROM nowhere",
        "SELECT missing_column FROM items",
        "SELEC 1",
        "SELECT 1 +",
        "SET no_such_setting = 1",
        "SELECT date_trunc_nonexistent('day')",
    })
    void failsWithPostgresSqlState(String sql) {
        agree(sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "UPDATE items SET qty = qty + 1 WHERE qty IS NOT NULL",
        "UPDATE items SET note = 'none' WHERE id > 100",
        "DELETE FROM tags WHERE tag = 'small'",
        "INSERT INTO tags VALUES (4, 'dry'), (4, 'sweet')",
        "INSERT INTO tags SELECT id, 'all' FROM items",
    })
    void changesAsManyRowsAsPostgresDoes(String sql) {
        agree(sql);
        agree("SELECT count(*), sum(qty) FROM items, tags WHERE tags.item_id = items.id");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SHOW TimeZone",
        "SHOW DateStyle",
        "SHOW standard_conforming_strings",
        "SHOW integer_datetimes",
        "SHOW transaction_isolation",
        "SHOW bytea_output",
        "SHOW IntervalStyle",
    })
    void showsSettingsAsPostgresDoes(String sql) {
        agree(sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {"America/New_York", "Asia/Kolkata", "UTC"})
    void printsTimestamptzInTheSessionZoneAsPostgresDoes(String zone) {
        agree("SET TIME ZONE '" + zone + "'");
        try {
            agree("SELECT seen, created FROM items ORDER BY id");
            agree("SELECT '2024-03-10 02:30:00'::timestamptz, '2024-07-01 12:00:00+05:30'::timestamptz");
            agree("SHOW TimeZone");
        } finally {
            agree("RESET TIME ZONE");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 1, 0, -3})
    void printsFloatsWithTheSessionsExtraFloatDigits(int digits) {
        agree("SET extra_float_digits = " + digits);
        try {
            agree("SELECT weight, weight * 3 AS tripled FROM items ORDER BY id");
        } finally {
            agree("SET extra_float_digits = 3");
        }
    }

    @Test
    void storesLiteralsAsTheirColumnsTypeAsPostgresDoes() {
        agree("INSERT INTO items (id, name, active, ref, created, seen, day, data) VALUES (30, 'kiwi', 'yes', "
                + "'C0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A13', '2024-03-01T09:00:00.000Z', '2024-03-01T09:00:00-05:00', "
                + "'2024-3-1', '\\xCAFE')");
        agree("SELECT active, ref, created, seen, day, data FROM items WHERE id = 30");
        agree("SELECT name FROM items WHERE active AND ref = 'c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13'");
        agree("UPDATE items SET active = 'off', day = '2024-03-02' WHERE id = 30");
        agree("SELECT active, day FROM items WHERE id = 30");
        agree("DELETE FROM items WHERE id = 30");
    }

    @Test
    void fillsDefaultInValuesAndSetAsPostgresDoes() {
        agree("INSERT INTO items (id, name, qty, note, active) VALUES (40, 'lime', DEFAULT, 'sour', DEFAULT), "
                + "(41, 'plum', 5, DEFAULT, true)");
        agree("SELECT id, qty, note, active FROM items WHERE id >= 40 ORDER BY id");
        agree("UPDATE items SET qty = DEFAULT, note = DEFAULT WHERE id = 40");
        agree("SELECT id, qty, note FROM items WHERE id >= 40 ORDER BY id");
        agree("DELETE FROM items WHERE id >= 40");
    }

    @Test
    void returnsChangedRowsAsPostgresDoes() {
        agree("INSERT INTO items (id, name, qty, active, day) VALUES (20, 'fig', 5, false, '2024-05-05') "
                + "RETURNING id, name, qty, active, day");
        agree("UPDATE items SET qty = qty * 2 WHERE id = 20 RETURNING name, qty");
        agree("DELETE FROM items WHERE id = 20 RETURNING id");
    }
}
