package tandem.loadtest.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/tandem serve --config FILE} as an operator runs it, in a process of its own (as the
 * proxy module's ServeIT runs it): the packaged jar, {@code proxy/target/tandem.jar}, which the
 * proxy module's package phase builds.
 */
final class TandemProcess implements AutoCloseable {

    /** The repository: the tests run in {@code loadtest/}. */
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private final Process process;
    private final Path log;
    final int port;
    final int adminPort;

    private TandemProcess(Process process, Path log, int port, int adminPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
    }

    /**
     * Writes {@code name}.yaml in {@code dir} from {@code yaml} (a format with the listen and admin
     * ports as its first two arguments, on free ports chosen here) and serves it; output goes to
     * {@code name}.log.
     */
    static TandemProcess serve(Path dir, String name, String yaml) throws IOException {
        Path jar = ROOT.resolve("proxy/target/tandem.jar");
        assertThat(jar).as("the packaged tandem; build it with the proxy module's package phase (mvn verify -pl "
                + "loadtest -am does)").exists();
        int port = freePort();
        int adminPort = freePort();
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, yaml.formatted(port, adminPort));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(ROOT.resolve("bin/tandem").toString(), "serve", "--config",
                config.toString())).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TANDEM_SKIP_BUILD", "1");
        builder.environment().put("TANDEM_JAVA_OPTS", "-Xmx384m");
        return new TandemProcess(builder.start(), log, port, adminPort);
    }

    Admin admin() {
        return new Admin(adminPort);
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Waits until the admin API answers, which tandem starts once it listens for clients too. */
    TandemProcess awaitReady(Duration deadline) throws Exception {
        Admin admin = admin();
        Admin.await("serving", deadline, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("tandem exited with " + process.exitValue() + ":\n" + output());
            }
            return admin.status().path("mode").asText().equals("mirroring");
        }, () -> "log:\n" + output());
        return this;
    }

    /** kill -9: no shutdown hook, nothing flushed, nothing closed by tandem. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    long pid() {
        return process.pid();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops tandem as an operator does (SIGTERM), and waits. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
