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
import tandem.config.PoolConfig;
import tandem.config.PoolMode;
import tandem.config.StoreConfig;
import tandem.loadtest.Workload;
import tandem.loadtest.WorkloadOptions;
import tandem.loadtest.WorkloadResult;

/**
 * The new store goes away in the middle of the load (a {@link TcpForwarder} between tandem and it,
 * cut: connections dropped, new ones refused) and comes back: clients notice nothing, the rows
 * written meanwhile wait in the repair log, the drainer's breaker opens, and once the new store is
 * back the drainer catches up until the stores hold the same rows.
 *
 * <p>Two settings differ from tandem's defaults, both through the configuration: a mirror timeout
 * of 300 ms, and a connect timeout of 1 s for the new store (its pool waits that long for a
 * connection that is refused; at the default 5 s the breaker, which opens after 3 failed drains,
 * needs some 15 s of outage to open). The breaker then stays open 10 s (tandem's fixed default)
 * before a trial sync, so the drain is given a minute.
 */
class SecondaryOutageIT {

    private static final Logger log = LoggerFactory.getLogger(SecondaryOutageIT.class);

    private static final Duration MIRROR_TIMEOUT = Duration.ofMillis(300);
    private static final Duration LOAD = Duration.ofSeconds(25);
    private static final Duration OUTAGE = Duration.ofSeconds(7);
    /** Commits mirrored live before the cut: the clients are past their preparation and writing. */
    private static final long SYNCED_BEFORE_CUT = 100;

    @ParameterizedTest
    @EnumSource(value = MirrorPair.Old.class, names = {"SQLITE", "POSTGRES_SESSION"})
    void theBacklogOfAnOutageDrainsWithoutClientErrors(MirrorPair.Old old, @TempDir Path dir) throws Exception {
        MirrorPair pair = MirrorPair.create(old, dir);
        PoolConfig d = PoolConfig.defaults(PoolMode.SESSION);
        PoolConfig newPool = new PoolConfig(d.mode(), d.maxSize(), d.minIdle(), d.acquireTimeout(),
                Duration.ofSeconds(1), d.idleTimeout(), d.maxLifetime());
        try (TcpForwarder newStore = new TcpForwarder(pair.newDb.host(), pair.newDb.port());
                InProcessTandem tandem = InProcessTandem.start(pair,
                        pair.newStoreConfig(newStore.jdbcUrl(pair.newDb.name())).withPool(newPool), MIRROR_TIMEOUT)) {
            Admin admin = tandem.admin();
            Workload workload = new Workload(WorkloadOptions.of(tandem.jdbcUrl(), "app", null).withClients(6)
                    .withDuration(LOAD));
            CompletableFuture<WorkloadResult> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return workload.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                Admin.await("writing", Duration.ofSeconds(30), () -> synced(admin) >= SYNCED_BEFORE_CUT,
                        () -> "status " + admin.status().path("mirror"));
                assertThat(load).as("the load runs").isNotDone();
                double queuedBefore = admin.metric("tandem_mirror_total{outcome=\"queued\"}");

                log.info("cutting the new store off");
                newStore.cut();
                long cutAt = System.nanoTime();
                Duration backlogSeen = Admin.await("a backlog in the status", Duration.ofSeconds(10),
                        () -> admin.backlogRows() > 0, () -> "status " + admin.status().path("mirror"));
                Duration breakerOpen = Admin.await("the breaker open", Duration.ofSeconds(15),
                        () -> admin.breaker().equals("open"), () -> "status " + admin.status().path("mirror"));
                Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - cutAt) / 1_000_000));
                assertThat(load).as("the load outlasts the outage").isNotDone();
                long backlogAtRestore = pair.repairLogRows(false);
                log.info("restoring the new store; {} rows in the repair log", backlogAtRestore);
                newStore.restore();

                WorkloadResult run = load.join();
                System.out.print(run.describe());
                Proof.assertClean(run);

                Duration drain = Proof.awaitDrained(pair, admin, Duration.ofSeconds(60));
                double queued = admin.metric("tandem_mirror_total{outcome=\"queued\"}") - queuedBefore;
                System.out.printf("%s: backlog in the status %d ms after the cut, breaker open after %d ms; %d rows in "
                        + "the log at the restore; %.0f commits queued; drained %d ms after the load ended%n", old,
                        backlogSeen.toMillis(), breakerOpen.toMillis(), backlogAtRestore, queued, drain.toMillis());
                assertThat(backlogAtRestore).as("rows written during the outage waited in the repair log").isPositive();
                assertThat(queued).as("commits left to the repair log").isPositive();
                assertThat(admin.metric("tandem_repair_backlog_rows{to=\"new\"}")).isZero();
                Admin.await("the breaker closed", Duration.ofSeconds(10), () -> admin.breaker().equals("closed"),
                        () -> "status " + admin.status().path("mirror"));
            } finally {
                workload.stop();
                load.exceptionally(e -> null).join();
            }
        }
        Proof.assertSameRows(pair);
    }

    private static long synced(Admin admin) throws Exception {
        return admin.status().path("mirror").path("commits").path("synced").asLong();
    }
}
