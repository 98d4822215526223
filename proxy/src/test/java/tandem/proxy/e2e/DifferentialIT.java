package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.PoolMode;

/**
 * PostgreSQL is the oracle: each script of the corpus in {@code src/test/resources/differential}
 * runs in psql against PostgreSQL directly and through tandem (each on a fresh database), in both
 * pool modes, with startup parameters that are not the server's defaults, and psql must print the
 * same bytes both ways. A new script there is a new test.
 */
class DifferentialIT {

    /** A script whose text holds this line runs over a SQLite old store too (the emulation's dialect is narrower). */
    static final String ALSO_SQLITE = "-- also over SQLite";

    /** What PGDATESTYLE, PGTZ, PGOPTIONS and PGAPPNAME send in the startup packet: none is the server's default. */
    private static final Map<String, String> STARTUP = Map.of("PGDATESTYLE", "Postgres, MDY", "PGTZ", "PST8PDT",
            "PGOPTIONS", "-c work_mem=77MB -c extra_float_digits=1 -c intervalstyle=postgres_verbose",
            "PGAPPNAME", "probeapp");

    /** The same but for DateStyle and IntervalStyle, which the SQLite emulation speaks in ISO and postgres only. */
    private static final Map<String, String> SQLITE_STARTUP = Map.of("PGTZ", "PST8PDT",
            "PGOPTIONS", "-c work_mem=77MB -c extra_float_digits=1 -c bytea_output=escape", "PGAPPNAME", "probeapp");

    /** The old store behind tandem. */
    enum Target {
        POSTGRES_SESSION, POSTGRES_TRANSACTION, SQLITE
    }

    /** Every script of the corpus over both pool modes, and over SQLite where it says so. */
    static Stream<Arguments> scripts() throws Exception {
        List<Arguments> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(DifferentialIT.class.getResource("/differential").toURI()))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                String name = file.getFileName().toString();
                runs.add(Arguments.of(name, Target.POSTGRES_SESSION));
                runs.add(Arguments.of(name, Target.POSTGRES_TRANSACTION));
                if (Files.readString(file).contains(ALSO_SQLITE)) {
                    runs.add(Arguments.of(name, Target.SQLITE));
                }
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("scripts")
    void psqlPrintsThroughTandemWhatItPrintsDirectly(String script, Target target, @TempDir Path dir) throws Exception {
        Path file = dir.resolve(script);
        try (InputStream in = DifferentialIT.class.getResourceAsStream("/differential/" + script)) {
            Files.copy(in, file);
        }
        TestDatabase direct = TestPostgres.shared().createDatabase("diff_direct");
        Map<String, String> startup = target == Target.SQLITE ? SQLITE_STARTUP : STARTUP;
        Clients.Result expected = psql(dir, file, direct.libpqEnvironment(), startup);
        Clients.Result actual;
        try (Proxy proxy = switch (target) {
            case POSTGRES_SESSION -> Proxy.postgres(TestPostgres.shared().createDatabase("diff_proxied"), PoolMode.SESSION);
            case POSTGRES_TRANSACTION -> Proxy.postgres(TestPostgres.shared().createDatabase("diff_proxied"),
                    PoolMode.TRANSACTION);
            case SQLITE -> Proxy.sqlite(Files.createFile(dir.resolve("old.db")), "app"); // empty is a database
        }) {
            actual = psql(dir, file, proxy.libpqEnvironment(), startup);
        }
        keep(script + "." + target, expected.stdout() + expected.stderr(), actual.stdout() + actual.stderr());
        assertThat(expected.stderr()).as("the script runs cleanly on PostgreSQL itself").doesNotContain("FATAL");
        assertThat(actual.stderr()).isEqualTo(expected.stderr());
        assertThat(actual.stdout()).isEqualTo(expected.stdout());
        assertThat(actual.exitCode()).isEqualTo(expected.exitCode());
    }

    private static Clients.Result psql(Path dir, Path script, Map<String, String> connection,
            Map<String, String> startup) throws Exception {
        Map<String, String> env = new HashMap<>(connection);
        env.putAll(startup);
        return Clients.run(dir, env, 120, "psql", "-X", "-v", "ON_ERROR_STOP=0", "-P", "pager=off", "-a", "-f",
                script.toString());
    }

    /**
     * The same settings through pgjdbc's extended protocol (every statement parsed, bound and
     * executed; server-side prepared after the first uses), with options and an application name
     * given as connection properties.
     */
    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void pgjdbcSeesThroughTandemWhatItSeesDirectly(PoolMode mode) throws Exception {
        TestDatabase direct = TestPostgres.shared().createDatabase("diff_direct");
        TestDatabase proxied = TestPostgres.shared().createDatabase("diff_proxied");
        List<String> expected = jdbcSequence(direct.jdbcUrl(), direct.user(), direct.password());
        List<String> actual;
        try (Proxy proxy = Proxy.postgres(proxied, mode)) {
            actual = jdbcSequence(proxy.jdbcUrl(), "app", "");
        }
        keep("pgjdbc." + mode, String.join("\n", expected), String.join("\n", actual));
        assertThat(actual).isEqualTo(expected);
    }

    /** Both outputs go to target/differential, for diff(1) when they differ. */
    private static void keep(String name, String direct, String tandem) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "differential"));
        Files.writeString(dir.resolve(name + ".direct"), direct);
        Files.writeString(dir.resolve(name + ".tandem"), tandem);
    }

    private static List<String> jdbcSequence(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("options", "-c work_mem=77MB -c extra_float_digits=1 -c TimeZone=PST8PDT");
        props.setProperty("ApplicationName", "probeapp");
        props.setProperty("prepareThreshold", "1");
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, props)) {
            String settings = "SELECT name, setting, source, reset_val FROM pg_settings WHERE name IN ('TimeZone', "
                    + "'work_mem', 'application_name', 'extra_float_digits', 'bytea_output') ORDER BY name";
            query(c, out, settings);
            for (String step : new String[] {"SET work_mem = '12MB'", "SET TIME ZONE 'Asia/Tokyo'",
                    "SET application_name = 'renamed'", "SET bytea_output = 'escape'", "RESET work_mem",
                    "RESET ALL", "SET extra_float_digits = 0", "DISCARD ALL"}) {
                try (Statement s = c.createStatement()) {
                    s.execute(step);
                }
                out.add("-- " + step);
                query(c, out, settings);
                query(c, out, "SELECT '2006-08-13 12:34:56'::timestamptz::text, 0.1::float8::text, "
                        + "'\\x00ff'::bytea::text");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL work_mem = '5MB'");
                s.execute("SELECT set_config('timezone', 'Europe/Berlin', true)");
            }
            query(c, out, settings);
            c.commit();
            query(c, out, settings);
        }
        return out;
    }

    private static void query(Connection c, List<String> out, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : " | ").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
    }
}
