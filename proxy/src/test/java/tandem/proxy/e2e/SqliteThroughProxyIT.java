package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/**
 * A SQLite store behind tandem, used as applications use PostgreSQL: pgjdbc with prepared
 * statements, batches, generated keys, binary results, streaming, transactions and errors, several
 * clients at once, and psql.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteThroughProxyIT {

    private Path dir;
    private Proxy proxy;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        Path file = dir.resolve("app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, "
                    + "name TEXT, active BOOLEAN NOT NULL DEFAULT 1, score REAL, created_at TIMESTAMP NOT NULL "
                    + "DEFAULT CURRENT_TIMESTAMP, token UUID, avatar BLOB)");
            s.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            s.execute("INSERT INTO counters VALUES ('hits', 0)");
        }
        proxy = Proxy.sqlite(file, "app");
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    private Connection connect(String... properties) throws SQLException {
        Properties p = new Properties();
        for (int i = 0; i < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        return proxy.connect(p);
    }

    @Test
    void preparedStatementsWriteAndReadPostgresTypesInTextAndBinary() throws Exception {
        for (String threshold : List.of("0", "1")) {
            try (Connection c = connect("prepareThreshold", threshold)) {
                UUID token = UUID.randomUUID();
                LocalDateTime at = LocalDateTime.of(2024, 2, 29, 12, 30, 45, 123_456_000);
                long id;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (email, name, active, score, "
                        + "created_at, token, avatar) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                    insert.setString(1, "types-" + threshold + "@example.com");
                    insert.setString(2, "Zoë ✓ 漢字");
                    insert.setBoolean(3, false);
                    insert.setDouble(4, 0.1 + 0.2);
                    insert.setTimestamp(5, Timestamp.valueOf(at));
                    insert.setObject(6, token);
                    insert.setBytes(7, new byte[] {0, 1, (byte) 0xFE});
                    try (ResultSet rs = insert.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        id = rs.getLong(1);
                    }
                }
                try (PreparedStatement select = c.prepareStatement("SELECT * FROM users WHERE id = ?")) {
                    for (int repeat = 0; repeat < 3; repeat++) {
                        select.setLong(1, id);
                        try (ResultSet rs = select.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getString("email")).isEqualTo("types-" + threshold + "@example.com");
                            assertThat(rs.getString("name")).isEqualTo("Zoë ✓ 漢字");
                            assertThat(rs.getBoolean("active")).isFalse();
                            assertThat(rs.getObject("active")).isEqualTo(Boolean.FALSE);
                            assertThat(rs.getDouble("score")).isEqualTo(0.1 + 0.2);
                            assertThat(rs.getTimestamp("created_at").toLocalDateTime()).isEqualTo(at);
                            assertThat(rs.getObject("token", UUID.class)).isEqualTo(token);
                            assertThat(rs.getBytes("avatar")).containsExactly(0, 1, 0xFE);
                            assertThat(rs.getMetaData().getColumnTypeName(rs.findColumn("active"))).isEqualTo("bool");
                            assertThat(rs.getMetaData().getColumnTypeName(rs.findColumn("id"))).isEqualTo("int8");
                        }
                    }
                }
            }
        }
    }

    @Test
    void batchesAndGeneratedKeysWorkWithAndWithoutRewriting() throws Exception {
        for (String rewrite : List.of("false", "true")) {
            try (Connection c = connect("reWriteBatchedInserts", rewrite);
                    PreparedStatement insert = c.prepareStatement("INSERT INTO users (email, name) VALUES (?, ?)",
                            Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < 300; i++) {
                    insert.setString(1, "batch-" + rewrite + "-" + i + "@example.com");
                    insert.setString(2, "batch " + i);
                    insert.addBatch();
                }
                insert.executeBatch();
                List<Long> ids = new ArrayList<>();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    while (keys.next()) {
                        ids.add(keys.getLong("id"));
                    }
                }
                assertThat(ids).hasSize(300).doesNotHaveDuplicates();
                assertThat(count(c, "SELECT count(*) FROM users WHERE email LIKE 'batch-" + rewrite + "-%'")).isEqualTo(300);
            }
        }
    }

    @Test
    void aFailingStatementRollsBackItsBatchAndUniqueViolationsAre23505() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (email) VALUES ('unique@example.com')");
            assertThatThrownBy(() -> s.execute("INSERT INTO users (email) VALUES ('unique@example.com')"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (email) VALUES (?)")) {
                for (String email : List.of("atomic-1@example.com", "atomic-2@example.com", "unique@example.com")) {
                    insert.setString(1, email);
                    insert.addBatch();
                }
                assertThatThrownBy(insert::executeBatch).isInstanceOf(SQLException.class);
            }
            assertThat(count(c, "SELECT count(*) FROM users WHERE email LIKE 'atomic-%'")).isZero();
        }
    }

    @Test
    void transactionsSavepointsAndFailedBlocksBehaveAsInPostgres() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO users (email) VALUES ('tx-a@example.com')");
            var savepoint = c.setSavepoint("sp");
            s.execute("INSERT INTO users (email) VALUES ('tx-b@example.com')");
            c.rollback(savepoint);
            c.commit();
            assertThatThrownBy(() -> s.execute("SELECT * FROM no_such_table")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
            c.rollback();
            c.setAutoCommit(true);
            assertThat(count(c, "SELECT count(*) FROM users WHERE email IN ('tx-a@example.com', 'tx-b@example.com')"))
                    .isEqualTo(1);
        }
    }

    @Test
    void fetchSizeStreamsALargeResultInPortions() throws Exception {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement select = c.prepareStatement(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i FROM n")) {
                select.setFetchSize(1000);
                long sum = 0;
                int rows = 0;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        sum += rs.getLong(1);
                        rows++;
                    }
                }
                assertThat(rows).isEqualTo(100_000);
                assertThat(sum).isEqualTo(100_000L * 100_001 / 2);
            }
            c.commit();
        }
    }

    @Test
    void whatSqliteCannotExpressIsRefusedWithAClearError() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("LISTEN events")).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("0A000");
                assertThat(e.getMessage()).containsIgnoringCase("LISTEN");
            });
            assertThatThrownBy(() -> s.execute("SELECT DISTINCT ON (name) name FROM users"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
            assertThat(count(c, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void cancelInterruptsALongQuery() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
                try {
                    s.executeQuery("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                            + "SELECT count(*) FROM n WHERE i < 0");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            // SQLite shows no running statements; cancel until it stops (a cancel before it starts does nothing)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!running.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                s.cancel();
            }
            assertThat(running.get(20, TimeUnit.SECONDS)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(count(c, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void manyClientsReadAndWriteAtOnceWithoutLosingAnUpdate() throws Exception {
        int clients = 8;
        int increments = 50;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                done.add(pool.submit(() -> {
                    try (Connection c = connect();
                            PreparedStatement bump = c.prepareStatement(
                                    "UPDATE counters SET value = value + 1 WHERE name = 'hits'");
                            PreparedStatement read = c.prepareStatement("SELECT value FROM counters WHERE name = 'hits'")) {
                        for (int i = 0; i < increments; i++) {
                            bump.executeUpdate();
                            try (ResultSet rs = read.executeQuery()) {
                                rs.next();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = connect()) {
            assertThat(count(c, "SELECT value FROM counters WHERE name = 'hits'")).isEqualTo((long) clients * increments);
        }
    }

    @Test
    void psqlWorksAgainstTheSqliteStore() throws Exception {
        Path script = dir.resolve("sqlite.sql");
        Files.writeString(script, """
                CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, done BOOLEAN NOT NULL DEFAULT false);
                INSERT INTO notes (body) VALUES ('first'), ('ünïcødé ✓'), (NULL);
                UPDATE notes SET done = true WHERE id = 1;
                SELECT id, body, done FROM notes ORDER BY id;
                SELECT 1/0;
                BEGIN;
                INSERT INTO notes (body) VALUES ('rolled back');
                ROLLBACK;
                SELECT count(*) FROM notes;
                \\copy notes TO 'notes.csv' CSV
                """);
        Map<String, String> env = proxy.libpqEnvironment();
        Clients.Result run = Clients.run(dir, env, 60, "psql", "-X", "-f", "sqlite.sql");
        assertThat(run.stdout()).contains("CREATE TABLE").contains("INSERT 0 3").contains("UPDATE 1")
                .contains("ünïcødé ✓").contains(" t").contains("(3 rows)").contains("ROLLBACK");
        assertThat(run.stdout()).containsPattern("count\\s*\\n-+\\n\\s*3");
        assertThat(run.stderr()).contains("ERROR:  division by zero").contains("COPY");
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
