package tandem.adapters.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import tandem.adapters.postgres.EmbeddedPostgres;

/**
 * The one real PostgreSQL server a test JVM uses: the server named by {@code TANDEM_TEST_PG_URL}
 * if set, else a Testcontainers container where Docker runs, else an embedded server. Each test
 * class gets a database of its own on it.
 */
public final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static final AtomicInteger databases = new AtomicInteger();
    private static TestPostgres shared;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String maintenanceDatabase;

    private TestPostgres(String host, int port, String user, String password, String maintenanceDatabase) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.maintenanceDatabase = maintenanceDatabase;
    }

    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static TestPostgres start() {
        String url = System.getenv("TANDEM_TEST_PG_URL");
        if (url != null && !url.isBlank()) {
            log.info("tests use the PostgreSQL server at {}", url);
            return fromUrl(url);
        }
        if (dockerAvailable()) {
            var container = new PostgreSQLContainer("postgres:18");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            log.info("tests use a PostgreSQL container on port {}", container.getFirstMappedPort());
            return new TestPostgres(container.getHost(), container.getFirstMappedPort(), container.getUsername(),
                    container.getPassword(), container.getDatabaseName());
        }
        try {
            var embedded = EmbeddedPostgres.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (Exception e) {
                    log.warn("could not stop the embedded PostgreSQL", e);
                }
            }));
            return new TestPostgres(embedded.host(), embedded.port(), EmbeddedPostgres.SUPERUSER, "", "postgres");
        } catch (Exception e) {
            throw new IllegalStateException("no PostgreSQL for tests: Docker is not running and the embedded server did "
                    + "not start; set TANDEM_TEST_PG_URL=jdbc:postgresql://host:port/db?user=..&password=.. to use a server", e);
        }
    }

    private static boolean dockerAvailable() {
        // Testcontainers logs an error when it finds no Docker; look for a socket before asking it
        boolean hint = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    /** {@code jdbc:postgresql://host:port/db?user=u&password=p} */
    private static TestPostgres fromUrl(String url) {
        var uri = java.net.URI.create(url.substring("jdbc:".length()));
        String user = "postgres";
        String password = "";
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals("user")) {
                    user = kv[1];
                } else if (kv[0].equals("password")) {
                    password = kv[1];
                }
            }
        }
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new TestPostgres(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password, db);
    }

    /** Creates a fresh database whose name starts with {@code prefix}. */
    public TestDatabase createDatabase(String prefix) {
        String name = (prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet()
                + "_" + ProcessHandle.current().pid());
        try (Connection c = DriverManager.getConnection(jdbcUrl(maintenanceDatabase), user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new TestDatabase(host, port, name, user, password);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
