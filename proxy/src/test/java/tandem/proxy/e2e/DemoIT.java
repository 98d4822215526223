package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged product as a user runs it: {@code bin/tandem demo} starts, serves the sample data to
 * psql, and stops everything on Ctrl-C (SIGINT).
 */
class DemoIT {

    @Test
    void theDemoServesSampleDataAndStopsCleanlyOnInterrupt(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        int port = freePort();
        int adminPort = freePort();
        Path log = data.resolve("demo.log");
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/tandem").toString(), "demo", "--port",
                Integer.toString(port), "--admin-port", Integer.toString(adminPort), "--data", data.resolve("demo").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TANDEM_SKIP_BUILD", "1");
        Process demo = builder.start();
        try {
            awaitReady(adminPort, demo, log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("Ctrl-C") && demo.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200); // the backfill and the verification run before the demo says it is running
            }
            String out = Files.readString(log);
            assertThat(out).contains("psql postgresql://app@127.0.0.1:" + port + "/app").contains("Ctrl-C")
                    .contains("backfill complete: 3 tables, 75,000 rows read, 75,000 inserted")
                    .contains("clean: the stores hold the same rows");

            Map<String, String> env = Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(port), "PGUSER", "app",
                    "PGDATABASE", "app");
            Clients.Result counts = Clients.run(data, env, 60, "psql", "-X", "-At", "-c",
                    "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM content), "
                            + "(SELECT count(*) FROM analytics_events)");
            assertThat(counts.stdout()).as(counts.output()).isEqualTo("5000|20000|50000\n");
            Clients.Result join = Clients.run(data, env, 60, "psql", "-X", "-At", "-c",
                    "SELECT u.email, count(*) FROM users u JOIN content c ON c.user_id = u.id "
                            + "WHERE c.published GROUP BY u.email ORDER BY count(*) DESC, u.email LIMIT 1");
            assertThat(join.stdout()).as(join.output()).matches("[a-z]+\\.[a-z]+\\d+@example\\.com\\|\\d+\\n");

            new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo stopped within 60 s").isTrue();
            assertThat(listening(port)).isFalse();
            assertThat(listening(adminPort)).isFalse();
            assertThat(Files.readString(log)).contains("tandem stopped");
        } finally {
            demo.destroyForcibly();
        }
    }

    private static void awaitReady(int adminPort, Process demo, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!demo.isAlive()) {
                throw new AssertionError("demo exited with " + demo.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("demo not ready within 240 s:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
