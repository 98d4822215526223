package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TcpForwarder;
import tandem.adapters.testing.TestDatabase;
import tandem.config.PoolConfig;
import tandem.config.PoolMode;
import tandem.config.TandemConfig;

/** The store goes away and comes back: clients get PostgreSQL's errors, tandem recovers by itself. */
@ExtendWith(PostgresExtension.class)
class StoreFailureIT {

    private static PoolConfig pool(PoolMode mode, int maxSize, Duration acquireTimeout) {
        PoolConfig d = PoolConfig.defaults(mode);
        return new PoolConfig(mode, maxSize, 0, acquireTimeout, Duration.ofSeconds(2), d.idleTimeout(), d.maxLifetime());
    }

    @Test
    void aSessionWhoseStoreConnectionDiesGets08006AndNewSessionsWorkOnceTheStoreIsBack(TestDatabase db) throws Exception {
        try (TcpForwarder store = new TcpForwarder(db.host(), db.port());
                Proxy proxy = Proxy.postgres(store.jdbcUrl(db.name()), db, pool(PoolMode.SESSION, 5, Duration.ofSeconds(2)),
                        TandemConfig.builder())) {
            Connection client = proxy.connect();
            assertThat(answer(client)).isEqualTo(1);
            store.cut();
            assertThatThrownBy(() -> answer(client)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).startsWith("08"));
            assertThat(client.isClosed() || !client.isValid(1)).isTrue();

            assertThatThrownBy(proxy::connect).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("08006");
                assertThat(e.getMessage()).contains("could not connect to store \"old\"");
            });
            store.restore();
            try (Connection again = proxy.connect()) {
                assertThat(answer(again)).isEqualTo(1);
            }
        }
    }

    @Test
    void aTransactionPooledClientOutlivesAStoreOutageBetweenTransactions(TestDatabase db) throws Exception {
        try (TcpForwarder store = new TcpForwarder(db.host(), db.port());
                Proxy proxy = Proxy.postgres(store.jdbcUrl(db.name()), db,
                        pool(PoolMode.TRANSACTION, 2, Duration.ofSeconds(2)), TandemConfig.builder());
                Connection client = proxy.connect()) {
            assertThat(answer(client)).isEqualTo(1);
            store.cut();
            assertThatThrownBy(() -> answer(client)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("08006");
                assertThat(e.getMessage()).contains("store \"old\"");
            });
            store.restore();
            assertThat(answer(client)).isEqualTo(1);
        }
    }

    @Test
    void underTransactionPoolingAConnectionLostMidStatementFailsOnlyThatStatementOutsideATransaction(TestDatabase db)
            throws Exception {
        try (TcpForwarder store = new TcpForwarder(db.host(), db.port());
                Proxy proxy = Proxy.postgres(store.jdbcUrl(db.name()), db,
                        pool(PoolMode.TRANSACTION, 2, Duration.ofSeconds(2)), TandemConfig.builder());
                Connection client = proxy.connect()) {
            java.util.concurrent.CompletableFuture<Throwable> sleeping = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    answerOf(client, "SELECT pg_sleep(5)::text");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            try (Connection direct = db.connect()) {
                LoginIT.waitUntil(() -> {
                    try {
                        return answerOf(direct, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                                + "AND query = 'SELECT pg_sleep(5)::text'").equals("1");
                    } catch (SQLException e) {
                        return false;
                    }
                });
            }
            store.cut();
            Throwable failure = sleeping.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(failure)
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08006");
                        assertThat(e.getMessage()).contains("may or may not have run");
                    });
            store.restore();
            assertThat(answer(client)).isEqualTo(1);
        }
    }

    @Test
    void aConnectionLostInsideATransactionEndsTheClientsSession(TestDatabase db) throws Exception {
        try (TcpForwarder store = new TcpForwarder(db.host(), db.port());
                Proxy proxy = Proxy.postgres(store.jdbcUrl(db.name()), db,
                        pool(PoolMode.TRANSACTION, 2, Duration.ofSeconds(2)), TandemConfig.builder());
                Connection client = proxy.connect()) {
            client.setAutoCommit(false);
            assertThat(answer(client)).isEqualTo(1);
            store.cut();
            assertThatThrownBy(() -> answer(client)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).startsWith("08"));
            store.restore();
            assertThat(client.isValid(2)).isFalse();
        }
    }

    @Test
    void aClientWaitingForAFullPoolGets53300WithThePoolsState(TestDatabase db) throws Exception {
        try (Proxy proxy = Proxy.postgres(db.jdbcUrl(), db, pool(PoolMode.SESSION, 1, Duration.ofMillis(300)),
                TandemConfig.builder())) {
            Connection holder = proxy.connect();
            assertThatThrownBy(proxy::connect).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("53300");
                assertThat(e.getMessage()).contains("no connection to store \"old\" became free within 300 ms")
                        .contains("maxSize=1");
            });
            holder.close();
            LoginIT.waitUntil(() -> {
                try (Connection c = proxy.connect()) {
                    return answer(c) == 1;
                } catch (SQLException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void readinessFollowsTheStore(TestDatabase db) throws Exception {
        try (TcpForwarder store = new TcpForwarder(db.host(), db.port());
                Proxy proxy = Proxy.postgres(store.jdbcUrl(db.name()), db,
                        pool(PoolMode.TRANSACTION, 2, Duration.ofSeconds(2)), TandemConfig.builder())) {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(get(http, proxy, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(http, proxy, "/health/ready").statusCode()).isEqualTo(200);
            store.cut();
            HttpResponse<String> unready = get(http, proxy, "/health/ready");
            assertThat(unready.statusCode()).isEqualTo(503);
            assertThat(unready.body()).contains("\"reachable\" : false");
            assertThat(get(http, proxy, "/health/live").statusCode()).isEqualTo(200);
            store.restore();
            LoginIT.waitUntil(() -> {
                try {
                    return get(http, proxy, "/health/ready").statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private static HttpResponse<String> get(HttpClient http, Proxy proxy, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String answerOf(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int answer(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
