package tandem.loadtest.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tandem.loadtest.Operation;
import tandem.loadtest.Workload;
import tandem.loadtest.WorkloadOptions;
import tandem.loadtest.WorkloadResult;

/**
 * Concurrent clients write through tandem for a few thousand operations of every kind (inserts
 * with generated keys, updates of contended rows, deletes, multi-statement transactions, rollbacks,
 * failed transactions, reads); afterwards the new store holds exactly the old store's rows.
 */
class MirrorLoadIT {

    private static final int CLIENTS = 6;
    private static final int OPERATIONS = 3_000;

    @ParameterizedTest
    @EnumSource(MirrorPair.Old.class)
    void concurrentLoadLeavesNoDivergence(MirrorPair.Old old, @TempDir Path dir) throws Exception {
        MirrorPair pair = MirrorPair.create(old, dir);
        try (InProcessTandem tandem = InProcessTandem.start(pair, pair.newDb.jdbcUrl(), Duration.ofSeconds(2))) {
            Admin admin = tandem.admin();

            WorkloadResult run = new Workload(WorkloadOptions.of(tandem.jdbcUrl(), "app", null).withClients(CLIENTS)
                    .withOperations(OPERATIONS).withDuration(Duration.ofSeconds(60))).run();
            System.out.print(run.describe());

            Proof.assertClean(run);
            assertThat(run.totalOperations()).as("the run did all its work, not stopped by the time limit")
                    .isEqualTo(OPERATIONS);
            assertThat(run.operations().keySet()).as(run.describe()).containsExactlyInAnyOrder(Operation.values());
            Duration drain = Proof.awaitDrained(pair, admin, Duration.ofSeconds(30));
            long synced = admin.status().path("mirror").path("commits").path("synced").asLong();
            long queued = admin.status().path("mirror").path("commits").path("queued").asLong();
            System.out.printf("%s: %d commits synced in time, %d left to the repair log; drained %d ms after the load%n",
                    old, synced, queued, drain.toMillis());
            assertThat(synced).as("commits mirrored live").isPositive();
        }
        Proof.assertSameRows(pair);
    }
}
