package tandem.adapters.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static tandem.adapters.mirror.MirrorFixture.eventually;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tandem.adapters.testing.MutableClock;
import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestPostgres;
import tandem.core.mirror.Changes;
import tandem.core.mirror.Key;
import tandem.core.mirror.PendingRepairs;
import tandem.core.mirror.RepairDrainer;
import tandem.core.mirror.RepairLog;
import tandem.core.mirror.RowSync;

/**
 * The drainer behind its circuit breaker, against a secondary that goes down and comes back
 * (a {@link tandem.adapters.testing.TcpForwarder} cut and restored): nothing written while it was
 * down is lost, the breaker opens while it is down and closes after, and the backlog gauges and
 * the pending tables follow the repair log. Time is a {@link MutableClock}, so the breaker's wait
 * and the backoff pass without sleeping.
 */
@ExtendWith(PostgresExtension.class)
class RepairDrainerIT {

    private MirrorFixture stores;
    private SimpleMeterRegistry registry;
    private PendingRepairs pending;
    private MutableClock clock;

    @BeforeEach
    void open() throws Exception {
        stores = new MirrorFixture(TestPostgres.shared().createDatabase("drainer_old"));
        registry = new SimpleMeterRegistry();
        pending = new PendingRepairs();
        clock = new MutableClock(Instant.now());
    }

    @AfterEach
    void close() throws Exception {
        stores.close();
    }

    private RepairDrainer drainer(Clock clock) {
        RepairDrainer.Settings settings = RepairDrainer.Settings.forMirrorTimeout(Duration.ofSeconds(2))
                .withInterval(Duration.ofMillis(50)).withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
                .withBreaker(4, 2, Duration.ofSeconds(10));
        return new RepairDrainer(RowSync.between(stores.old, stores.pg, stores.plan), stores.old.repairLog(), pending,
                settings, registry, clock);
    }

    private double gauge(String name) {
        return registry.find(name).gauge().value();
    }

    /** As the mirror does when a sync fails: the entries become due at once. */
    private Changes failed(Changes changes) {
        stores.old.repairLog().markFailed(changes.token(), "secondary down");
        return changes;
    }

    @Test
    void drainsEverythingAfterTheSecondaryComesBackWithTheBreakerOpenWhileItWasDown() throws Exception {
        RepairDrainer drainer = drainer(clock);
        stores.forwarder.cut();
        failed(stores.writeUser(1, "ann"));
        failed(stores.writeUser(2, "bob"));
        failed(stores.writeUser(1, "ann v2"));

        RepairDrainer.Pass down = drainer.drainOnce();
        assertThat(down.failed()).as("the breaker opened after two unavailable syncs").isEqualTo(2);
        assertThat(down.breakerOpen()).isTrue();
        assertThat(drainer.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(gauge("tandem.repair.breaker.state")).isEqualTo(1);
        assertThat(gauge("tandem.repair.backlog.rows")).isEqualTo(3);
        assertThat(pending.contains("users")).isTrue();

        clock.advance(Duration.ofSeconds(5));
        assertThat(gauge("tandem.repair.oldest.seconds")).isGreaterThan(4.5);
        RepairDrainer.Pass open = drainer.drainOnce();
        assertThat(open.breakerOpen()).isTrue();
        assertThat(open.synced() + open.failed()).isZero();

        stores.forwarder.restore();
        assertThat(drainer.drainOnce().breakerOpen()).as("still open until its wait is over").isTrue();
        clock.advance(Duration.ofSeconds(6));
        RepairDrainer.Pass back = drainer.drainOnce();
        assertThat(back.synced()).isEqualTo(3);
        assertThat(drainer.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(back.backlog()).isEqualTo(RepairLog.Backlog.EMPTY);

        assertThat(stores.newRows("users")).isEqualTo(stores.oldRows("users")).containsExactly(List.of(1, "ann v2"),
                List.of(2, "bob"));
        assertThat(pending.isEmpty()).as("users is read from the secondary again").isTrue();
        assertThat(gauge("tandem.repair.backlog.rows")).isZero();
        assertThat(gauge("tandem.repair.oldest.seconds")).isZero();
        assertThat(gauge("tandem.repair.breaker.state")).isZero();
        assertThat(registry.find("tandem.repair.drained").counter().count()).isEqualTo(3);
    }

    /**
     * Two failing transactions first: were their errors counted against the secondary, the
     * breaker (opening at 50% of at least 2 syncs) would open before the users are tried.
     */
    @Test
    void rowsThatCannotBeSyncedYetAreRetriedWithBackoffWithoutOpeningTheBreakerOrHoldingUpTheRest() throws Exception {
        RepairDrainer drainer = drainer(clock);
        // users from before tandem, which the backfill has not copied yet
        stores.oldDb.execute("INSERT INTO users VALUES (10, 'parent'), (11, 'parent')");
        // their parents are not on the secondary: a foreign key error, not an outage
        failed(stores.writePost(100, 10));
        failed(stores.writePost(101, 11));
        for (int i = 0; i < 3; i++) {
            failed(stores.writeUser(20 + i, "other"));
        }

        RepairDrainer.Pass first = drainer.drainOnce();
        assertThat(first.failed()).isEqualTo(2);
        assertThat(first.synced()).as("the other transactions drain past the failing ones").isEqualTo(3);
        assertThat(first.breakerOpen()).isFalse();
        assertThat(drainer.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(stores.old.repairLog().due(10, Duration.ofHours(1))).filteredOn(e -> e.table().equals("posts"))
                .hasSize(2).allSatisfy(e -> assertThat(e.attempts()).isEqualTo(1));

        RepairDrainer.Pass tooSoon = drainer.drainOnce();
        assertThat(tooSoon.waiting()).as("backoff: not retried before its time").isEqualTo(2);
        assertThat(tooSoon.failed()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(drainer.drainOnce().failed()).isEqualTo(2);
        assertThat(drainer.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(pending.tables()).containsExactly("posts");
        clock.advance(Duration.ofSeconds(1));
        assertThat(drainer.drainOnce().waiting()).as("the wait doubled after the second attempt").isEqualTo(2);

        // the backfill copies the parents
        RowSync.between(stores.old, stores.pg, stores.plan).sync(new Changes("backfill", Map.of("users",
                Set.of(Key.of(10), Key.of(11)))), List.of());
        clock.advance(Duration.ofSeconds(1));
        assertThat(drainer.drainOnce().synced()).isEqualTo(2);
        assertThat(stores.newRows("posts")).isEqualTo(stores.oldRows("posts")).hasSize(2);
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void startedInTheBackgroundItDrainsEntriesWhoseSyncNeverFinished() throws Exception {
        RepairDrainer.Settings settings = RepairDrainer.Settings.forMirrorTimeout(Duration.ofMillis(100))
                .withInterval(Duration.ofMillis(50)).withBreaker(4, 2, Duration.ofMillis(200));
        // a proxy died between commit and sync: nobody marked these failed, they are due by age
        stores.writeUser(5, "eve");
        stores.writeUser(6, "frank");
        try (RepairDrainer drainer = new RepairDrainer(RowSync.between(stores.old, stores.pg, stores.plan),
                stores.old.repairLog(), pending, settings, registry, Clock.systemUTC())) {
            drainer.start();
            eventually("both entries are drained", () -> registry.find("tandem.repair.drained").counter().count() == 2);
            eventually("the backlog is empty", () -> drainer.backlog().rows() == 0);
        }
        assertThat(stores.newRows("users")).isEqualTo(stores.oldRows("users")).hasSize(2);
    }
}
