package tandem.loadtest;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit}: compares the old store with the new row by row and prints the differences. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Compare every row of every table (or of --tables) between the old store and the new one. "
                + "Exits 0 when they hold the same rows, 1 when they differ.")
final class AuditCommand implements Callable<Integer> {

    @Option(names = "--old", required = true, description = "the old store: jdbc:sqlite:/path/app.db or a PostgreSQL JDBC URL")
    String oldUrl;

    @Option(names = "--old-user", description = "user for a PostgreSQL old store")
    String oldUser;

    @Option(names = "--old-password", description = "password for a PostgreSQL old store")
    String oldPassword;

    @Option(names = "--new", required = true, description = "the new store: a PostgreSQL JDBC URL")
    String newUrl;

    @Option(names = "--new-user", defaultValue = "postgres", description = "user for the new store (default: ${DEFAULT-VALUE})")
    String newUser;

    @Option(names = "--new-password", description = "password for the new store (default: $PGPASSWORD, else none)")
    String newPassword;

    @Option(names = "--tables", split = ",", description = "tables to compare (default: every table either store has)")
    List<String> tables = List.of();

    @Option(names = "--max-reported", defaultValue = "" + Audit.DEFAULT_MAX_REPORTED,
            description = "differences shown per table (default: ${DEFAULT-VALUE}); all are counted")
    int maxReported;

    @Override
    public Integer call() throws Exception {
        String pgPassword = System.getenv("PGPASSWORD");
        StoreEndpoint oldStore = new StoreEndpoint(oldUrl, oldUser, oldPassword != null ? oldPassword : pgPassword);
        StoreEndpoint newStore = new StoreEndpoint(newUrl, newUser, newPassword != null ? newPassword : pgPassword);
        if (newStore.isSqlite()) {
            throw new IllegalArgumentException("--new must be a PostgreSQL store; the new store tandem moves to is one");
        }
        AuditResult result = Audit.compare(oldStore, newStore, tables, maxReported);
        System.out.print(result.describe());
        System.out.flush();
        return result.clean() ? 0 : 1;
    }
}
