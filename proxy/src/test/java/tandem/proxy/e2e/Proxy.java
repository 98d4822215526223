package tandem.proxy.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

import tandem.adapters.testing.TestDatabase;
import tandem.config.AdminConfig;
import tandem.config.HostPort;
import tandem.config.PoolConfig;
import tandem.config.PoolMode;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;
import tandem.proxy.TandemServer;

/** A tandem started in the test JVM on ephemeral ports, in front of a test database. */
public final class Proxy implements AutoCloseable {

    private final TandemServer server;
    private final String database;

    private Proxy(TandemServer server, String database) {
        this.server = server;
        this.database = database;
    }

    /** tandem in pass-through to a PostgreSQL test database. */
    public static Proxy postgres(TestDatabase db, PoolMode mode) {
        return postgres(db, mode, 20, TandemConfig.builder());
    }

    public static Proxy postgres(TestDatabase db, PoolMode mode, int maxSize, TandemConfig.Builder builder) {
        PoolConfig defaults = PoolConfig.defaults(mode);
        return postgres(db.jdbcUrl(), db, new PoolConfig(mode, maxSize, 0, defaults.acquireTimeout(),
                defaults.connectTimeout(), defaults.idleTimeout(), defaults.maxLifetime()), builder);
    }

    /** tandem in pass-through to {@code db} reached at {@code url} (a forwarder a test can cut, say). */
    public static Proxy postgres(String url, TestDatabase db, PoolConfig pool, TandemConfig.Builder builder) {
        StoreConfig store = StoreConfig.postgres(url, db.user(), db.password().isEmpty() ? null : db.password());
        return start(builder.database(db.name()).oldStore(store.withPool(pool)), db.name());
    }

    /** tandem in pass-through to a SQLite database file. */
    public static Proxy sqlite(Path file, String database) {
        return start(TandemConfig.builder().database(database).oldStore(StoreConfig.sqlite(file)), database);
    }

    public static Proxy start(TandemConfig.Builder builder, String database) {
        TandemConfig config = builder.listen(HostPort.loopback(0)).admin(new AdminConfig(HostPort.loopback(0), null))
                .build();
        try {
            return new Proxy(TandemServer.start(config), database);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.port();
    }

    public tandem.core.session.AdmissionGate admission() {
        return server.admission();
    }

    /**
     * Moves that share of reads to the new store at once, as {@code PUT /api/reads} with {@code force}
     * does: for tests of routing, which need no backfill or verification first (a share in the config
     * waits for them).
     */
    public Proxy forceReads(int percent) {
        HttpResponse<String> response = admin("PUT", "/api/reads", "{\"percent\": " + percent + ", \"force\": true}");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT /api/reads answered " + response.statusCode() + ": " + response.body());
        }
        return this;
    }

    /** A request to the admin API ({@code body} null for none), and its answer. */
    public HttpResponse<String> admin(String method, String path, String body) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort()
                    + path)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int adminPort() {
        return server.adminPort();
    }

    /** Waits (30 s at most) for the verification started last to finish; its report, as GET /api/verify/latest answers it. */
    public String awaitVerification() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        String latest = admin("GET", "/api/verify/latest", null).body();
        while ((latest.contains("\"running\" : true") || !latest.contains("\"clean\"")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            latest = admin("GET", "/api/verify/latest", null).body();
        }
        return latest;
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public Connection connect() throws SQLException {
        return connect(new Properties());
    }

    public Connection connect(Properties properties) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.putAll(properties);
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /** The environment psql and pgbench need to reach tandem. */
    public Map<String, String> libpqEnvironment() {
        return Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(port()), "PGDATABASE", database,
                "PGUSER", "app", "PGPASSWORD", "");
    }

    @Override
    public void close() {
        server.close();
    }
}
