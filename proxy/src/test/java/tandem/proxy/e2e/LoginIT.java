package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.config.LimitsConfig;
import tandem.config.PoolMode;
import tandem.config.TandemConfig;

/** Who may log in and how: SCRAM users, refusals with PostgreSQL's codes, limits. */
@ExtendWith(PostgresExtension.class)
class LoginIT {

    @Test
    void configuredUsersLogInWithScramAndWrongPasswordsAre28P01(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Proxy proxy = Proxy.postgres(db, PoolMode.SESSION, 5,
                TandemConfig.builder().user("app", "s3cret-é").user("reporter", "other"))) {
            try (Connection c = DriverManager.getConnection(proxy.jdbcUrl(), "app", "s3cret-é");
                    ResultSet rs = c.createStatement().executeQuery("SELECT 42")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            assertThatThrownBy(() -> DriverManager.getConnection(proxy.jdbcUrl(), "app", "wrong"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("28P01");
                        assertThat(e.getMessage()).contains("password authentication failed for user \"app\"");
                    });
            assertThatThrownBy(() -> DriverManager.getConnection(proxy.jdbcUrl(), "nobody", "s3cret-é"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("28P01");
                        assertThat(e.getMessage()).contains("password authentication failed for user \"nobody\"");
                    });

            Map<String, String> env = new HashMap<>(proxy.libpqEnvironment());
            env.put("PGPASSWORD", "s3cret-é");
            Clients.Result ok = Clients.run(dir, env, 30, "psql", "-X", "-At", "-c", "SELECT 'scram ok'");
            assertThat(ok.exitCode()).as(ok.output()).isZero();
            assertThat(ok.stdout()).isEqualTo("scram ok\n");
            env.put("PGPASSWORD", "wrong");
            Clients.Result refused = Clients.run(dir, env, 30, "psql", "-X", "-At", "-c", "SELECT 1");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stderr()).contains("password authentication failed for user \"app\"");
        }
    }

    @Test
    void sslIsDeclinedSoPreferringClientsFallBackAndRequiringClientsStop(TestDatabase db, @TempDir Path dir)
            throws Exception {
        try (Proxy proxy = Proxy.postgres(db, PoolMode.SESSION)) {
            Properties prefer = new Properties();
            prefer.setProperty("user", "app");
            prefer.setProperty("sslmode", "prefer");
            try (Connection c = DriverManager.getConnection(proxy.jdbcUrl(), prefer)) {
                assertThat(c.isValid(2)).isTrue();
            }
            Map<String, String> env = new HashMap<>(proxy.libpqEnvironment());
            env.put("PGSSLMODE", "require");
            Clients.Result required = Clients.run(dir, env, 30, "psql", "-X", "-c", "SELECT 1");
            assertThat(required.exitCode()).isNotZero();
            assertThat(required.stderr()).contains("server does not support SSL");
            env.put("PGSSLMODE", "prefer");
            env.put("PGGSSENCMODE", "prefer");
            Clients.Result preferred = Clients.run(dir, env, 30, "psql", "-X", "-At", "-c", "SELECT 'plain'");
            assertThat(preferred.stdout()).as(preferred.output()).isEqualTo("plain\n");
        }
    }

    @Test
    void anotherDatabaseNameIs3D000AndNamesTheServedOne(TestDatabase db) {
        try (Proxy proxy = Proxy.postgres(db, PoolMode.SESSION)) {
            assertThatThrownBy(() -> DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/elsewhere", "app", ""))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("3D000");
                        assertThat(e.getMessage()).contains("database \"elsewhere\" does not exist")
                                .contains("tandem serves database \"" + db.name() + "\"");
                    });
        }
    }

    @Test
    void clientsBeyondTheLimitAre53300AndTheSlotFreesWhenOneLeaves(TestDatabase db) throws Exception {
        var limits = new LimitsConfig(2, LimitsConfig.defaults().maxMessageSize(),
                LimitsConfig.defaults().clientIdleTimeout());
        try (Proxy proxy = Proxy.postgres(db, PoolMode.TRANSACTION, 2, TandemConfig.builder().limits(limits))) {
            Connection first = proxy.connect();
            try (Connection second = proxy.connect()) {
                assertThatThrownBy(proxy::connect).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("53300");
                    assertThat(e.getMessage()).contains("sorry, too many clients already");
                });
                first.close();
                waitUntil(() -> {
                    try (Connection third = proxy.connect()) {
                        return third.isValid(2);
                    } catch (SQLException e) {
                        return false;
                    }
                });
                assertThat(second.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void startupSettingsThatTheServerRejectsEndTheLoginWithItsError(TestDatabase db, @TempDir Path dir)
            throws Exception {
        try (Proxy proxy = Proxy.postgres(db, PoolMode.TRANSACTION)) {
            Properties p = new Properties();
            p.setProperty("options", "-c no_such_setting_at_all=1");
            assertThatThrownBy(() -> proxy.connect(p)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42704");
                assertThat(e.getMessage()).contains("no_such_setting_at_all");
            });
            Map<String, String> env = new HashMap<>(proxy.libpqEnvironment());
            env.put("PGCLIENTENCODING", "LATIN1");
            Clients.Result latin1 = Clients.run(dir, env, 30, "psql", "-X", "-c", "SELECT 1");
            assertThat(latin1.exitCode()).isNotZero();
            assertThat(latin1.stderr()).contains("client_encoding \"LATIN1\" is not supported")
                    .contains("set client_encoding to UTF8");
            assertThat(proxy.connect().isValid(2)).isTrue();
        }
    }

    @Test
    void sessionsIdleOutsideATransactionBeyondTheTimeoutAreClosedWith57P05(TestDatabase db) throws Exception {
        var limits = new LimitsConfig(100, LimitsConfig.defaults().maxMessageSize(), java.time.Duration.ofMillis(400));
        try (Proxy proxy = Proxy.postgres(db, PoolMode.TRANSACTION, 2, TandemConfig.builder().limits(limits));
                Connection idle = proxy.connect(); Connection inTransaction = proxy.connect()) {
            inTransaction.setAutoCommit(false);
            try (var s = inTransaction.createStatement()) {
                s.execute("SELECT 1");
            }
            try (var s = idle.createStatement()) {
                s.execute("SELECT 1");
            }
            Thread.sleep(1200);
            assertThatThrownBy(() -> idle.createStatement().execute("SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("57P05"));
            try (var s = inTransaction.createStatement(); ResultSet rs = s.executeQuery("SELECT 2")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            inTransaction.commit();
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
