package tandem.adapters.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the binaries published on Maven Central (zonky), for the demo and
 * for tests on machines without Docker. Runs as root too: zonky then starts the server in a user
 * namespace, because PostgreSQL refuses to run as root.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

    /** initdb creates this superuser with trust authentication on loopback. */
    public static final String SUPERUSER = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts a server on {@code port} (0 picks a free one) keeping its files in {@code dataDir}, or
     * in a temporary directory removed on close when {@code dataDir} is null. An existing data
     * directory is reused, so a demo restarted with the same directory keeps its data.
     */
    public static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "300")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off");
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            Files.createDirectories(dataDir.getParent());
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        long started = System.nanoTime();
        var server = builder.start();
        log.info("embedded PostgreSQL started on 127.0.0.1:{} in {} ms (data: {})", server.getPort(),
                (System.nanoTime() - started) / 1_000_000, dataDir == null ? "temporary" : dataDir);
        return new EmbeddedPostgres(server);
    }

    public int port() {
        return server.getPort();
    }

    public String host() {
        return "127.0.0.1";
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** Creates {@code database} unless it exists; returns whether it was created. */
    public boolean createDatabaseIfMissing(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
                Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'")) {
                if (rs.next()) {
                    return false;
                }
            }
            s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
