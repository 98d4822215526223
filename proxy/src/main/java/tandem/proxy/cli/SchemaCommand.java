package tandem.proxy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tandem.adapters.postgres.PostgresSchemaDefinitions;
import tandem.adapters.sqlite.SqliteSchemaDefinitions;
import tandem.config.ConfigLoader;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;
import tandem.core.schema.DdlWriter;
import tandem.core.schema.PostgresOverrides;
import tandem.core.schema.SchemaComparison;
import tandem.core.schema.SchemaDefinition;
import tandem.core.schema.TableDefinition;

/**
 * {@code tandem schema --config FILE [--apply]}: prints the DDL the new store needs for the old
 * store's tables (stdout), with what could not be carried over (stderr). With {@code --apply} it
 * creates them on the new store in one transaction. When the new store already has some of the
 * tables, it compares instead and names every difference that would make a copied row differ or
 * be refused.
 *
 * <p>Exit codes: 0 printed, created, or compatible; 1 differences found; 2 an error (bad config,
 * a store unreachable, DDL PostgreSQL refused), with what to do.
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the new store's DDL for the old store's tables; with --apply, create them on the new store.",
                "If the new store already has the tables, compare them instead and report each difference.",
                "Exit codes: 0 compatible or done, 1 differences found, 2 error."})
public final class SchemaCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "YAML configuration; ${VAR} is replaced from the environment.")
    Path config;

    @Option(names = "--apply", description = "Create the tables on the new store (stores.new), in one transaction.")
    boolean apply;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TandemConfig loaded = ConfigLoader.load(config);
        SchemaDefinition wanted = oldStoreTables(loaded);
        wanted.warnings().forEach(w -> err.println("warning: " + w));
        List<String> statements = DdlWriter.statements(wanted);
        StoreConfig newStore = loaded.newStore();
        if (newStore == null) {
            out.print(DdlWriter.script(wanted));
            out.flush();
            if (apply) {
                err.println("tandem: --apply needs the new store, and stores.new is not configured");
                err.println("hint: add stores.new (url, user, password) to " + config);
                return 2;
            }
            return 0;
        }
        try (Connection c = PostgresSchemaDefinitions.connect(StoreConfig.NEW, newStore.url(), newStore.user(),
                newStore.password(), newStore.pool().connectTimeout())) {
            SchemaDefinition existing = PostgresSchemaDefinitions.read(c);
            List<String> present = wanted.tables().stream().map(TableDefinition::name)
                    .filter(t -> existing.table(t) != null).toList();
            out.print(DdlWriter.script(wanted));
            out.flush();
            if (present.isEmpty()) {
                if (apply) {
                    PostgresSchemaDefinitions.apply(c, statements);
                    err.println("created " + wanted.tables().size() + " tables on the new store (" + statements.size()
                            + " statements, one transaction)");
                } else {
                    err.println("the new store has none of these tables; run again with --apply to create them");
                }
                return 0;
            }
            if (apply) {
                err.println("the new store already has " + present.size() + " of the " + wanted.tables().size()
                        + " tables (" + String.join(", ", present) + "): --apply changes nothing; comparing instead");
            }
            // both sides as PostgreSQL prints them: the generated DDL is run in a scratch schema and rolled back
            SchemaDefinition asCreated = PostgresSchemaDefinitions.readAsCreated(c, statements);
            List<String> differences = SchemaComparison.differences(asCreated, existing);
            if (differences.isEmpty()) {
                err.println("compatible: the new store's " + wanted.tables().size() + " tables take every row of the "
                        + "old store's as it is");
                return 0;
            }
            err.println(differences.size() + (differences.size() == 1 ? " difference" : " differences")
                    + " between the old store's tables and the new store's:");
            differences.forEach(d -> err.println("  " + d));
            return 1;
        }
    }

    private static SchemaDefinition oldStoreTables(TandemConfig config) throws SQLException {
        StoreConfig old = config.oldStore();
        if (old.isSqlite()) {
            return SqliteSchemaDefinitions.read(old, config.schema().columns());
        }
        try (Connection c = PostgresSchemaDefinitions.connect(StoreConfig.OLD, old.url(), old.user(), old.password(),
                old.pool().connectTimeout())) {
            return PostgresOverrides.apply(PostgresSchemaDefinitions.read(c), config.schema().columns());
        }
    }
}
