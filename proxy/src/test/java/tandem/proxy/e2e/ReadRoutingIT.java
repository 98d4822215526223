package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.MigrationConfig;
import tandem.config.PoolConfig;
import tandem.config.PoolMode;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;

/**
 * Reads move to the new store, and only reads: the two stores hold different values on purpose, so
 * each answer shows which store gave it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadRoutingIT {

    private TestDatabase oldDb;
    private TestDatabase newDb;
    private Proxy session;
    private Proxy transaction;

    @BeforeAll
    void start() {
        oldDb = TestPostgres.shared().createDatabase("routing_old");
        newDb = TestPostgres.shared().createDatabase("routing_new");
        oldDb.execute("CREATE TABLE items (id int PRIMARY KEY, v text)", "INSERT INTO items VALUES (1, 'old')",
                "CREATE TABLE only_old (id int PRIMARY KEY, v text)", "INSERT INTO only_old VALUES (1, 'only in old')",
                "CREATE FUNCTION only_in_old(t text) RETURNS text LANGUAGE sql AS $$ SELECT t $$");
        newDb.execute("CREATE TABLE items (id int PRIMARY KEY, v text)", "INSERT INTO items VALUES (1, 'new')",
                "CREATE TABLE only_old (id int PRIMARY KEY, v text)");
        session = start(PoolMode.SESSION);
        transaction = start(PoolMode.TRANSACTION);
    }

    private Proxy start(PoolMode mode) {
        PoolConfig d = PoolConfig.defaults(mode);
        PoolConfig pool = new PoolConfig(mode, 4, 0, d.acquireTimeout(), d.connectTimeout(), d.idleTimeout(), d.maxLifetime());
        StoreConfig oldStore = StoreConfig.postgres(oldDb.jdbcUrl(), oldDb.user(), blankToNull(oldDb.password())).withPool(pool);
        StoreConfig newStore = StoreConfig.postgres(newDb.jdbcUrl(), newDb.user(), blankToNull(newDb.password())).withPool(pool);
        return Proxy.start(TandemConfig.builder().database(oldDb.name()).oldStore(oldStore).newStore(newStore)
                .migration(MigrationConfig.defaults().withShadowSample(0)), oldDb.name()).forceReads(100);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @AfterAll
    void stop() {
        session.close();
        transaction.close();
    }

    private Proxy proxy(PoolMode mode) {
        return mode == PoolMode.SESSION ? session : transaction;
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void readsOfMirroredTablesAreServedByTheNewStore(PoolMode mode) throws Exception {
        for (String threshold : new String[] {"0", "1"}) {
            Properties p = new Properties();
            p.setProperty("prepareThreshold", threshold);
            try (Connection c = proxy(mode).connect(p)) {
                assertThat(single(c, "SELECT v FROM items WHERE id = 1")).isEqualTo("new");
                try (PreparedStatement s = c.prepareStatement("SELECT v FROM items WHERE id = ?")) {
                    for (int i = 0; i < 5; i++) {
                        s.setInt(1, 1);
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            assertThat(rs.getString(1)).isEqualTo("new");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void transactionsAndWritesStayOnTheOldStore(PoolMode mode) throws Exception {
        try (Connection c = proxy(mode).connect()) {
            c.setAutoCommit(false);
            assertThat(single(c, "SELECT v FROM items WHERE id = 1")).isEqualTo("old");
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO items VALUES (" + (100 + mode.ordinal()) + ", 'written') ON CONFLICT (id) DO NOTHING");
            }
        }
        try (Connection direct = oldDb.connect()) {
            assertThat(single(direct, "SELECT v FROM items WHERE id = " + (100 + mode.ordinal()))).isEqualTo("written");
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void aReadTheNewStoreCannotAnswerFallsBackToTheOldOneUnseen(PoolMode mode) throws Exception {
        try (Connection c = proxy(mode).connect()) {
            assertThat(single(c, "SELECT only_in_old(v) FROM only_old WHERE id = 1")).isEqualTo("only in old");
            try (PreparedStatement s = c.prepareStatement("SELECT only_in_old(v) FROM only_old WHERE id = ?")) {
                s.setInt(1, 1);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("only in old");
                }
            }
            assertThat(single(c, "SELECT v FROM items WHERE id = 1")).isEqualTo("new");
        }
        assertThat(metrics(proxy(mode))).containsPattern("tandem_queries_total\\{outcome=\"fallback\",route=\"secondary\"\\} [1-9]");
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void theClientsSettingsFollowItToTheNewStore(PoolMode mode) throws Exception {
        Properties p = new Properties();
        p.setProperty("ApplicationName", "routed-" + mode);
        try (Connection c = proxy(mode).connect(p)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET work_mem = '77kB'");
            }
            assertThat(single(c, "SELECT current_setting('application_name') || ' ' || current_setting('work_mem') "
                    + "|| ' ' || v FROM items WHERE id = 1")).isEqualTo("routed-" + mode + " 77kB new");
        }
    }

    @Test
    void theShareChangesAtRuntimeThroughTheAdminApi() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + session.adminPort()
                + "/api/reads")).PUT(HttpRequest.BodyPublishers.ofString("{\"percent\": 0}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(set.body()).contains("\"previous\" : 100");
        try (Connection c = session.connect()) {
            assertThat(single(c, "SELECT v FROM items WHERE id = 1")).isEqualTo("old");
        }
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + session.adminPort()
                + "/api/reads")).PUT(HttpRequest.BodyPublishers.ofString("{\"percent\": 250}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("0 to 100");
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + session.adminPort()
                + "/api/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.body()).contains("\"percent\" : 0");
        HttpResponse<String> early = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + session.adminPort() + "/api/reads")).PUT(HttpRequest.BodyPublishers.ofString("{\"percent\": 100}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(early.statusCode()).as("no backfill yet: the new store may lack rows").isEqualTo(409);
        assertThat(early.body()).contains("backfill has not copied every table");
        HttpResponse<String> forced = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + session.adminPort() + "/api/reads")).PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"percent\": 100, \"force\": true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forced.statusCode()).isEqualTo(200);
        try (Connection c = session.connect()) {
            assertThat(single(c, "SELECT v FROM items WHERE id = 1")).isEqualTo("new");
        }
    }

    private static String metrics(Proxy proxy) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
