package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.config.PoolMode;
import tandem.config.TandemConfig;

/**
 * Transaction pooling: many clients share a few server connections, and what is bound to one
 * server session (LISTEN, temporary tables, session advisory locks) pins its client instead of
 * silently half-working.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionPoolingIT {

    private TestDatabase db;
    private Proxy pooled;
    private Proxy session;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        db.execute("CREATE TABLE copied (id int PRIMARY KEY, name text, note text)");
        pooled = Proxy.postgres(db, PoolMode.TRANSACTION, 3, TandemConfig.builder());
        session = Proxy.postgres(db, PoolMode.SESSION, 20, TandemConfig.builder());
    }

    @AfterAll
    void stop() {
        pooled.close();
        session.close();
    }

    private Connection client(Proxy proxy, String name) throws SQLException {
        Properties p = new Properties();
        p.setProperty("ApplicationName", name);
        return proxy.connect(p);
    }

    @Test
    void manyClientsShareAFewServerConnections() throws Exception {
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                clients.add(client(pooled, "sharing-" + i));
            }
            for (int round = 0; round < 5; round++) {
                for (Connection c : clients) {
                    assertThat(single(c, "SELECT current_setting('application_name')")).startsWith("sharing-");
                }
            }
            try (Connection direct = db.connect()) {
                long serverSessions = Long.parseLong(single(direct, "SELECT count(*) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND application_name LIKE 'sharing-%'"));
                assertThat(serverSessions).isBetween(1L, 3L);
            }
        } finally {
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    @Test
    void listenPinsItsClientSoNotificationsArrive() throws Exception {
        try (Connection listener = client(pooled, "listener"); Connection notifier = client(pooled, "notifier");
                Connection churn = client(pooled, "churn")) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN tandem_events");
            }
            for (int i = 0; i < 10; i++) {
                single(churn, "SELECT " + i);
            }
            try (Statement s = notifier.createStatement()) {
                s.execute("NOTIFY tandem_events, 'hello through tandem'");
            }
            PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(notifications).isNotNull().hasSize(1);
            assertThat(notifications[0].getName()).isEqualTo("tandem_events");
            assertThat(notifications[0].getParameter()).isEqualTo("hello through tandem");
        }
    }

    @Test
    void aTemporaryTableLivesAsLongAsItsClientAndNoLonger() throws Exception {
        try (Connection owner = client(pooled, "temp-owner")) {
            try (Statement s = owner.createStatement()) {
                s.execute("CREATE TEMP TABLE scratch (v int)");
                s.execute("INSERT INTO scratch VALUES (1), (2), (3)");
            }
            List<Connection> others = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Connection other = client(pooled, "temp-other-" + i);
                others.add(other);
                // resolving the name looks in the caller's own temporary schema only
                assertThat(single(other, "SELECT to_regclass('scratch') IS NULL")).isEqualTo("t");
            }
            assertThat(single(owner, "SELECT sum(v) FROM scratch")).isEqualTo("6");
            for (Connection other : others) {
                other.close();
            }
        }
        // its server connection was closed, not pooled: the server drops the table as that backend exits
        try (Connection after = client(pooled, "temp-after")) {
            LoginIT.waitUntil(() -> {
                try {
                    return single(after, "SELECT count(*) FROM pg_class WHERE relname = 'scratch' "
                            + "AND relpersistence = 't'").equals("0");
                } catch (SQLException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void aSessionAdvisoryLockIsHeldUntilItsClientLeaves() throws Exception {
        try (Connection other = client(pooled, "lock-other")) {
            Connection holder = client(pooled, "lock-holder");
            assertThat(single(holder, "SELECT pg_advisory_lock(4242)")).isEmpty();
            for (int i = 0; i < 5; i++) {
                assertThat(single(other, "SELECT pg_try_advisory_lock(4242)")).isEqualTo("f");
            }
            holder.close();
            LoginIT.waitUntil(() -> {
                try {
                    return single(other, "SELECT pg_try_advisory_lock(4242)").equals("t");
                } catch (SQLException e) {
                    return false;
                }
            });
            single(other, "SELECT pg_advisory_unlock(4242)");
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void copyStreamsRowsInAndOut(PoolMode mode) throws Exception {
        Proxy proxy = mode == PoolMode.TRANSACTION ? pooled : session;
        int offset = mode.ordinal() * 100_000;
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            csv.append(offset + i).append(",name ").append(i).append(",\"a, b\"\n");
        }
        try (Connection c = proxy.connect()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long in = copy.copyIn("COPY copied FROM STDIN WITH (FORMAT csv)",
                    new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(in).isEqualTo(20_000);
            StringWriter out = new StringWriter();
            long outRows = copy.copyOut("COPY (SELECT * FROM copied WHERE id >= " + offset + " AND id < " + (offset + 20_000)
                    + " ORDER BY id) TO STDOUT WITH (FORMAT csv)", out);
            assertThat(outRows).isEqualTo(20_000);
            assertThat(out.toString()).isEqualTo(csv.toString());
            assertThat(single(c, "SELECT 'still usable'")).isEqualTo("still usable");
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            String value = rs.getString(1);
            return value == null ? "" : value;
        }
    }
}
