package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.PoolMode;

/**
 * psql runs one script twice, against PostgreSQL directly and through tandem, each on a fresh
 * database: every byte it prints, on stdout and stderr, and every file it writes, must match.
 */
class PsqlRelayIT {

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void psqlPrintsThroughTandemExactlyWhatItPrintsDirectly(PoolMode mode, @TempDir Path dir) throws Exception {
        TestDatabase direct = TestPostgres.shared().createDatabase("psql_direct");
        TestDatabase proxied = TestPostgres.shared().createDatabase("psql_proxied");
        Path directDir = prepare(dir.resolve("direct"));
        Path proxiedDir = prepare(dir.resolve("proxied"));

        Clients.Result expected = psql(directDir, direct.libpqEnvironment());
        Clients.Result actual;
        try (Proxy proxy = Proxy.postgres(proxied, mode)) {
            actual = psql(proxiedDir, proxy.libpqEnvironment());
        }

        assertThat(expected.stderr()).contains("ERROR:  division by zero").contains("NOTICE:  notice from plpgsql");
        assertThat(expected.stdout()).contains("(100000 rows)");
        assertThat(actual.exitCode()).isEqualTo(expected.exitCode());
        assertThat(actual.stderr()).isEqualTo(expected.stderr());
        assertThat(actual.stdout()).isEqualTo(expected.stdout());
        assertThat(Files.readString(proxiedDir.resolve("out.csv"))).isEqualTo(Files.readString(directDir.resolve("out.csv")));
    }

    private static Clients.Result psql(Path dir, java.util.Map<String, String> env) throws Exception {
        return Clients.run(dir, env, 120, "psql", "-X", "-v", "ON_ERROR_STOP=0", "-P", "pager=off", "-f", "script.sql");
    }

    private static Path prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : new String[] {"script.sql", "items.csv"}) {
            try (InputStream in = PsqlRelayIT.class.getResourceAsStream("/e2e/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        return dir;
    }
}
