package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;

/** {@code bin/tandem serve --config FILE} as an operator runs it. */
@ExtendWith(PostgresExtension.class)
class ServeIT {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void aBadConfigurationIsRefusedWithEveryProblemNamedAndExitCode2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tandem.yaml");
        Files.writeString(config, """
                listen: 0.0.0.0:6432
                stores:
                  old:
                    url: jdbc:postgresql://127.0.0.1:5432/app
                    password: ${NO_SUCH_VARIABLE_FOR_TANDEM}
                    pool:
                      mode: sesion
                      maxsize: 20
                """);
        Process serve = start(dir, Map.of(), "serve", "--config", config.toString());
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("tandem.log"));
        assertThat(serve.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("tandem.yaml")
                .contains("stores.old.password: environment variable NO_SUCH_VARIABLE_FOR_TANDEM is not set")
                .contains("stores.old.pool.mode: 'sesion' is not one of: session, transaction")
                .contains("stores.old.pool.maxsize: unknown key (did you mean maxSize?)")
                .contains("listen");
    }

    @Test
    void aGoodConfigurationServesUntilTerminated(TestDatabase db, @TempDir Path dir) throws Exception {
        int port = freePort();
        int adminPort = freePort();
        Path config = dir.resolve("tandem.yaml");
        Files.writeString(config, """
                listen: 127.0.0.1:%d
                admin:
                  listen: 127.0.0.1:%d
                users:
                  - name: app
                    password: ${APP_PASSWORD}
                stores:
                  old:
                    url: %s
                    user: %s
                """.formatted(port, adminPort, db.jdbcUrl(), db.user()));
        Process serve = start(dir, Map.of("APP_PASSWORD", "from-the-environment"), "serve", "--config",
                config.toString());
        try {
            Map<String, String> env = Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(port), "PGUSER", "app",
                    "PGPASSWORD", "from-the-environment", "PGDATABASE", db.name());
            LoginIT.waitUntil(() -> {
                try {
                    return Clients.run(dir, env, 10, "pg_isready", "-q").exitCode() == 0;
                } catch (Exception e) {
                    return false;
                }
            });
            Clients.Result answer = Clients.run(dir, env, 30, "psql", "-X", "-At", "-c", "SELECT current_database()");
            assertThat(answer.stdout()).as(answer.output()).isEqualTo(db.name() + "\n");
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("tandem.log"))).contains("tandem stopped")
                    .doesNotContain("from-the-environment");
        } finally {
            serve.destroyForcibly();
        }
    }

    private static Process start(Path dir, Map<String, String> env, String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = ROOT.resolve("bin/tandem").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tandem.log").toFile());
        builder.environment().put("TANDEM_SKIP_BUILD", "1");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
