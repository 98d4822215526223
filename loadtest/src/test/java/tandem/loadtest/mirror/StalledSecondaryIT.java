package tandem.loadtest.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
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
 * The new store hangs in the middle of the load instead of going away: a {@link TcpForwarder}
 * stalled, so connections stay open and nothing gets through (a stuck server, a network partition
 * that drops packets). Every commit then waits out the 300 ms mirror timeout and no longer: clients
 * see no error; when the store answers again the syncs in flight finish, the drainer catches up,
 * and the stores hold the same rows.
 */
class StalledSecondaryIT {

    private static final Logger log = LoggerFactory.getLogger(StalledSecondaryIT.class);

    private static final Duration MIRROR_TIMEOUT = Duration.ofMillis(300);
    private static final long SYNCED_BEFORE_STALL = 100;
    private static final Duration HANG = Duration.ofSeconds(8);

    @ParameterizedTest
    @EnumSource(value = MirrorPair.Old.class, names = {"SQLITE", "POSTGRES_SESSION"})
    void theBacklogOfAHangDrainsWithoutClientErrors(MirrorPair.Old old, @TempDir Path dir) throws Exception {
        MirrorPair pair = MirrorPair.create(old, dir);
        try (TcpForwarder newStore = new TcpForwarder(pair.newDb.host(), pair.newDb.port());
                InProcessTandem tandem = InProcessTandem.start(pair, newStore.jdbcUrl(pair.newDb.name()),
                        MIRROR_TIMEOUT)) {
            Admin admin = tandem.admin();
            Workload workload = new Workload(WorkloadOptions.of(tandem.jdbcUrl(), "app", null).withClients(6)
                    .withDuration(Duration.ofSeconds(24)));
            CompletableFuture<WorkloadResult> load = start(workload);
            try {
                Admin.await("writing", Duration.ofSeconds(30), () -> synced(admin) >= SYNCED_BEFORE_STALL,
                        () -> "status " + admin.status().path("mirror"));
                log.info("stalling the new store");
                newStore.stall();
                Thread.sleep(HANG.toMillis());
                assertThat(load).as("the load outlasts the hang").isNotDone();
                long backlogAtRestore = pair.repairLogRows(false);
                log.info("the new store answers again; {} rows in the repair log", backlogAtRestore);
                newStore.restore();

                WorkloadResult run = load.join();
                System.out.print(run.describe());
                Proof.assertClean(run);
                // a commit waits out the mirror timeout, not the hang (latencies are in microseconds)
                assertThat(run.latency().max()).as("the longest operation, in us, against a hang of %s", HANG)
                        .isLessThan(HANG.minusSeconds(3).toNanos() / 1000);
                Duration drain = Proof.awaitDrained(pair, admin, Duration.ofSeconds(60));
                System.out.printf("%s: %d rows in the repair log when the new store answered again; drained %d ms "
                        + "after the load ended%n", old, backlogAtRestore, drain.toMillis());
                assertThat(backlogAtRestore).as("rows written during the hang waited in the repair log").isPositive();
            } finally {
                workload.stop();
                load.exceptionally(e -> null).join();
            }
        }
        Proof.assertSameRows(pair);
    }

    /**
     * While the new store hangs, {@code mirror.repair.backlogRows} (and
     * {@code tandem_repair_backlog_rows}) keep counting the rows that pile up in the repair log. (They
     * used to freeze: the drainer's one thread was blocked in a sync on a connection that never
     * answered, and only that thread counted the backlog; observed 34 rows for ten seconds while the
     * log grew from 46 to 312. The backlog is now counted on its own schedule.)
     */
    @Test
    void theStatusCountsTheBacklogWhileTheNewStoreHangs(@TempDir Path dir) throws Exception {
        MirrorPair pair = MirrorPair.create(MirrorPair.Old.POSTGRES_SESSION, dir);
        try (TcpForwarder newStore = new TcpForwarder(pair.newDb.host(), pair.newDb.port());
                InProcessTandem tandem = InProcessTandem.start(pair, newStore.jdbcUrl(pair.newDb.name()),
                        MIRROR_TIMEOUT)) {
            Admin admin = tandem.admin();
            Workload workload = new Workload(WorkloadOptions.of(tandem.jdbcUrl(), "app", null).withClients(4)
                    .withDuration(Duration.ofSeconds(30)));
            CompletableFuture<WorkloadResult> load = start(workload);
            try {
                Admin.await("writing", Duration.ofSeconds(30), () -> synced(admin) >= SYNCED_BEFORE_STALL,
                        () -> "status " + admin.status().path("mirror"));
                newStore.stall();
                Thread.sleep(2_000);
                long logged = pair.repairLogRows(false);
                Admin.await("the status counting the rows in the repair log", Duration.ofSeconds(5),
                        () -> admin.backlogRows() >= logged,
                        () -> "status " + admin.backlogRows() + " rows, repair log " + pair.repairLogRows(false));
            } finally {
                newStore.restore();
                workload.stop();
                load.exceptionally(e -> null).join();
            }
        }
    }

    private static CompletableFuture<WorkloadResult> start(Workload workload) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return workload.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long synced(Admin admin) throws Exception {
        return admin.status().path("mirror").path("commits").path("synced").asLong();
    }
}
