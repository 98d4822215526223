package tandem.proxy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tandem.adapters.postgres.EmbeddedPostgres;
import tandem.config.AdminConfig;
import tandem.config.ConfigLoader;
import tandem.config.HostPort;
import tandem.config.MigrationConfig;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;
import tandem.core.backfill.Backfill;
import tandem.proxy.TandemServer;
import tandem.proxy.admin.VerifyReports;
import tandem.proxy.demo.DemoData;

/**
 * {@code tandem demo}: everything on one machine with nothing to install. A SQLite old store with
 * sample data, an embedded PostgreSQL new store with the same schema, and tandem in front.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run tandem in front of a sample SQLite database with an embedded PostgreSQL as the new store.")
public final class DemoCommand implements Callable<Integer> {

    static final String DATABASE = "app";

    @Option(names = "--port", defaultValue = "6432", description = "Port clients connect to (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-port", defaultValue = "9090",
            description = "Port of the admin API and health checks (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--no-backfill", description = "Start without copying the old store's rows into the new one.")
    boolean noBackfill;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where the demo keeps its databases (default: ~/.local/share/tandem/demo). "
                    + "Reused on the next run; delete it to start over.")
    Path data;

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? data : defaultDataDirectory();
        Files.createDirectories(dir);
        Path sqlite = dir.resolve(DATABASE + ".db");
        if (Files.notExists(sqlite)) {
            say("creating the old store, a SQLite database with sample data: " + sqlite);
            DemoData.createSqlite(sqlite, rows -> say("  " + rows));
        } else {
            say("reusing the old store " + sqlite);
        }
        say("starting the new store, an embedded PostgreSQL (the first start unpacks it) ...");
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dir.resolve("postgres"), 0);
        TandemServer server;
        try {
            if (postgres.createDatabaseIfMissing(DATABASE)) {
                DemoData.createPostgresSchema(postgres.jdbcUrl(DATABASE), EmbeddedPostgres.SUPERUSER, "");
            }
            TandemConfig config = TandemConfig.builder()
                    .listen(HostPort.loopback(port))
                    .admin(new AdminConfig(HostPort.loopback(adminPort), null))
                    .database(DATABASE)
                    .oldStore(StoreConfig.sqlite(sqlite))
                    .newStore(StoreConfig.postgres(postgres.jdbcUrl(DATABASE), EmbeddedPostgres.SUPERUSER, null))
                    // reads are compared only once the backfill copied the history (shadow reads of an
                    // empty new store would only report the rows it lacks)
                    .migration(MigrationConfig.defaults().withShadowSample(0))
                    .build();
            server = TandemServer.start(config);
        } catch (Exception e) {
            postgres.close();
            throw e;
        }
        Path configFile = writeConfig(dir, sqlite, postgres);
        if (!noBackfill) {
            say("");
            say("the new store starts with empty tables; copying the old store's rows (bin/tandem backfill does this):");
            BackfillCommand.copy(ConfigLoader.load(configFile), Set.of(), Backfill.Settings.defaults(), false, true);
            say("comparing every row of both stores (bin/tandem verify does this):");
            System.out.print(VerifyReports.text(VerifyCommand.verify(ConfigLoader.load(configFile), Set.of(), false, 5, false)));
        }
        say("");
        say("tandem demo is running.");
        say("  connect:    psql postgresql://app@127.0.0.1:" + server.port() + "/" + DATABASE);
        say("  health:     curl http://127.0.0.1:" + server.adminPort() + "/health/ready");
        say("  old store:  SQLite " + sqlite + " (" + DemoData.USERS + " users, " + DemoData.CONTENT
                + " content items, " + DemoData.EVENTS + " analytics events)");
        say("  new store:  PostgreSQL at 127.0.0.1:" + postgres.port() + "/" + DATABASE + " (embedded;"
                + " every write through tandem is mirrored to it)");
        say("  status:     curl http://127.0.0.1:" + server.adminPort() + "/api/status");
        say("  the stores: " + configFile + " (bin/tandem verify --config " + configFile + ")");
        say("Ctrl-C stops everything.");
        ServeCommand.awaitShutdown(server, postgres);
        return 0;
    }

    /** The demo's stores as a configuration file, for the backfill, verify and schema commands. */
    private Path writeConfig(Path dir, Path sqlite, EmbeddedPostgres postgres) throws java.io.IOException {
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, """
                # written by bin/tandem demo at each start (the new store's port changes)
                listen: 127.0.0.1:%d
                admin:
                  listen: 127.0.0.1:%d
                stores:
                  old:
                    url: jdbc:sqlite:%s
                  new:
                    url: %s
                    user: %s
                """.formatted(port, adminPort, sqlite.toAbsolutePath(), postgres.jdbcUrl(DATABASE),
                EmbeddedPostgres.SUPERUSER));
        return file;
    }

    private static Path defaultDataDirectory() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("tandem").resolve("demo");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
