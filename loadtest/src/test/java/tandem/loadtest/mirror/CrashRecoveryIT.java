package tandem.loadtest.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.adapters.testing.TcpForwarder;
import tandem.loadtest.Workload;
import tandem.loadtest.WorkloadOptions;
import tandem.loadtest.WorkloadResult;

/**
 * tandem dies with syncs in flight and comes back: {@code bin/tandem serve} runs in a process of its
 * own; in the middle of the load the new store stops answering (a {@link TcpForwarder} stalled:
 * connections stay open, nothing gets through), so every commit waits out the 300 ms mirror
 * timeout and its keys stay in the repair log; then the process is killed with SIGKILL. The
 * repair log in the old store holds the rows the new store lacks, both those whose sync was marked
 * failed and those whose session died before anything was marked (due after 2 x mirror timeout).
 * A new tandem started on the same stores, with the new store answering again (and whatever the
 * dead process had in flight delivered late), drains the log while new load runs, and the stores
 * end up holding the same rows.
 */
class CrashRecoveryIT {

    private static final Logger log = LoggerFactory.getLogger(CrashRecoveryIT.class);

    private static final long SYNCED_BEFORE_STALL = 100;
    private static final long LOGGED_BEFORE_KILL = 30;
    private static final Duration STALL_BEFORE_KILL = Duration.ofSeconds(2);

    @ParameterizedTest
    @EnumSource(value = MirrorPair.Old.class, names = {"SQLITE", "POSTGRES_SESSION"})
    void aKilledTandemLeavesNothingUnsynced(MirrorPair.Old old, @TempDir Path dir) throws Exception {
        MirrorPair pair = MirrorPair.create(old, dir.resolve("stores"));
        try (TcpForwarder newStore = new TcpForwarder(pair.newDb.host(), pair.newDb.port())) {
            String yaml = config(pair, newStore.jdbcUrl(pair.newDb.name()));

            long logged;
            long unmarked;
            try (TandemProcess first = TandemProcess.serve(dir, "first", yaml).awaitReady(Duration.ofSeconds(60))) {
                Admin admin = first.admin();
                Workload workload = new Workload(WorkloadOptions.of(first.jdbcUrl(pair.database()), "app", null)
                        .withClients(6).withDuration(Duration.ofSeconds(60)));
                CompletableFuture<WorkloadResult> load = CompletableFuture.supplyAsync(() -> {
                    try {
                        return workload.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try {
                    Admin.await("writing", Duration.ofSeconds(30), () -> synced(admin) >= SYNCED_BEFORE_STALL,
                            () -> "status " + admin.status().path("mirror"));
                    log.info("stalling the new store");
                    newStore.stall();
                    long stalledAt = System.nanoTime();
                    Admin.await("rows piling up in the repair log", Duration.ofSeconds(20),
                            () -> pair.repairLogRows(false) >= LOGGED_BEFORE_KILL
                                    && System.nanoTime() - stalledAt > STALL_BEFORE_KILL.toNanos(),
                            () -> pair.repairLogRows(false) + " rows in the repair log");
                    assertThat(load).as("the load runs").isNotDone();
                    log.info("killing tandem (pid {}) with SIGKILL", first.pid());
                    first.kill();
                } finally {
                    workload.stop();
                }
                WorkloadResult run = load.join();
                System.out.print(run.describe());
                // the kill breaks connections (08xxx) and nothing else: no other error, no anomaly
                assertThat(run.unexpectedErrors().keySet()).as(run.describe()).allMatch(s -> s.startsWith("08"));
                assertThat(run.anomalies()).as(run.describe()).isEmpty();

                logged = pair.repairLogRows(false);
                unmarked = pair.repairLogRows(true);
                log.info("after the kill: {} rows in the repair log, {} of them never marked failed", logged, unmarked);
                assertThat(logged).as("rows the new store may lack wait in the old store's repair log").isPositive();
                // commits of the last 300 ms before the kill: nobody lived to mark their sync failed
                assertThat(unmarked).as("entries only their age makes due").isPositive();
                assertThat(pair.audit().clean()).as("the new store lacks rows before the restart").isFalse();
            }

            log.info("the new store answers again; starting a second tandem");
            newStore.restore();
            try (TandemProcess second = TandemProcess.serve(dir, "second", yaml).awaitReady(Duration.ofSeconds(60))) {
                Admin admin = second.admin();
                WorkloadResult run = new Workload(WorkloadOptions.of(second.jdbcUrl(pair.database()), "app", null)
                        .withClients(4).withOperations(1_000).withDuration(Duration.ofSeconds(45))).run();
                System.out.print(run.describe());
                Proof.assertClean(run);
                assertThat(run.totalOperations()).isEqualTo(1_000);

                Duration drain = Proof.awaitDrained(pair, admin, Duration.ofSeconds(60));
                System.out.printf("%s: %d rows in the repair log after the kill (%d never marked failed); drained %d ms "
                        + "after the second load%n", old, logged, unmarked, drain.toMillis());
                // only this tandem's drainer removes what the dead one logged
                assertThat(admin.metric("tandem_repair_drained_total")).as("entries the drainer synced")
                        .isGreaterThanOrEqualTo(logged);
            }
        }
        Proof.assertSameRows(pair);
    }

    private static String config(MirrorPair pair, String newStoreUrl) {
        String oldStore = pair.old.sqlite()
                ? "  old:\n    url: jdbc:sqlite:" + pair.sqliteFile + "\n"
                : "  old:\n    url: " + pair.oldDb.jdbcUrl() + "\n    user: " + pair.oldDb.user()
                        + "\n    pool:\n      mode: session\n";
        // %%d: the ports, filled in by TandemProcess
        return """
                listen: 127.0.0.1:%%d
                database: %s
                admin:
                  listen: 127.0.0.1:%%d
                stores:
                %s  new:
                    url: %s
                    user: %s
                    pool:
                      connectTimeout: 1s
                migration:
                  mirror:
                    timeout: 300ms
                """.formatted(pair.database(), oldStore, newStoreUrl, pair.newDb.user());
    }

    private static long synced(Admin admin) throws Exception {
        return admin.status().path("mirror").path("commits").path("synced").asLong();
    }
}
