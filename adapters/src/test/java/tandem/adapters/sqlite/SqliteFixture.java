package tandem.adapters.sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import tandem.config.SqliteConfig;
import tandem.core.store.SessionSettings;
import tandem.core.store.SqlSession;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * A SQLite file with a schema, a store over it, and helpers that drive a {@link SqlSession} the
 * way the protocol half does: a batch per call, values printed as PostgreSQL text.
 */
final class SqliteFixture implements AutoCloseable {

    /** What one statement returned: column names, rows as PostgreSQL text (null for NULL), and the tag. */
    record Result(List<String> columns, List<PgType> types, List<List<String>> rows, String tag) {

        String value() {
            return rows.get(0).get(0);
        }

        List<String> column(int i) {
            return rows.stream().map(r -> r.get(i)).toList();
        }
    }

    final Path file;
    final SqliteStore store;

    private SqliteFixture(Path file, SqliteStore store) {
        this.file = file;
        this.store = store;
    }

    static SqliteFixture create(Path dir, String... schema) {
        return create(dir, new SqliteConfig(Duration.ofSeconds(2), 2), Clock.systemUTC(), schema);
    }

    static SqliteFixture create(Path dir, SqliteConfig config, Clock clock, String... schema) {
        Path file = dir.resolve("test.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : schema) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new SqliteFixture(file, SqliteStore.open("old", file, config, Duration.ofSeconds(2), clock));
    }

    SqlSession session() {
        return session(Map.of());
    }

    SqlSession session(Map<String, String> startup) {
        return store.openSession(new SessionSettings("alice", "app", startup));
    }

    /** Runs statements as one simple Query would: one batch, an implicit transaction unless BEGIN says otherwise. */
    static List<Result> query(SqlSession session, String... statements) {
        List<Result> results = new ArrayList<>();
        boolean failed = false;
        session.beginBatch(true);
        try {
            for (String sql : statements) {
                results.add(run(session, session.prepare(sql, List.of()), List.of()));
            }
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        } finally {
            session.endBatch(failed);
        }
        return results;
    }

    static Result one(SqlSession session, String sql, Object... parameters) {
        return one(session, sql, List.of(), parameters);
    }

    /** One statement with parameters, as Parse/Bind/Execute/Sync would run it. */
    static Result one(SqlSession session, String sql, List<PgType> declared, Object... parameters) {
        boolean failed = false;
        try {
            SqlSession.PreparedSql prepared = session.prepare(sql, declared);
            session.beginBatch(!prepared.readOnly());
            return run(session, prepared, Arrays.asList(parameters));
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        } finally {
            session.endBatch(failed);
        }
    }

    static Result run(SqlSession session, SqlSession.PreparedSql prepared, List<Object> parameters) {
        try (SqlSession.Cursor cursor = session.execute(prepared, parameters)) {
            List<SqlSession.Column> columns = cursor.columns();
            List<List<String>> rows = new ArrayList<>();
            while (cursor.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    byte[] text = PgValues.encodeText(columns.get(i).type(), cursor.value(i), session.outputSettings());
                    row.add(text == null ? null : new String(text, StandardCharsets.UTF_8));
                }
                rows.add(row);
            }
            return new Result(columns.stream().map(SqlSession.Column::name).toList(),
                    columns.stream().map(SqlSession.Column::type).toList(), rows, cursor.commandTag());
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
