package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.MigrationConfig;
import tandem.config.PoolConfig;
import tandem.config.PoolMode;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;
import tandem.core.session.AdmissionGate;
import tandem.core.verify.Equivalence;

/**
 * Writes through tandem land in both stores, row for row: generated keys and defaults as the old
 * store made them, nothing of a rolled-back or failed transaction, and the client sees exactly what
 * the old store alone would have answered.
 */
class MirroringIT {

    /** The old store and how tandem reaches it. */
    enum Primary {
        SQLITE, POSTGRES_SESSION, POSTGRES_TRANSACTION
    }

    private static final String PG_SCHEMA = """
            CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL, balance numeric(12,2) NOT NULL DEFAULT 0,
              active boolean NOT NULL DEFAULT true, created_at timestamptz NOT NULL DEFAULT now(),
              ext uuid NOT NULL DEFAULT gen_random_uuid(), doc jsonb, photo bytea, score double precision);
            CREATE TABLE entries (account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, seq int NOT NULL,
              note text, PRIMARY KEY (account_id, seq));
            CREATE TABLE notes (body text, at timestamptz)""";

    private static final String SQLITE_SCHEMA = """
            CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, balance NUMERIC NOT NULL DEFAULT 0,
              active BOOLEAN NOT NULL DEFAULT 1, created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
              ext UUID NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
                || substr(lower(hex(randomblob(2))), 2) || '-a' || substr(lower(hex(randomblob(2))), 2) || '-'
                || lower(hex(randomblob(6)))),
              doc JSON, photo BLOB, score REAL);
            CREATE TABLE entries (account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, seq INTEGER NOT NULL,
              note TEXT, PRIMARY KEY (account_id, seq));
            CREATE TABLE notes (body TEXT, at TIMESTAMPTZ)""";

    private TestDatabase oldDb;
    private Path oldFile;
    private TestDatabase newDb;
    private Proxy proxy;
    /** Starts tandem again on the same stores with the same config. */
    private java.util.function.Supplier<Proxy> restart;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private Proxy start(Primary primary) throws Exception {
        return start(primary, MigrationConfig.defaults().withShadowSample(0));
    }

    private Proxy start(Primary primary, MigrationConfig migration) throws Exception {
        newDb = TestPostgres.shared().createDatabase("mirror_new");
        newDb.execute(PG_SCHEMA.split(";"));
        StoreConfig newStore = StoreConfig.postgres(newDb.jdbcUrl(), newDb.user(), blankToNull(newDb.password()));
        TandemConfig.Builder builder = TandemConfig.builder().newStore(newStore).migration(migration);
        if (primary == Primary.SQLITE) {
            oldFile = Files.createTempDirectory("tandem-mirror").resolve("old.db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + oldFile); Statement s = c.createStatement()) {
                for (String ddl : SQLITE_SCHEMA.split(";")) {
                    s.execute(ddl);
                }
            }
            TandemConfig.Builder sqlite = builder.database("app").oldStore(StoreConfig.sqlite(oldFile));
            restart = () -> Proxy.start(sqlite, "app");
        } else {
            oldDb = TestPostgres.shared().createDatabase("mirror_old");
            oldDb.execute(PG_SCHEMA.split(";"));
            PoolMode mode = primary == Primary.POSTGRES_SESSION ? PoolMode.SESSION : PoolMode.TRANSACTION;
            PoolConfig d = PoolConfig.defaults(mode);
            PoolConfig pool = new PoolConfig(mode, 8, 0, d.acquireTimeout(), d.connectTimeout(), d.idleTimeout(),
                    d.maxLifetime());
            StoreConfig oldStore = StoreConfig.postgres(oldDb.jdbcUrl(), oldDb.user(), blankToNull(oldDb.password()))
                    .withPool(pool);
            TandemConfig.Builder postgres = builder.database(oldDb.name()).oldStore(oldStore);
            restart = () -> Proxy.start(postgres, oldDb.name());
        }
        proxy = restart.get();
        return proxy;
    }

    /** The old store as PostgreSQL clients see it: through tandem (reads stay on the old store at 0 %). */
    private Connection oldStore() throws SQLException {
        return proxy.connect();
    }

    @ParameterizedTest
    @EnumSource(Primary.class)
    void generatedKeysAndDefaultsReachTheNewStoreAsTheOldOneMadeThem(Primary primary) throws Exception {
        start(primary);
        try (Connection c = proxy.connect()) {
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO accounts (name, balance, doc, score) VALUES "
                        + "('ada', 10.50, '{\"a\": [1, 2]}', 1.5), ('bob', 0, NULL, NULL)")).isEqualTo(2);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (name, photo, active) VALUES (?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "cy");
                ps.setBytes(2, new byte[] {0, 1, (byte) 0xff});
                ps.setBoolean(3, false);
                assertThat(ps.executeUpdate()).isEqualTo(1);
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong("id")).isEqualTo(3);
                    assertThat(keys.getString("name")).isEqualTo("cy");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO entries (account_id, seq, note) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    ps.setLong(1, 1);
                    ps.setInt(2, i);
                    ps.setString(3, "entry " + i);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsOnly(1);
            }
        }
        assertSameRows();
        assertThat(count(newDb, "accounts")).isEqualTo(3);
        assertThat(count(newDb, "entries")).isEqualTo(3);
    }

    /**
     * What a cutover relies on: with the admission gate closed, a transaction already open runs to
     * its commit (and the gate reports drained only then), while a session that starts a new one
     * waits, unanswered, until the gate opens again.
     */
    @ParameterizedTest
    @EnumSource(Primary.class)
    void aClosedGateLetsOpenTransactionsFinishAndHoldsNewOnesUntilItOpens(Primary primary) throws Exception {
        start(primary);
        AdmissionGate gate = proxy.admission();
        try (Connection open = proxy.connect(); Connection later = proxy.connect()) {
            open.setAutoCommit(false);
            try (Statement s = open.createStatement()) {
                s.executeUpdate("INSERT INTO accounts (name) VALUES ('inside')");
            }
            CompletableFuture<Void> drained = gate.close();
            CompletableFuture<Long> held = CompletableFuture.supplyAsync(() -> {
                try (Statement s = later.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*) FROM accounts")) {
                    rs.next();
                    return rs.getLong(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(held).as("a new transaction waits at the closed gate").isNotDone();
            assertThat(drained).as("a transaction is still open").isNotDone();
            open.commit();
            drained.get(10, TimeUnit.SECONDS);
            assertThat(held).as("still held after the drain, until the gate opens").isNotDone();
            assertThat(gate.waiting()).isEqualTo(1);
            gate.open();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            gate.open();
        }
        assertSameRows();
    }

    @ParameterizedTest
    @EnumSource(Primary.class)
    void theClientSeesWhatTheOldStoreAloneWouldHaveAnswered(Primary primary) throws Exception {
        start(primary);
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("INSERT INTO accounts (name) VALUES ('x'), ('y') RETURNING name, balance")) {
                assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
                assertThat(rs.getMetaData().getColumnName(1)).isEqualTo("name");
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                assertThat(names).containsExactly("x", "y");
            }
            assertThat(s.executeUpdate("UPDATE accounts SET balance = balance + 1 WHERE name IN ('x', 'y')")).isEqualTo(2);
            assertThat(s.executeUpdate("UPDATE accounts SET balance = 0 WHERE name = 'nobody'")).isZero();
            assertThat(s.executeUpdate("DELETE FROM accounts WHERE name = 'y'")).isEqualTo(1);
            assertThat(s.execute("UPDATE accounts SET name = 'z' WHERE name = 'x'")).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(1);
        }
        assertSameRows();
        assertThat(count(newDb, "accounts")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Primary.class)
    void rollbacksAndFailedTransactionsLeaveNothingBehind(Primary primary) throws Exception {
        start(primary);
        try (Connection c = proxy.connect()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO accounts (name) VALUES ('keep')");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO accounts (name) VALUES ('rolled back')");
                s.executeUpdate("UPDATE accounts SET balance = 99 WHERE name = 'keep'");
            }
            c.rollback();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO accounts (name) VALUES ('failed')");
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO accounts (id, name) VALUES (1, 'duplicate')"))
                        .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState())
                        .isEqualTo("23505");
            }
            c.rollback();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO accounts (name) VALUES ('committed in a block')");
                s.executeUpdate("UPDATE accounts SET balance = 5 WHERE name = 'keep'");
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                // one implicit transaction: the failing statement takes the first one with it
                assertThatThrownBy(() -> s.execute("INSERT INTO accounts (name) VALUES ('implicit'); SELECT 1/0"))
                        .isInstanceOf(SQLException.class);
            }
        }
        assertSameRows();
        try (Connection n = newDb.connect(); Statement s = n.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, balance FROM accounts ORDER BY id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getBigDecimal(2).stripTrailingZeros().toPlainString());
            }
            assertThat(rows).containsExactly("keep 5", "committed in a block 0");
        }
    }

    @ParameterizedTest
    @EnumSource(Primary.class)
    void deletesCascadeOnBothStoresAndKeylessTablesAreReplayed(Primary primary) throws Exception {
        start(primary);
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO accounts (name) VALUES ('a'), ('b')");
            s.executeUpdate("INSERT INTO entries VALUES (1, 1, 'one'), (1, 2, 'two'), (2, 1, 'other')");
            s.executeUpdate("DELETE FROM accounts WHERE id = 1");
            s.executeUpdate("UPDATE entries SET note = 'changed' WHERE account_id = 2");
            s.executeUpdate("INSERT INTO notes (body) VALUES ('replayed')");
        }
        assertSameRows();
        assertThat(count(newDb, "entries")).isEqualTo(1);
        assertThat(count(newDb, "notes")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Primary.class)
    void schemaChangesOnMirroredTablesAreRefusedWithAnExplanation(Primary primary) throws Exception {
        start(primary);
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("ALTER TABLE accounts ADD COLUMN nickname text"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> {
                        assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000");
                        assertThat(e.getMessage()).contains("accounts");
                    });
            // the session goes on
            s.executeUpdate("INSERT INTO accounts (name) VALUES ('after')");
        }
        assertSameRows();
        String status = http(proxy, "/api/status");
        assertThat(status).contains("\"mode\" : \"mirroring\"").contains("\"synced\" : 1")
                .contains("\"refusedStatements\" : 1");
        assertThat(http(proxy, "/metrics")).containsPattern("tandem_mirror_total\\{outcome=\"synced\"\\} 1\\.0")
                .contains("tandem_repair_backlog_rows").contains("hikaricp_connections_active{pool=\"tandem-new\"}");
    }

    @ParameterizedTest
    @EnumSource(Primary.class)
    void preparedWritesThatReturnRowsKeepTheirShape(Primary primary) throws Exception {
        start(primary);
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "1");
        try (Connection c = proxy.connect(p)) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ? "
                    + "RETURNING balance")) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO accounts (name) VALUES ('p')");
                }
                for (int i = 1; i <= 5; i++) {
                    ps.setBigDecimal(1, java.math.BigDecimal.ONE);
                    ps.setLong(2, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(1);
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getBigDecimal(1).intValue()).isEqualTo(i);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM accounts WHERE ext = ?")) {
                ps.setObject(1, UUID.randomUUID());
                assertThat(ps.executeUpdate()).isZero();
            }
        }
        assertSameRows();
    }

    @ParameterizedTest
    @EnumSource(Primary.class)
    void pipelinedCommitsAnswerInOrderEachAfterItsSync(Primary primary) throws Exception {
        start(primary);
        String database = primary == Primary.SQLITE ? "app" : oldDb.name();
        try (RawClient raw = RawClient.login("127.0.0.1", proxy.port(), primary == Primary.SQLITE ? "app" : oldDb.user(),
                database)) {
            // sent at once: the second and third batches arrive while the first commit's answer is held
            raw.query("INSERT INTO accounts (name) VALUES ('p1')")
                    .query("SELECT count(*) FROM accounts")
                    .parse("", "INSERT INTO accounts (name) VALUES ($1)").bind("", "", "p2").execute("", 0).sync()
                    .query("BEGIN; UPDATE accounts SET balance = 3 WHERE name = 'p1'; COMMIT");
            List<String> answers = raw.await(4).stream().map(m -> m.type() + m.summary()).toList();
            assertThat(answers).containsExactly("CINSERT 0 1", "ZI", "T1", "D1", "CSELECT 1", "ZI",
                    "1", "2", "CINSERT 0 1", "ZI", "CBEGIN", "CUPDATE 1", "CCOMMIT", "ZI");
        }
        assertSameRows();
        assertThat(count(newDb, "accounts")).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Primary.class)
    void aRollbackToASavepointUndoesOnlyWhatCameAfterIt(Primary primary) throws Exception {
        start(primary);
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO accounts (name) VALUES ('before the savepoint')");
            s.execute("SAVEPOINT s1");
            s.executeUpdate("INSERT INTO accounts (name) VALUES ('rolled back to the savepoint')");
            s.execute("ROLLBACK TO SAVEPOINT s1");
            s.executeUpdate("INSERT INTO accounts (name) VALUES ('after the savepoint')");
            c.commit();
        }
        // at once: the commit was acknowledged only after its rows were synced
        assertSameRows();
        try (Connection n = newDb.connect(); Statement s = n.createStatement();
                ResultSet rs = s.executeQuery("SELECT string_agg(name, ', ' ORDER BY id) FROM accounts")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("before the savepoint, after the savepoint");
        }
    }

    @ParameterizedTest
    @EnumSource(Primary.class)
    void bulkWritesReachTheNewStoreAndLeaveNothingInTheRepairLog(Primary primary) throws Exception {
        start(primary);
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= 203; i++) {
            values.append(i == 1 ? "" : ", ").append("('bulk ").append(i).append("')");
        }
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO accounts (name) VALUES " + values)).isEqualTo(203);
            assertThat(s.executeUpdate("UPDATE accounts SET balance = 7 WHERE id % 2 = 1")).isEqualTo(102);
            assertThat(s.executeUpdate("DELETE FROM accounts WHERE id > 150")).isEqualTo(53);
        }
        assertSameRows();
        assertThat(count(newDb, "accounts")).isEqualTo(150);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (repairLogRows() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(repairLogRows()).as("entries left in the repair log after their syncs").isZero();
    }

    /**
     * The demo's scenario: children mirrored before their parents are on the new store (no backfill
     * yet) wait in the repair log, more of them than the drainer takes in a pass, and the status says
     * why; a later write brings the parents, and they drain by themselves.
     */
    @ParameterizedTest
    @EnumSource(value = Primary.class, names = {"SQLITE", "POSTGRES_SESSION"})
    void childrenMirroredBeforeTheirParentsDrainOnceTheParentsArrive(Primary primary) throws Exception {
        start(primary);
        try (Connection c = oldDb == null ? DriverManager.getConnection("jdbc:sqlite:" + oldFile) : oldDb.connect();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts (id, name) VALUES (1, 'from before tandem'), (2, 'also')");
        }
        int children = 520; // the drainer takes 500 entries a pass
        try (Connection c = proxy.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO entries "
                + "(account_id, seq, note) VALUES (?, ?, 'before its parent')")) {
            for (int i = 1; i <= children; i++) {
                ps.setLong(1, i % 2 + 1);
                ps.setInt(2, i);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        assertThat(count(newDb, "entries")).isZero();
        assertThat(repairLogRows()).isEqualTo(children);
        String waiting = "\"table\" : \"entries\",\\s*\"rows\" : " + children;
        String status = http(proxy, "/api/status");
        for (int i = 0; i < 50 && !java.util.regex.Pattern.compile(waiting).matcher(status).find(); i++) {
            Thread.sleep(100); // the backlog is counted every second
            status = http(proxy, "/api/status");
        }
        assertThat(status).containsPattern(waiting).contains("violates foreign key");

        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE accounts SET name = name || ', touched'")).isEqualTo(2);
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (repairLogRows() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(repairLogRows()).as("children still waiting after their parents arrived").isZero();
        assertSameRows();
        assertThat(http(proxy, "/metrics")).contains("tandem_repair_attempts_total{cause=\"foreign_key\","
                + "outcome=\"failed\"}", "tandem_repair_attempts_total{cause=\"none\",outcome=\"synced\"}");
    }

    /** History written before tandem (straight into the old store) reaches the new one through POST /api/backfill. */
    @ParameterizedTest
    @EnumSource(value = Primary.class, names = {"SQLITE", "POSTGRES_SESSION"})
    void theAdminApiCopiesTheHistoryAndShowsTheBackfillsProgress(Primary primary) throws Exception {
        start(primary);
        try (Connection c = oldDb == null ? DriverManager.getConnection("jdbc:sqlite:" + oldFile) : oldDb.connect();
                Statement s = c.createStatement()) {
            for (int i = 1; i <= 300; i++) {
                s.execute("INSERT INTO accounts (id, name, balance) VALUES (" + i + ", 'history " + i + "', " + i + ")");
                s.execute("INSERT INTO entries (account_id, seq, note) VALUES (" + i + ", 1, 'old')");
            }
        }
        assertThat(count(newDb, "accounts")).isZero();
        assertThat(backfill("{\"batchSize\": 50}")).containsPattern("\"table\" : \"accounts\",\\s*"
                + "\"state\" : \"done\",\\s*\"rowsDone\" : 300");
        assertSameRows();
        assertThat(putReads(50).statusCode()).as("copied, but not verified yet").isEqualTo(409);

        assertThat(verify("{}")).contains("\"clean\" : true").containsPattern("\"rowsCompared\" : 600");
        try (Connection c = newDb.connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE accounts SET name = 'changed behind tandem' WHERE id = 7");
            s.execute("DELETE FROM entries WHERE account_id = 8");
            s.execute("INSERT INTO accounts (id, name) VALUES (1000, 'only in new')");
        }
        String found = verify("{}");
        assertThat(found).contains("\"clean\" : false").containsPattern("\"differing\" : 1")
                .containsPattern("\"extraInNew\" : 1").containsPattern("\"missingInNew\" : 1")
                .contains("changed behind tandem");
        assertThat(putReads(50).statusCode()).as("the stores differ").isEqualTo(409);
        assertThat(verify("{\"repair\": true}")).containsPattern("\"repaired\" : 2").contains("\"stillDiffering\" : 0");
        assertSameRows();
        assertThat(verify("{}")).contains("\"clean\" : true");
        assertThat(putReads(50).statusCode()).as("copied and verified").isEqualTo(200);
    }

    /**
     * The read gate holds for a share set in the config too, and the verification it waits for is
     * kept in the new store: a restart with the share configured keeps reads where they were.
     */
    @ParameterizedTest
    @EnumSource(value = Primary.class, names = {"SQLITE", "POSTGRES_SESSION"})
    void aConfiguredReadShareWaitsForACleanVerificationWhichARestartRemembers(Primary primary) throws Exception {
        start(primary, MigrationConfig.defaults().withShadowSample(0).withReadPercent(50));
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts (id, name) VALUES (1, 'ada')");
        }
        assertThat(http(proxy, "/api/status")).as("not verified: the configured share waits")
                .containsPattern("\"reads\" : \\{\\s*\"percent\" : 0");
        backfill("{}");
        assertThat(verify("{}")).contains("\"clean\" : true");
        assertThat(putReads(50).statusCode()).isEqualTo(200);
        proxy.close();
        proxy = restart.get();
        assertThat(http(proxy, "/api/status")).as("the clean verification is kept in the new store")
                .containsPattern("\"reads\" : \\{\\s*\"percent\" : 50");
        try (Connection c = newDb.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO tandem.verification (finished_at, whole_store, clean, rows_compared, tables) "
                    + "VALUES (now(), true, false, 1, 1)");
        }
        proxy.close();
        proxy = restart.get();
        assertThat(http(proxy, "/api/status")).as("the latest verification found differences")
                .containsPattern("\"reads\" : \\{\\s*\"percent\" : 0");
    }

    /** POST /api/backfill with {@code body}, waits until it is done, and answers the status then (the backfill complete). */
    private String backfill(String body) throws Exception {
        HttpResponse<String> started = proxy.admin("POST", "/api/backfill", body);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String status = http(proxy, "/api/status");
        while (!status.matches("(?s).*\"backfill\" : \\{\\s*\"running\" : false.*") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = http(proxy, "/api/status");
        }
        assertThat(status).contains("\"complete\" : true");
        return status;
    }

    private HttpResponse<String> putReads(int percent) {
        return proxy.admin("PUT", "/api/reads", "{\"percent\": " + percent + "}");
    }

    /** POST /api/verify, then the report once it is done. */
    private String verify(String body) throws Exception {
        HttpResponse<String> started = proxy.admin("POST", "/api/verify", body);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        String latest = http(proxy, "/api/verify/latest");
        while ((latest.contains("\"running\" : true") || !latest.contains("\"clean\"")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            latest = http(proxy, "/api/verify/latest");
        }
        return latest;
    }

    private long repairLogRows() throws SQLException {
        String table = oldDb == null ? "tandem_repair_log" : "tandem.repair_log";
        try (Connection c = oldDb == null ? DriverManager.getConnection("jdbc:sqlite:" + oldFile) : oldDb.connect();
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of every table, compared by meaning, in key order (notes: in body order). */
    private void assertSameRows() throws SQLException {
        for (String[] table : new String[][] {{"accounts", "id"}, {"entries", "account_id, seq"}, {"notes", "body"}}) {
            List<List<Object>> expected = rows(oldStore(), table[0], table[1]);
            List<List<Object>> actual = rows(newDb.connect(), table[0], table[1]);
            assertThat(actual).as(table[0] + " rows in the new store").hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                List<Object> e = expected.get(i);
                List<Object> a = actual.get(i);
                for (int col = 0; col < e.size(); col++) {
                    assertThat(Equivalence.same(e.get(col), a.get(col)))
                            .as("%s row %d column %d: old %s, new %s", table[0], i + 1, col + 1,
                                    Equivalence.show(e.get(col)), Equivalence.show(a.get(col)))
                            .isTrue();
                }
            }
        }
    }

    private static List<List<Object>> rows(Connection c, String table, String order) throws SQLException {
        try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY "
                + order)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static long count(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String http(Proxy proxy, String path) {
        return proxy.admin("GET", path, null).body();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
