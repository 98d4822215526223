package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;

/**
 * PostgreSQL is the oracle for the Node.js clients too: each script in {@code src/test/node}
 * (node-postgres, postgres.js, Drizzle ORM) runs against PostgreSQL directly and through tandem in
 * front of an empty SQLite file, and must print the same bytes both ways. The packages come from
 * the committed lockfile ({@code npm ci}, which {@code .ci/run} does).
 */
class NodeClientsIT {

    private static final Path SCRIPTS = Path.of("src", "test", "node").toAbsolutePath();

    static Stream<String> scripts() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".mjs") && !n.equals("show.mjs"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void printsOverSqliteWhatItPrintsOnPostgres(String script, @TempDir Path dir) throws Exception {
        requirePackages();
        TestDatabase direct = TestPostgres.shared().createDatabase("node_direct");
        Clients.Result expected = node(script, direct.libpqEnvironment());
        Clients.Result actual;
        try (Proxy proxy = Proxy.sqlite(Files.createFile(dir.resolve("app.db")), "app")) {
            actual = node(script, proxy.libpqEnvironment());
        }
        Path out = Files.createDirectories(Path.of("target", "differential"));
        Files.writeString(out.resolve(script + ".direct"), expected.output());
        Files.writeString(out.resolve(script + ".tandem"), actual.output());
        assertThat(expected.exitCode()).as("the script runs on PostgreSQL itself: %s", expected.output()).isZero();
        assertThat(actual.output()).isEqualTo(expected.output());
        assertThat(actual.exitCode()).isZero();
    }

    private static Clients.Result node(String script, Map<String, String> connection) throws Exception {
        Map<String, String> env = new HashMap<>(connection);
        env.put("TZ", "UTC");
        return Clients.run(SCRIPTS, env, 120, "node", script);
    }

    /** The packages {@code npm ci} installs; without them the test skips, or fails where clients are required. */
    private static void requirePackages() {
        for (String module : List.of("pg", "postgres", "drizzle-orm")) {
            if (!Files.isDirectory(SCRIPTS.resolve("node_modules").resolve(module))) {
                String message = "the Node.js packages are not installed: npm ci --prefix " + SCRIPTS;
                if (System.getenv("TANDEM_REQUIRE_CLIENTS") != null) {
                    throw new AssertionError(message + "; TANDEM_REQUIRE_CLIENTS is set, so this fails rather than skips");
                }
                Assumptions.abort(message);
            }
        }
    }
}
