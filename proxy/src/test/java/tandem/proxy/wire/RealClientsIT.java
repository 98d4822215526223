package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tandem.proxy.wire.frontend.Bind;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.SSLRequest;
import tandem.proxy.wire.frontend.StartupMessage;
import tandem.proxy.wire.frontend.Sync;
import tandem.proxy.wire.frontend.Terminate;

/**
 * Real clients against tandem's decoder and SCRAM server: pgjdbc (its own SCRAM implementation)
 * and psql (libpq's), through {@link ScriptedServer}.
 */
class RealClientsIT {

    private ScriptedServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = new ScriptedServer(Map.of("alice", "wonder land"));
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(server.failures).isEmpty();
    }

    private String url() {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/shop";
    }

    @Test
    void pgjdbcAuthenticatesWithScramAndRunsAnExtendedQuery() throws Exception {
        var properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", "wonder land");
        properties.setProperty("sslmode", "disable");
        try (var c = DriverManager.getConnection(url(), properties); var s = c.prepareStatement("SELECT ?::int")) {
            s.setInt(1, 7);
            try (var rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        assertThat(server.received.getFirst()).isInstanceOfSatisfying(StartupMessage.class, startup -> {
            assertThat(startup.protocolVersion()).isEqualTo(StartupMessage.PROTOCOL_3_0);
            assertThat(startup.parameters()).containsEntry("user", "alice").containsEntry("database", "shop");
        });
        assertThat(server.received).anySatisfy(m -> assertThat(m).isInstanceOfSatisfying(Parse.class,
                p -> assertThat(p.sql()).isEqualTo("SELECT $1::int")));
        assertThat(server.received).anySatisfy(m -> assertThat(m).isInstanceOfSatisfying(Bind.class,
                b -> assertThat(b.parameterValues()).hasDimensions(1, 4)));
        awaitTerminate();
        assertThat(server.received).contains(Sync.INSTANCE);
    }

    @Test
    void pgjdbcWithAWrongPasswordGets28P01() {
        assertThatThrownBy(() -> DriverManager.getConnection(url() + "?sslmode=disable", "alice", "looking glass"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed for user \"alice\"")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void pgjdbcWithAnUnknownUserGetsTheSameAnswer() {
        assertThatThrownBy(() -> DriverManager.getConnection(url() + "?sslmode=disable", "mallory", "wonder land"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed for user \"mallory\"");
    }

    @Test
    void psqlAuthenticatesWithScramAfterAnSslRequest() throws Exception {
        assumeTrue(onPath("psql"), "psql is not installed");
        var psql = new ProcessBuilder("psql", "-X", "-A", "-t", "-c", "SELECT 1")
                .redirectErrorStream(true);
        psql.environment().putAll(Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(server.port()),
                "PGUSER", "alice", "PGPASSWORD", "wonder land", "PGDATABASE", "shop", "PGSSLMODE", "prefer",
                "PGCONNECT_TIMEOUT", "10"));
        Process process = psql.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.strip()).isEqualTo("1");
        assertThat(server.received.getFirst()).isEqualTo(SSLRequest.INSTANCE);
        awaitTerminate();
        assertThat(server.received).contains(new Query("SELECT 1"));
    }

    /** The client has closed; its Terminate may still be on its way through the server's event loop. */
    private void awaitTerminate() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.received.contains(Terminate.INSTANCE)) {
            assertThat(System.nanoTime()).as("Terminate within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static boolean onPath(String command) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, command)));
    }
}
