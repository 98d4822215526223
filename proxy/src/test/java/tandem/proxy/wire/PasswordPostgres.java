package tandem.proxy.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL per test JVM that asks for passwords: the shared test server trusts
 * everyone on loopback, so this one gets a pg_hba.conf of its own. {@code postgres} is trusted;
 * {@code scram_user}, {@code md5_user} and {@code password_user} must authenticate with
 * SCRAM-SHA-256, MD5 and a cleartext password respectively.
 */
public final class PasswordPostgres {

    public static final String SCRAM_PASSWORD = "scr4m p\u00e4ss";
    public static final String MD5_PASSWORD = "md5-pass";
    public static final String CLEARTEXT_PASSWORD = "clear-pass";

    private static EmbeddedPostgres server;

    private PasswordPostgres() {
    }

    public static synchronized int port() {
        if (server == null) {
            server = start();
        }
        return server.getPort();
    }

    public static Connection superuser() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/postgres", "postgres", "");
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres started = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "off")
                    .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath().resolve("pg_hba.conf")))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is ending; the temporary data directory goes with it
                }
            }));
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + started.getPort() + "/postgres",
                    "postgres", ""); var s = c.createStatement()) {
                s.execute("SET password_encryption = 'scram-sha-256'");
                s.execute("CREATE ROLE scram_user LOGIN PASSWORD '" + SCRAM_PASSWORD + "'");
                s.execute("CREATE ROLE password_user LOGIN PASSWORD '" + CLEARTEXT_PASSWORD + "'");
                s.execute("SET password_encryption = 'md5'");
                s.execute("CREATE ROLE md5_user LOGIN PASSWORD '" + MD5_PASSWORD + "'");
            }
            return started;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("could not start the password-checking PostgreSQL", e);
        }
    }

    private static void writeHba(Path hba) {
        try {
            Files.writeString(hba, """
                    local all postgres trust
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host all scram_user 127.0.0.1/32 scram-sha-256
                    host all md5_user 127.0.0.1/32 md5
                    host all password_user 127.0.0.1/32 password
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
