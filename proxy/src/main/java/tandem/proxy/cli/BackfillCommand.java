package tandem.proxy.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tandem.adapters.StoreFactory;
import tandem.config.ConfigLoader;
import tandem.config.TandemConfig;
import tandem.core.backfill.Backfill;
import tandem.core.backfill.BatchLoader;
import tandem.core.backfill.TableProgress;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.MirroredTables;
import tandem.core.store.Store;

/**
 * {@code tandem backfill --config FILE}: copies the old store's rows into the new store, resuming
 * where an earlier run stopped. Safe while {@code tandem serve} mirrors the application's writes:
 * both take the same locks on the new store.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Copy every row of the old store into the new one (resumes where it stopped): here with --config, "
                + "or by the running tandem with start, pause or resume.")
public final class BackfillCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(BackfillCommand.class);

    @Parameters(arity = "0..1", paramLabel = "ACTION",
            description = "start, pause or resume the running tandem's backfill (its admin API, see --admin).")
    String action;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration, as for serve (stores.new is required): copy from here.")
    Path config;

    @Mixin
    AdminClient api;

    @Option(names = "--tables", split = ",", paramLabel = "TABLE",
            description = "Copy only these tables (default: every table mirrored by row).")
    List<String> tables = List.of();

    @Option(names = "--batch-size", defaultValue = "5000", description = "Rows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--parallel", defaultValue = "2", description = "Tables copied at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--max-rows-per-second", defaultValue = "0",
            description = "A ceiling on rows read per second over all tables; 0 for none (default).")
    int maxRowsPerSecond;

    @Option(names = "--from-scratch", description = "Forget earlier checkpoints and copy every table again "
            + "(rows already in the new store are kept, not copied twice).")
    boolean fromScratch;

    @Option(names = "--keep-indexes", description = "Keep each table's secondary indexes and foreign keys during its copy "
            + "(slower; by default they are dropped and created again once every table is copied).")
    boolean keepIndexes;

    @Option(names = "--no-snapshot", description = "Do not keep a copy of a SQLite old store before the first row moves.")
    boolean noSnapshot;

    @Override
    public Integer call() {
        if (action != null) {
            return byRunningTandem(action.toLowerCase(Locale.ROOT));
        }
        if (config == null) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "tandem backfill needs --config FILE to copy from "
                    + "here, or an action for the running tandem", null,
                    "tandem backfill --config tandem.yaml, or tandem backfill start|pause|resume");
        }
        TandemConfig loaded = ConfigLoader.load(config);
        if (loaded.newStore() == null) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "the configuration has no stores.new to copy into",
                    null, "add stores.new (a PostgreSQL URL) to " + config);
        }
        if (batchSize < 1 || parallel < 1 || maxRowsPerSecond < 0) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "--batch-size and --parallel must be at least 1, "
                    + "--max-rows-per-second at least 0");
        }
        List<TableProgress> done = copy(loaded, new LinkedHashSet<>(tables),
                new Backfill.Settings(batchSize, parallel, maxRowsPerSecond, null, !keepIndexes), fromScratch, !noSnapshot);
        return done.stream().allMatch(t -> t.state() == TableProgress.State.DONE) ? 0 : 1;
    }

    /** The running tandem copies, with this command's settings; {@code tandem status} shows how far it is. */
    private int byRunningTandem(String what) {
        if (!what.equals("start") && !what.equals("pause") && !what.equals("resume")) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "unknown backfill action '" + action + "'", null,
                    "tandem backfill start|pause|resume (or --config FILE to copy from here)");
        }
        if (config != null || fromScratch || noSnapshot) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "--config, --from-scratch and --no-snapshot are "
                    + "for a backfill run from here, not for the running tandem's", null,
                    "leave them out, or run tandem backfill --config FILE without an action");
        }
        String body = null;
        if (what.equals("start")) {
            if (batchSize < 1 || parallel < 1 || maxRowsPerSecond < 0) {
                throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "--batch-size and --parallel must be at least "
                        + "1, --max-rows-per-second at least 0");
            }
            body = AdminClient.JSON.createObjectNode().put("batchSize", batchSize).put("parallelTables", parallel)
                    .put("maxRowsPerSecond", maxRowsPerSecond).put("deferConstraints", !keepIndexes)
                    .<com.fasterxml.jackson.databind.node.ObjectNode>set("tables", AdminClient.JSON.valueToTree(tables))
                    .toString();
        }
        return api.print(api.call("POST", "/api/backfill/" + what, body), a -> switch (what) {
            case "pause" -> "backfill pausing after its current batches; resume: tandem backfill resume";
            default -> "backfill running in tandem; tandem status shows how far it is";
        });
    }

    /**
     * Copies the old store's rows into the new one with a progress display on standard output, and
     * prints a summary line; what the command and the demo run.
     */
    static List<TableProgress> copy(TandemConfig loaded, Set<String> tables, Backfill.Settings settings,
            boolean fromScratch, boolean snapshot) {
        try (Store old = StoreFactory.open(loaded.oldStore()); Store target = StoreFactory.open(loaded.newStore())) {
            old.ping();
            target.ping();
            MirroredTables plan = MirroredTables.plan(loaded.migration(), old, target);
            BatchLoader loader = target.batchLoader();
            loader.ensureCreated();
            if (fromScratch) {
                loader.reset();
                log.info("backfill: earlier checkpoints forgotten; every table is copied again");
            }
            if (loader.checkpoints().isEmpty() && snapshot) {
                Path copy = old.keepSnapshot();
                if (copy != null) {
                    log.info("backfill: the old store as it was before the first row moved is kept in {} (to roll "
                            + "back: stop the application, replace the database file with this copy)", copy);
                } else {
                    log.info("backfill: tandem keeps no snapshot of a {} old store; take a backup with the store's "
                            + "own tools (pg_dump) if you want one", old.kind().displayName());
                }
            }
            Backfill backfill = new Backfill(plan, tables, old.pageReader(), loader, settings, new SimpleMeterRegistry(),
                    Clock.systemUTC(), () -> Double.NaN);
            ProgressDisplay display = new ProgressDisplay(System.out, ProgressDisplay.stdoutIsTerminal());
            backfill.onProgress(p -> display.update(p, false));
            Thread stopper = new Thread(backfill::stop, "tandem-backfill-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            List<TableProgress> done;
            try {
                done = backfill.run();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is stopping: the hook runs, and the backfill stops after its batch
                }
            }
            display.finish(done);
            boolean complete = done.stream().allMatch(t -> t.state() == TableProgress.State.DONE);
            long read = done.stream().mapToLong(TableProgress::read).sum();
            long inserted = done.stream().mapToLong(TableProgress::inserted).sum();
            long thisRun = done.stream().mapToLong(TableProgress::readThisRun).sum();
            System.out.printf("backfill %s: %d tables, %,d rows read, %,d inserted, %,d already in the new store%s%n",
                    complete ? "complete" : "stopped (run it again to resume)", done.size(), read, inserted,
                    read - inserted, thisRun == read ? "" : String.format(" (%,d read by this run)", thisRun));
            return done;
        }
    }
}
