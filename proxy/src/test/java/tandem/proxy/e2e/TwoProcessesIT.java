package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;

/**
 * Two tandem processes ({@code bin/tandem serve}) in front of the same stores, as behind a load
 * balancer: a change made through one reaches the other, and a cutover through one holds and swaps
 * both, while clients of each write, none of them failing.
 */
class TwoProcessesIT {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private record Tandem(Process process, int port, int admin, Path log) {
    }

    @Test
    void twoProcessesShareTheMigrationAndCutOverInOnePause(@TempDir Path dir) throws Exception {
        TestDatabase oldDb = TestPostgres.shared().createDatabase("two_old");
        TestDatabase newDb = TestPostgres.shared().createDatabase("two_new");
        for (TestDatabase db : List.of(oldDb, newDb)) {
            db.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL)");
        }
        oldDb.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g");
        List<Tandem> tandems = new ArrayList<>();
        try {
            for (String name : List.of("a", "b")) {
                tandems.add(start(dir, name, oldDb, newDb));
            }
            Tandem a = tandems.get(0);
            Tandem b = tandems.get(1);
            assertThat(admin(b, "POST", "/api/backfill", "{}").statusCode()).isEqualTo(202);
            await(() -> status(b).contains("\"complete\" : true"), "the backfill");
            assertThat(admin(b, "POST", "/api/verify", "{}").statusCode()).isEqualTo(202);
            await(() -> admin(b, "GET", "/api/verify/latest", null).body().contains("\"clean\" : true"), "a verification");
            assertThat(admin(b, "PUT", "/api/reads", "{\"percent\": 100}").statusCode()).isEqualTo(200);
            await(() -> status(a).contains("\"readPercent\" : 100"), "the other process following the reads");

            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong written = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Tandem through = tandems.get(i % 2);
                long first = 1000L + i * 1_000_000L;
                clients.add(Thread.ofPlatform().start(() -> write(through, first, running, failures, written)));
            }
            Thread.sleep(1000);
            HttpResponse<String> cut = admin(a, "POST", "/api/cutover", null);
            assertThat(cut.statusCode()).as(cut.body()).isEqualTo(200);
            await(() -> status(b).contains("\"phase\" : \"promoted\""), "the other process swapping");
            long atCutover = written.get();
            Thread.sleep(1000);
            running.set(false);
            for (Thread t : clients) {
                t.join(10_000);
            }
            assertThat(failures).as("no client of either process fails").isEmpty();
            assertThat(written.get()).as("writes went on after the cutover").isGreaterThan(atCutover);
            for (Tandem t : tandems) {
                try (Connection c = connect(t); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT current_database()")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("the primary of process on " + t.port()).isEqualTo(newDb.name());
                }
            }
            assertThat(Files.readString(b.log())).contains("new transactions wait here for another tandem's cutover");
        } finally {
            for (Tandem t : tandems) {
                t.process().destroy();
                t.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void write(Tandem through, long first, AtomicBoolean running, ConcurrentLinkedQueue<String> failures,
            AtomicLong written) {
        try (Connection c = connect(through);
                PreparedStatement insert = c.prepareStatement("INSERT INTO items (id, name) VALUES (?, 'two')")) {
            for (long id = first; running.get(); id++) {
                try {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                    written.incrementAndGet();
                } catch (SQLException e) {
                    failures.add(e.getSQLState() + " " + e.getMessage());
                }
            }
        } catch (SQLException e) {
            failures.add(e.getSQLState() + " " + e.getMessage());
        }
    }

    private static Tandem start(Path dir, String name, TestDatabase oldDb, TestDatabase newDb) throws Exception {
        int port = freePort();
        int admin = freePort();
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, """
                listen: 127.0.0.1:%d
                database: app
                admin:
                  listen: 127.0.0.1:%d
                stores:
                  old:
                    url: %s
                    user: %s%s
                  new:
                    url: %s
                    user: %s%s
                """.formatted(port, admin, oldDb.jdbcUrl(), oldDb.user(), password(oldDb), newDb.jdbcUrl(), newDb.user(),
                password(newDb)));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/tandem").toString(), "serve", "--config",
                config.toString()).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TANDEM_SKIP_BUILD", "1");
        Tandem t = new Tandem(builder.start(), port, admin, log);
        await(() -> {
            try {
                return admin(t, "GET", "/health/ready", null).statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        }, "tandem " + name + " to start (" + log + ")");
        return t;
    }

    private static String password(TestDatabase db) {
        return db.password() == null || db.password().isBlank() ? "" : "\n    password: " + db.password();
    }

    private static Connection connect(Tandem t) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + t.port() + "/app", "app", null);
    }

    private static String status(Tandem t) {
        return admin(t, "GET", "/api/status", null).body();
    }

    private static HttpResponse<String> admin(Tandem t, String method, String path, String body) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.admin() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("waiting for " + what).isTrue();
            Thread.sleep(100);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
