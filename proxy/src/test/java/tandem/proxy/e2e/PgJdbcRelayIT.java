package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.util.PSQLException;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.config.PoolMode;

/**
 * The PostgreSQL JDBC driver through tandem's relay, in both pooling modes: what an application
 * does with it works as against PostgreSQL itself.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgJdbcRelayIT {

    private final Map<PoolMode, Proxy> proxies = new EnumMap<>(PoolMode.class);
    private TestDatabase db;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        db.execute("CREATE TABLE kinds (id serial PRIMARY KEY, i2 smallint, i4 integer, i8 bigint, n numeric(20,6), "
                + "f4 real, f8 double precision, b boolean, t text, v varchar(40), bytes bytea, d date, tm time, "
                + "ts timestamp, tz timestamptz, u uuid, j json, jb jsonb, ia integer[], ta text[])",
                "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text UNIQUE, balance bigint NOT NULL)",
                "CREATE TABLE events (id bigserial PRIMARY KEY, name text NOT NULL, at timestamptz DEFAULT now())");
        for (PoolMode mode : PoolMode.values()) {
            // a small transaction pool makes clients share server connections
            proxies.put(mode, Proxy.postgres(db, mode, mode == PoolMode.TRANSACTION ? 3 : 30,
                    tandem.config.TandemConfig.builder()));
        }
    }

    @AfterAll
    void stop() {
        proxies.values().forEach(Proxy::close);
    }

    private Connection connect(PoolMode mode, String... properties) throws SQLException {
        Properties p = new Properties();
        for (int i = 0; i < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        return proxies.get(mode).connect(p);
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void preparedStatementsCarryEveryCommonTypeBothWays(PoolMode mode) throws SQLException {
        for (String threshold : List.of("0", "1")) {
            try (Connection c = connect(mode, "prepareThreshold", threshold)) {
                UUID uuid = UUID.randomUUID();
                OffsetDateTime instant = OffsetDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000, ZoneOffset.ofHours(5));
                long id;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO kinds (i2, i4, i8, n, f4, f8, b, t, v, "
                        + "bytes, d, tm, ts, tz, u, j, jb, ia, ta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "?::json, ?::jsonb, ?, ?) RETURNING id")) {
                    insert.setShort(1, (short) -7);
                    insert.setInt(2, Integer.MIN_VALUE);
                    insert.setLong(3, Long.MAX_VALUE);
                    insert.setBigDecimal(4, new BigDecimal("-12345678901234.000042"));
                    insert.setFloat(5, 1.5f);
                    insert.setDouble(6, 0.1 + 0.2);
                    insert.setBoolean(7, true);
                    insert.setString(8, "héllo, wörld ✓ \u0001 'quoted' \"double\"");
                    insert.setString(9, "varchar");
                    insert.setBytes(10, new byte[] {0, 1, 2, (byte) 0xFF});
                    insert.setDate(11, Date.valueOf("1999-12-31"));
                    insert.setTime(12, Time.valueOf("23:59:59"));
                    insert.setTimestamp(13, Timestamp.valueOf(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1000)));
                    insert.setObject(14, instant);
                    insert.setObject(15, uuid);
                    insert.setString(16, "{\"a\": [1, 2]}");
                    insert.setString(17, "{\"b\": {\"c\": null}}");
                    insert.setArray(18, c.createArrayOf("integer", new Integer[] {1, null, 3}));
                    insert.setArray(19, c.createArrayOf("text", new String[] {"x", "y z", "NULL"}));
                    try (ResultSet rs = insert.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        id = rs.getLong(1);
                    }
                }
                try (PreparedStatement select = c.prepareStatement("SELECT * FROM kinds WHERE id = ?")) {
                    for (int repeat = 0; repeat < 3; repeat++) {
                        select.setLong(1, id);
                        try (ResultSet rs = select.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getShort("i2")).isEqualTo((short) -7);
                            assertThat(rs.getInt("i4")).isEqualTo(Integer.MIN_VALUE);
                            assertThat(rs.getLong("i8")).isEqualTo(Long.MAX_VALUE);
                            assertThat(rs.getBigDecimal("n")).isEqualByComparingTo("-12345678901234.000042");
                            assertThat(rs.getFloat("f4")).isEqualTo(1.5f);
                            assertThat(rs.getDouble("f8")).isEqualTo(0.1 + 0.2);
                            assertThat(rs.getBoolean("b")).isTrue();
                            assertThat(rs.getString("t")).isEqualTo("héllo, wörld ✓ \u0001 'quoted' \"double\"");
                            assertThat(rs.getString("v")).isEqualTo("varchar");
                            assertThat(rs.getBytes("bytes")).containsExactly(0, 1, 2, 0xFF);
                            assertThat(rs.getDate("d")).isEqualTo(Date.valueOf("1999-12-31"));
                            assertThat(rs.getTime("tm")).isEqualTo(Time.valueOf("23:59:59"));
                            assertThat(rs.getTimestamp("ts").toLocalDateTime())
                                    .isEqualTo(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1000));
                            assertThat(rs.getObject("tz", OffsetDateTime.class).toInstant()).isEqualTo(instant.toInstant());
                            assertThat(rs.getObject("u", UUID.class)).isEqualTo(uuid);
                            assertThat(rs.getString("j")).isEqualTo("{\"a\": [1, 2]}");
                            assertThat(rs.getString("jb")).isEqualTo("{\"b\": {\"c\": null}}");
                            assertThat((Integer[]) rs.getArray("ia").getArray()).containsExactly(1, null, 3);
                            assertThat((String[]) rs.getArray("ta").getArray()).containsExactly("x", "y z", "NULL");
                            assertThat(rs.next()).isFalse();
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void batchesInsertEveryRowWithAndWithoutRewriting(PoolMode mode) throws SQLException {
        for (String rewrite : List.of("false", "true")) {
            try (Connection c = connect(mode, "reWriteBatchedInserts", rewrite)) {
                String name = "batch-" + mode + "-" + rewrite;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (name) VALUES (?)")) {
                    for (int i = 0; i < 1000; i++) {
                        insert.setString(1, name);
                        insert.addBatch();
                    }
                    int[] counts = insert.executeBatch();
                    assertThat(counts).hasSize(1000);
                }
                assertThat(count(c, "SELECT count(*) FROM events WHERE name = '" + name + "'")).isEqualTo(1000);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void aFailingStatementRollsBackItsWholeBatch(PoolMode mode) throws SQLException {
        try (Connection c = connect(mode)) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO accounts (id, owner, balance) VALUES (?, ?, 0)")) {
                long base = mode.ordinal() * 1_000_000L + 500_000;
                for (int i = 0; i < 5; i++) {
                    insert.setLong(1, base + i);
                    insert.setString(2, "batch-owner-" + mode + (i == 3 ? 0 : i));
                    insert.addBatch();
                }
                assertThatThrownBy(insert::executeBatch).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
            }
            assertThat(count(c, "SELECT count(*) FROM accounts WHERE owner LIKE 'batch-owner-" + mode + "%'")).isZero();
            assertThat(count(c, "SELECT 1")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void generatedKeysComeBackForEachInsertedRow(PoolMode mode) throws SQLException {
        try (Connection c = connect(mode);
                PreparedStatement insert = c.prepareStatement("INSERT INTO events (name) VALUES (?), (?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, "key-a");
            insert.setString(2, "key-b");
            assertThat(insert.executeUpdate()).isEqualTo(2);
            List<Long> ids = new ArrayList<>();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(keys.getLong("id"));
                    assertThat(keys.getString("name")).startsWith("key-");
                }
            }
            assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void serverPreparedStatementsAreReusedPastTheThreshold(PoolMode mode) throws SQLException {
        try (Connection c = connect(mode, "prepareThreshold", "2");
                PreparedStatement select = c.prepareStatement("SELECT ?::int + 1")) {
            for (int i = 0; i < 20; i++) {
                select.setInt(1, i);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(i + 1);
                }
            }
            if (mode == PoolMode.SESSION) {
                // the connection is the client's alone until it is reset, so the driver's own name stands
                assertThat(count(c, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'S\\_%'"))
                        .isPositive();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void fetchSizeStreamsAResultInPortions(PoolMode mode) throws SQLException {
        try (Connection c = connect(mode)) {
            c.setAutoCommit(false);
            try (PreparedStatement select = c.prepareStatement("SELECT g, repeat('x', 100) FROM generate_series(1, 100000) g")) {
                select.setFetchSize(500);
                long sum = 0;
                int rows = 0;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        sum += rs.getInt(1);
                        rows++;
                    }
                }
                assertThat(rows).isEqualTo(100_000);
                assertThat(sum).isEqualTo(100_000L * 100_001 / 2);
            }
            c.commit();
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void uniqueViolationReachesTheClientAs23505AndTheSessionGoesOn(PoolMode mode) throws SQLException {
        try (Connection c = connect(mode); Statement s = c.createStatement()) {
            long id = 10 + mode.ordinal();
            s.execute("INSERT INTO accounts VALUES (" + id + ", 'unique-" + mode + "', 1)");
            assertThatThrownBy(() -> s.execute("INSERT INTO accounts VALUES (" + (id + 100) + ", 'unique-" + mode + "', 1)"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23505");
                        assertThat(e.getServerErrorMessage().getConstraint()).isEqualTo("accounts_owner_key");
                        assertThat(e.getServerErrorMessage().getDetail()).contains("already exists");
                    });
            c.setAutoCommit(false);
            assertThatThrownBy(() -> s.execute("INSERT INTO accounts VALUES (" + id + ", 'other', 1)"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
            c.rollback();
            c.setAutoCommit(true);
            assertThat(count(c, "SELECT count(*) FROM accounts WHERE id = " + id)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void cancelStopsARunningStatement(PoolMode mode) throws Exception {
        try (Connection c = connect(mode); Statement s = c.createStatement()) {
            long started = System.nanoTime();
            CompletableFuture<Throwable> sleeping = CompletableFuture.supplyAsync(() -> {
                try {
                    s.execute("SELECT pg_sleep(30)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            awaitRunning("SELECT pg_sleep(30)");
            s.cancel();
            Throwable failure = sleeping.get(20, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
            assertThat(count(c, "SELECT 1")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void transactionsCommitAndRollBackWithSavepoints(PoolMode mode) throws SQLException {
        long base = 2_000_000L + mode.ordinal() * 1000;
        try (Connection c = connect(mode); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO accounts VALUES (" + base + ", 'tx-a-" + mode + "', 1)");
            var savepoint = c.setSavepoint("before_b");
            s.execute("INSERT INTO accounts VALUES (" + (base + 1) + ", 'tx-b-" + mode + "', 1)");
            c.rollback(savepoint);
            s.execute("INSERT INTO accounts VALUES (" + (base + 2) + ", 'tx-c-" + mode + "', 1)");
            c.commit();
            s.execute("INSERT INTO accounts VALUES (" + (base + 3) + ", 'tx-d-" + mode + "', 1)");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(count(c, "SELECT count(*) FROM accounts WHERE id BETWEEN " + base + " AND " + (base + 3)))
                    .isEqualTo(2);
            assertThat(count(c, "SELECT count(*) FROM accounts WHERE id IN (" + base + ", " + (base + 2) + ")"))
                    .isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void startupParametersAndSetsFollowTheClientAcrossConnections(PoolMode mode) throws Exception {
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Connection c = connect(mode, "ApplicationName", "client-" + i, "options", "-c statement_timeout=" + (1001 + i));
                clients.add(c);
                try (Statement s = c.createStatement()) {
                    s.execute("SET search_path TO pg_catalog, public");
                    s.execute("SET work_mem = '" + (64 + i) + "kB'");
                }
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    try (Statement s = clients.get(i).createStatement();
                            ResultSet rs = s.executeQuery("SELECT current_setting('application_name'), "
                                    + "current_setting('statement_timeout'), current_setting('work_mem'), "
                                    + "current_setting('search_path')")) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualTo("client-" + i);
                        assertThat(rs.getString(2)).isEqualTo((1001 + i) + "ms");
                        assertThat(rs.getString(3)).isEqualTo((64 + i) + "kB");
                        assertThat(rs.getString(4)).isEqualTo("pg_catalog, public");
                    }
                }
            }
            // a SET in a transaction that rolls back leaves no trace, as in PostgreSQL
            Connection first = clients.get(0);
            first.setAutoCommit(false);
            try (Statement s = first.createStatement()) {
                s.execute("SET work_mem = '999kB'");
            }
            first.rollback();
            first.setAutoCommit(true);
            try (Statement s = first.createStatement(); ResultSet rs = s.executeQuery("SHOW work_mem")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("64kB");
            }
        } finally {
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void clientsReusingTheDriversStatementNamesNeverSeeEachOthersStatements(PoolMode mode) throws Exception {
        try (Connection a = connect(mode, "prepareThreshold", "1"); Connection b = connect(mode, "prepareThreshold", "1");
                PreparedStatement qa = a.prepareStatement("SELECT 'a:' || ?::text");
                PreparedStatement qb = b.prepareStatement("SELECT 'b:' || ?::int * 2")) {
            for (int i = 0; i < 50; i++) {
                qa.setString(1, "v" + i);
                qb.setInt(1, i);
                try (ResultSet ra = qa.executeQuery(); ResultSet rb = qb.executeQuery()) {
                    ra.next();
                    rb.next();
                    assertThat(ra.getString(1)).isEqualTo("a:v" + i);
                    assertThat(rb.getString(1)).isEqualTo("b:" + (i * 2));
                }
            }
        }
    }

    /** Waits until the server runs {@code sql}, as seen from a connection of the test's own. */
    private void awaitRunning(String sql) throws Exception {
        try (Connection direct = db.connect()) {
            LoginIT.waitUntil(() -> {
                try {
                    return count(direct, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = '"
                            + sql + "'") > 0;
                } catch (SQLException e) {
                    return false;
                }
            });
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
