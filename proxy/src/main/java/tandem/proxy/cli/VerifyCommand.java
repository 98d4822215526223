package tandem.proxy.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        description = "Compare every row of the old and the new store; exit 0 when they hold the same rows, 1 when not. "
                + "With --config here; without, by the running tandem (its admin API).")
public final class VerifyCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration, as for serve (stores.new is required): verify from here. Without it, "
                    + "the tandem at --admin verifies, and this prints its report.")
    Path config;

    @Mixin
    AdminClient api;

    @Option(names = "--tables", split = ",", paramLabel = "TABLE",
            description = "Verify only these tables (default: every table mirrored by row).")
    List<String> tables = List.of();

    @Option(names = "--repair", description = "Copy every differing row again from the old store, then verify those rows once more.")
    boolean repair;

    @Option(names = "--row-by-row", description = "Compare every row column by column, also where fingerprints of key ranges would do.")
    boolean rowByRow;

    @Option(names = "--max-reported", defaultValue = "20", description = "Differences shown per table (default: ${DEFAULT-VALUE}).")
    int maxReported;

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            return byRunningTandem();
        }
        TandemConfig loaded = ConfigLoader.load(config);
        if (loaded.newStore() == null) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "the configuration has no stores.new to compare with",
                    null, "add stores.new (a PostgreSQL URL) to " + config);
        }
        Verifier.Report report = verify(loaded, new LinkedHashSet<>(tables), repair, maxReported, rowByRow);
        System.out.print(api.json ? VerifyReports.json(report) + "\n" : VerifyReports.text(report));
        return report.clean() ? 0 : 1;
    }

    /** POST /api/verify, then the report once GET /api/verify/latest has a new one. */
    private int byRunningTandem() throws InterruptedException {
        if (rowByRow) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "--row-by-row needs --config: a running tandem "
                    + "verifies as its configuration says", null, "run tandem verify --config FILE --row-by-row");
        }
        String before = api.call("GET", "/api/verify/latest", null).body().path("startedAt").asText("");
        String body = AdminClient.JSON.createObjectNode().put("repair", repair)
                .set("tables", AdminClient.JSON.valueToTree(tables)).toString();
        AdminClient.Answer started = api.call("POST", "/api/verify", body);
        if (!started.ok()) {
            return api.print(started, a -> "");
        }
        while (true) {
            AdminClient.Answer latest = api.call("GET", "/api/verify/latest", null);
            JsonNode report = latest.body();
            if (!report.path("running").asBoolean()) {
                if (latest.ok() && !report.path("startedAt").asText().equals(before)) {
                    api.print(latest, VerifyReports::text);
                    return report.path("clean").asBoolean() ? 0 : 1;
                }
                String error = report.path(latest.ok() ? "lastError" : "error").asText("no report came");
                return api.print(new AdminClient.Answer(500, AdminClient.JSON.createObjectNode()
                        .put("error", "the verification failed: " + error)
                        .put("hint", "tandem's log says more; fix the cause and run tandem verify again")), a -> "");
            }
            Thread.sleep(500);
        }
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
        Verifier.Settings s = Verifier.Settings.defaults().withMaxReported(maxReported);
        return rowByRow ? s.rowByRow() : s;
    }
}
