package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.PoolMode;
import tandem.config.TandemConfig;

/**
 * Server connections are opened with each client's startup settings and pooled by them: a client
 * never gets a connection opened with another's, and a full pool makes room for other settings
 * rather than keeping a client waiting for connections it cannot use.
 */
class PoolBySettingsIT {

    private static Connection connect(Proxy proxy, String application, String options) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "");
        props.setProperty("ApplicationName", application);
        props.setProperty("assumeMinServerVersion", "16"); // the name goes in the startup packet
        props.setProperty("options", options);
        return DriverManager.getConnection(proxy.jdbcUrl(), props);
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** What a RESET of work_mem and application_name returns to, and where the value came from. */
    private static String afterReset(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET work_mem = '1MB'");
            s.execute("SET application_name = 'changed'");
            s.execute("RESET ALL");
        }
        return query(c, "SELECT current_setting('application_name') || ' ' || current_setting('work_mem') || ' ' || "
                + "(SELECT source FROM pg_settings WHERE name = 'work_mem')");
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void aFullPoolMakesRoomForAClientWithOtherSettings(PoolMode mode) throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase("pool_settings");
        try (Proxy proxy = Proxy.postgres(db, mode, 1, TandemConfig.builder())) {
            try (Connection first = connect(proxy, "first", "-c work_mem=11MB")) {
                assertThat(afterReset(first)).isEqualTo("first 11MB client");
            }
            // the one connection was opened for "first": "second" gets one opened with its own settings
            try (Connection second = connect(proxy, "second", "-c work_mem=22MB")) {
                assertThat(afterReset(second)).isEqualTo("second 22MB client");
            }
            try (Connection again = connect(proxy, "first", "-c work_mem=11MB")) {
                assertThat(afterReset(again)).isEqualTo("first 11MB client");
            }
        }
    }

    /** Session pooling, one connection: the waiting client's turn comes when the holder leaves, with its own settings. */
    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void aClientWaitingForAConnectionGetsOneWithItsOwnSettings(PoolMode mode) throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase("pool_settings");
        try (Proxy proxy = Proxy.postgres(db, mode, 1, TandemConfig.builder())) {
            Connection holder = connect(proxy, "holder", "-c work_mem=11MB");
            holder.setAutoCommit(false);
            assertThat(query(holder, "SELECT current_setting('work_mem')")).isEqualTo("11MB");
            CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> {
                try (Connection c = connect(proxy, "waiter", "-c work_mem=22MB")) {
                    return afterReset(c);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(waiter).as("the pool's one connection is the holder's").isNotDone();
            holder.rollback();
            holder.close();
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("waiter 22MB client");
        }
    }
}
