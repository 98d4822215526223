package tandem.adapters.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static tandem.adapters.mirror.MirrorFixture.eventually;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.core.mirror.Changes;
import tandem.core.mirror.Mirror;
import tandem.core.mirror.PendingRepairs;
import tandem.core.mirror.RowReader;
import tandem.core.mirror.RowSync;

/** The live mirror after each commit: synced in time, or queued in the repair log without failing the client. */
@ExtendWith(PostgresExtension.class)
class MirrorIT {

    private MirrorFixture stores;
    private SimpleMeterRegistry registry;
    private PendingRepairs pending;

    @BeforeEach
    void open() throws Exception {
        stores = new MirrorFixture(TestPostgres.shared().createDatabase("mirror_old"));
        registry = new SimpleMeterRegistry();
        pending = new PendingRepairs();
    }

    @AfterEach
    void close() throws Exception {
        stores.close();
    }

    private Mirror mirror(RowSync sync, Duration timeout) {
        return new Mirror(sync, stores.old.repairLog(), pending, timeout, registry);
    }

    private double count(String name, String outcome) {
        var counter = outcome == null ? registry.find(name).counter() : registry.find(name).tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aCommittedTransactionIsSyncedAndItsRepairLogEntriesAreRemoved() throws Exception {
        try (Mirror mirror = mirror(RowSync.between(stores.old, stores.pg, stores.plan), Duration.ofSeconds(5))) {
            Changes changes = stores.writeUser(1, "ann");
            assertThat(mirror.committed(changes, List.of()).get(10, TimeUnit.SECONDS)).isEqualTo(Mirror.Outcome.SYNCED);
            assertThat(stores.newRows("users")).containsExactly(List.of(1, "ann"));
            eventually("the entry is removed", () -> stores.old.repairLog().backlog().rows() == 0);
            assertThat(pending.isEmpty()).isTrue();
            assertThat(count("tandem.mirror", "synced")).isEqualTo(1);
            assertThat(count("tandem.mirror", "queued")).isZero();
            assertThat(count("tandem.mirror.rows", null)).isEqualTo(1);
            assertThat(registry.find("tandem.mirror.sync").timer().count()).isEqualTo(1);
        }
    }

    @Test
    void whenTheSecondaryIsDownTheRowsAreQueuedAndTheOutcomeIsNotAnError() throws Exception {
        try (Mirror mirror = mirror(RowSync.between(stores.old, stores.pg, stores.plan), Duration.ofSeconds(5))) {
            stores.forwarder.cut();
            Changes changes = stores.writeUser(2, "bob");
            assertThat(mirror.committed(changes, List.of()).get(10, TimeUnit.SECONDS)).isEqualTo(Mirror.Outcome.QUEUED);
            assertThat(pending.contains("users")).as("reads of users stay on the primary").isTrue();
            eventually("the entry is marked failed", () -> stores.old.repairLog().due(10, Duration.ofHours(1), Instant.now()).stream()
                    .anyMatch(e -> e.token().equals(changes.token())));
            assertThat(stores.old.repairLog().backlog().rows()).isEqualTo(1);
            assertThat(stores.oldRows("users")).containsExactly(List.of(2, "bob"));
            assertThat(stores.newRows("users")).isEmpty();
            assertThat(count("tandem.mirror", "queued")).isEqualTo(1);
            assertThat(count("tandem.mirror", "synced")).isZero();
        }
    }

    @Test
    void aSyncSlowerThanTheTimeoutIsQueuedAndRemovesItsEntriesWhenItFinishesLater() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RowReader real = stores.old.rowReader();
        RowReader slow = (table, keys) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.read(table, keys);
        };
        try (Mirror mirror = mirror(new RowSync(slow, stores.pg.rowWriter(), stores.plan), Duration.ofMillis(200))) {
            Changes changes = stores.writeUser(3, "carol");
            assertThat(mirror.committed(changes, List.of()).get(10, TimeUnit.SECONDS)).isEqualTo(Mirror.Outcome.QUEUED);
            assertThat(pending.contains("users")).isTrue();
            assertThat(count("tandem.mirror", "queued")).isEqualTo(1);
            eventually("the entry is marked failed while the sync still runs", () -> stores.old.repairLog()
                    .due(10, Duration.ofHours(1), Instant.now()).stream().anyMatch(e -> e.token().equals(changes.token())));
            release.countDown();
            eventually("the late sync lands", () -> {
                try {
                    return stores.newRows("users").equals(List.of(List.of(3, "carol")));
                } catch (java.sql.SQLException e) {
                    return false;
                }
            });
            eventually("the late sync removes its entries", () -> stores.old.repairLog().backlog().rows() == 0);
        }
    }

    @Test
    void aTransactionThatTouchedNothingMirroredIsSyncedAtOnce() throws Exception {
        try (Mirror mirror = mirror(RowSync.between(stores.old, stores.pg, stores.plan), Duration.ofSeconds(5))) {
            assertThat(mirror.committed(new Changes.Builder().build(), List.of()).get()).isEqualTo(Mirror.Outcome.SYNCED);
        }
    }
}
