package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tandem.adapters.testing.TcpForwarder;
import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.MigrationConfig;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;

/**
 * Reads of a SQLite old store served by the PostgreSQL new store, and shadow reads comparing the
 * two. The stores are made to differ behind tandem's back, so each answer shows where it came from.
 */
class ShadowAndSqliteReadsIT {

    private Proxy proxy;
    private TestDatabase newDb;
    private TestDatabase oldDb;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (forwarder != null) {
            forwarder.close();
        }
    }

    /** The new store, through a forwarder a test can cut. */
    private String newStoreUrl() throws Exception {
        forwarder = new TcpForwarder(newDb.host(), newDb.port());
        return forwarder.jdbcUrl(newDb.name());
    }

    private TcpForwarder forwarder;

    private Proxy sqliteToPostgres(MigrationConfig migration) throws Exception {
        Path file = Files.createTempDirectory("tandem-reads").resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, active BOOLEAN NOT NULL, "
                    + "price NUMERIC, score TEXT)");
        }
        newDb = TestPostgres.shared().createDatabase("reads_new");
        newDb.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, active boolean NOT NULL, "
                + "price numeric(10,2), score text)");
        StoreConfig newStore = StoreConfig.postgres(newStoreUrl(), newDb.user(), blankToNull(newDb.password()));
        proxy = Proxy.start(TandemConfig.builder().database("app").oldStore(StoreConfig.sqlite(file)).newStore(newStore)
                .migration(migration), "app").forceReads(migration.readPercent());
        return proxy;
    }

    private Proxy postgresToPostgres(MigrationConfig migration) throws Exception {
        oldDb = TestPostgres.shared().createDatabase("shadow_old");
        newDb = TestPostgres.shared().createDatabase("shadow_new");
        for (TestDatabase db : new TestDatabase[] {oldDb, newDb}) {
            db.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, active boolean NOT NULL, "
                    + "price numeric(10,2), score text)");
        }
        StoreConfig oldStore = StoreConfig.postgres(oldDb.jdbcUrl(), oldDb.user(), blankToNull(oldDb.password()));
        StoreConfig newStore = StoreConfig.postgres(newStoreUrl(), newDb.user(), blankToNull(newDb.password()));
        proxy = Proxy.start(TandemConfig.builder().database(oldDb.name()).oldStore(oldStore).newStore(newStore)
                .migration(migration), oldDb.name()).forceReads(migration.readPercent());
        return proxy;
    }

    @Test
    void readsOfASqliteOldStoreAreServedByTheNewStoreInTheTypesTheOldOneDescribes() throws Exception {
        sqliteToPostgres(MigrationConfig.defaults().withReadPercent(100).withShadowSample(0));
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO items VALUES (1, 'written through tandem', true, 9.50, 'x')");
        }
        // the new store alone says so: a read that shows it was served there
        newDb.execute("UPDATE items SET name = 'changed in the new store' WHERE id = 1");
        try (Connection c = proxy.connect()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, active, price FROM items WHERE id = ?")) {
                ps.setLong(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                    assertThat(rs.getString(2)).isEqualTo("changed in the new store");
                    assertThat(rs.getBoolean(3)).isTrue();
                    assertThat(rs.getBigDecimal(4)).isEqualByComparingTo("9.5");
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
            // inside a transaction that has written, reads stay on the old store
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE items SET score = 'y' WHERE id = 2");
                try (ResultSet rs = s.executeQuery("SELECT name FROM items WHERE id = 1")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("written through tandem");
                }
            }
            c.commit();
        }
        assertThat(metrics()).containsPattern("tandem_queries_total\\{outcome=\"ok\",route=\"secondary\"\\} [1-9]")
                .containsPattern("tandem_queries_total\\{outcome=\"ok\",route=\"primary\"\\} [1-9]")
                .containsPattern("tandem_query_seconds_count\\{store=\"old\"\\} [1-9]");
    }

    /**
     * A read with an expression SQLite types by its first value at each execution stays on the old
     * store when reads move: pgjdbc keeps the type of the executions the old store served (a float8
     * read in binary) and would misread the new store's (numeric); plain reads move.
     */
    @Test
    void anExpressionTypedByValueKeepsItsTypeWhenTheNewStoreServesIt() throws Exception {
        sqliteToPostgres(MigrationConfig.defaults().withReadPercent(0).withShadowSample(0));
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO items VALUES (1, 'a', true, 9.50, 'x'), (2, 'b', false, 0.25, 'y')");
        }
        try (Connection c = proxy.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), coalesce(sum(id), 0), max(price) + 0.5, sum(id) > 2 FROM items WHERE id > ?")) {
            for (int i = 0; i < 8; i++) { // named from the fifth, results in binary
                if (i == 6) {
                    proxy.forceReads(100);
                }
                ps.setLong(1, 0);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getDouble(3) + " " + rs.getBoolean(4))
                            .as("execution " + i).isEqualTo("2 3 10.0 true");
                }
            }
        }
        assertThat(metrics()).doesNotContainPattern("tandem_queries_total\\{outcome=\"ok\",route=\"secondary\"\\} [1-9]");
        try (Connection c = proxy.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM items WHERE id = 2")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("b");
        }
        assertThat(metrics()).containsPattern("tandem_queries_total\\{outcome=\"ok\",route=\"secondary\"\\} [1-9]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void shadowReadsCountMatchesAndMismatchesPerTable(String old) throws Exception {
        MigrationConfig migration = MigrationConfig.defaults().withReadPercent(0).withShadowSample(1.0);
        if (old.equals("sqlite")) {
            sqliteToPostgres(migration);
        } else {
            postgresToPostgres(migration);
        }
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO items VALUES (1, 'a', true, 1.5, 'x'), (2, 'b', false, NULL, NULL)");
            try (ResultSet rs = s.executeQuery("SELECT id, name, active, price FROM items")) {
                while (rs.next()) {
                    // read to the end
                }
            }
        }
        awaitMetric("tandem_shadow_comparisons_total\\{outcome=\"match\",table=\"items\"\\} [1-9]");

        newDb.execute("UPDATE items SET price = 2.5 WHERE id = 1");
        try (Connection c = proxy.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, price FROM items WHERE id = ? ORDER BY id")) {
            ps.setLong(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getBigDecimal(2)).as("the client reads the old store").isEqualByComparingTo("1.5");
            }
        }
        awaitMetric("tandem_shadow_comparisons_total\\{outcome=\"mismatch\",table=\"items\"\\} 1\\.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void whenTheNewStoreGoesAwayReadsAndWritesGoOnAndItCatchesUpWhenItIsBack(String old) throws Exception {
        MigrationConfig migration = MigrationConfig.defaults().withReadPercent(100).withShadowSample(0)
                .withMirrorTimeout(Duration.ofMillis(500));
        if (old.equals("sqlite")) {
            sqliteToPostgres(migration);
        } else {
            postgresToPostgres(migration);
        }
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO items VALUES (1, 'before', true, 1, NULL)");
        }
        forwarder.cut();
        try (Connection c = proxy.connect()) {
            for (int i = 0; i < 20; i++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                    ps.setLong(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("before");
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO items VALUES (2, 'while away', false, 2, NULL)");
                s.executeUpdate("UPDATE items SET name = 'changed while away' WHERE id = 1");
            }
        }
        String metrics = metrics();
        java.util.regex.Matcher fallbacks = java.util.regex.Pattern
                .compile("tandem_queries_total\\{outcome=\"fallback\",route=\"secondary\"\\} ([0-9.]+)").matcher(metrics);
        assertThat(fallbacks.find()).as(metrics).isTrue();
        assertThat(Double.parseDouble(fallbacks.group(1))).as("reads stay on the old store after the first failures")
                .isBetween(1.0, 9.0);
        assertThat(metrics).containsPattern("tandem_mirror_total\\{outcome=\"queued\"\\} [1-9]");

        forwarder.restore();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!newStoreRows().equals("1 changed while away, 2 while away") && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(newStoreRows()).as("the new store after the drainer caught up")
                .isEqualTo("1 changed while away, 2 while away");
        awaitMetric("tandem_repair_backlog_rows\\{to=\"new\"\\} 0\\.0");
    }

    private String newStoreRows() throws SQLException {
        try (Connection n = newDb.connect(); Statement s = n.createStatement();
                ResultSet rs = s.executeQuery("SELECT string_agg(id || ' ' || name, ', ' ORDER BY id) FROM items")) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    private void awaitMetric(String pattern) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String metrics = metrics();
        while (!java.util.regex.Pattern.compile(pattern).matcher(metrics).find() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            metrics = metrics();
        }
        assertThat(metrics).containsPattern(pattern);
    }

    private String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
