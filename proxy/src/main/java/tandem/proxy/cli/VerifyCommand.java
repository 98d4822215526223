package tandem.proxy.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tandem.adapters.StoreFactory;
import tandem.config.ConfigLoader;
import tandem.config.TandemConfig;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.MirroredTables;
import tandem.core.mirror.RowSync;
import tandem.core.store.Store;
import tandem.core.verify.Verifier;
import tandem.proxy.admin.VerifyReports;

/**
 * {@code tandem verify --config FILE}: compares the rows of the two stores and reports what
 * differs; {@code --repair} copies the differing rows again, as the mirror copies them.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare every row of the old and the new store; exit 0 when they hold the same rows, 1 when not.")
public final class VerifyCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "YAML configuration, as for serve; stores.new is required.")
    Path config;

    @Option(names = "--tables", split = ",", paramLabel = "TABLE",
            description = "Verify only these tables (default: every table mirrored by row).")
    List<String> tables = List.of();

    @Option(names = "--repair", description = "Copy every differing row again from the old store, then verify those rows once more.")
    boolean repair;

    @Option(names = "--row-by-row", description = "Compare every row column by column, also where fingerprints of key ranges would do.")
    boolean rowByRow;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--max-reported", defaultValue = "20", description = "Differences shown per table (default: ${DEFAULT-VALUE}).")
    int maxReported;

    @Override
    public Integer call() throws Exception {
        TandemConfig loaded = ConfigLoader.load(config);
        if (loaded.newStore() == null) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "the configuration has no stores.new to compare with",
                    null, "add stores.new (a PostgreSQL URL) to " + config);
        }
        Verifier.Report report = verify(loaded, new LinkedHashSet<>(tables), repair, maxReported, rowByRow);
        System.out.print(json ? VerifyReports.json(report) + "\n" : VerifyReports.text(report));
        return report.clean() ? 0 : 1;
    }

    /** Compares the stores of {@code loaded}; what the command and the demo run. */
    static Verifier.Report verify(TandemConfig loaded, Set<String> tables, boolean repair, int maxReported, boolean rowByRow) {
        try (Store old = StoreFactory.open(loaded.oldStore()); Store target = StoreFactory.open(loaded.newStore())) {
            old.ping();
            target.ping();
            MirroredTables plan = MirroredTables.plan(loaded.migration(), old, target);
            Verifier verifier = new Verifier(plan, old, target, RowSync.between(old, target, plan),
                    settings(maxReported, rowByRow), Clock.systemUTC());
            Verifier.Report report = verifier.run(tables, repair);
            // kept in the new store: a running tandem lets reads move there only after a clean one
            target.verificationLog().record(report, tables.isEmpty());
            return report;
        }
    }

    private static Verifier.Settings settings(int maxReported, boolean rowByRow) {
        Verifier.Settings d = Verifier.Settings.defaults();
        Verifier.Settings s = new Verifier.Settings(d.batchSize(), maxReported, d.parallelTables(), d.chunkRows(), d.sampleRows());
        return rowByRow ? s.rowByRow() : s;
    }
}
