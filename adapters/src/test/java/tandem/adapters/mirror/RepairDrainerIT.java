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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.testing.MutableClock;
import tandem.adapters.testing.Stores;
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

    private static final RepairDrainer.Settings SETTINGS = RepairDrainer.Settings.forMirrorTimeout(Duration.ofSeconds(2))
            .withInterval(Duration.ofMillis(50)).withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
            .withBreaker(4, 2, Duration.ofSeconds(10));

    private RepairDrainer drainer(Clock clock) {
        return drainer(stores.old, SETTINGS, registry, clock);
    }

    private RepairDrainer drainer(PostgresStore old, RepairDrainer.Settings settings, MeterRegistry registry,
            Clock clock) {
        return new RepairDrainer(RowSync.between(old, stores.pg, stores.plan), old.repairLog(), pending, settings,
                registry, clock);
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
        assertThat(stores.old.repairLog().due(10, Duration.ofHours(1), clock.instant().plusSeconds(1)))
                .filteredOn(e -> e.table().equals("posts")).hasSize(2)
                .allSatisfy(e -> assertThat(e.attempts()).isEqualTo(1));

        RepairDrainer.Pass tooSoon = drainer.drainOnce();
        assertThat(tooSoon.failed() + tooSoon.synced()).as("backoff: not retried before its time").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(drainer.drainOnce().failed()).isEqualTo(2);
        assertThat(drainer.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(pending.tables()).containsExactly("posts");
        clock.advance(Duration.ofSeconds(1));
        assertThat(drainer.drainOnce().failed()).as("the wait doubled after the second attempt").isZero();
        assertThat(registry.find("tandem.repair.attempts").tag("outcome", "failed").tag("cause", "foreign_key")
                .counter().count()).isEqualTo(4);
        assertThat(drainer.backlog().tables()).singleElement().satisfies(t -> {
            assertThat(t.table()).isEqualTo("posts");
            assertThat(t.rows()).isEqualTo(2);
            assertThat(t.attempts()).isEqualTo(2);
            assertThat(t.lastError()).contains("foreign key");
        });

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

    /**
     * The demo's stall: once a pass's worth of entries backed off, the drainer fetched the same
     * ones every pass and never reached anything newer.
     */
    @Test
    void moreFailingEntriesThanAPassTakesDoNotKeepALaterHealthyOneWaiting() throws Exception {
        RepairDrainer drainer = drainer(stores.old, SETTINGS.withBatchSize(5), registry, clock);
        stores.oldDb.execute("INSERT INTO users VALUES (10, 'parent')"); // from before tandem: not copied yet
        for (int i = 0; i < 8; i++) {
            failed(stores.writePost(100 + i, 10));
        }
        assertThat(drainer.drainOnce().failed()).isEqualTo(5);
        assertThat(drainer.drainOnce().failed()).as("the next pass takes the next ones").isEqualTo(3);

        failed(stores.writeUser(20, "healthy"));
        RepairDrainer.Pass behind = drainer.drainOnce();
        assertThat(behind.synced()).as("eight entries back off, the healthy one drains").isEqualTo(1);
        assertThat(behind.failed()).isZero();

        clock.advance(Duration.ofSeconds(1));
        failed(stores.writeUser(21, "healthy too"));
        RepairDrainer.Pass turns = drainer.drainOnce();
        assertThat(turns.synced()).as("all eight are due again, and users still get their turn").isEqualTo(1);
        assertThat(turns.failed()).isEqualTo(4);
        assertThat(stores.newRows("users")).extracting(r -> r.get(0)).containsExactly(20, 21);

        // the backfill copies the parent: everything drains by itself
        RowSync.between(stores.old, stores.pg, stores.plan).sync(new Changes("backfill", Map.of("users",
                Set.of(Key.of(10)))), List.of());
        for (int i = 0; i < 5 && drainer.backlog().rows() > 0; i++) {
            clock.advance(Duration.ofSeconds(8));
            drainer.drainOnce();
        }
        assertThat(drainer.backlog()).isEqualTo(RepairLog.Backlog.EMPTY);
        assertThat(stores.newRows("posts")).isEqualTo(stores.oldRows("posts")).hasSize(8);
        assertThat(stores.newRows("users")).isEqualTo(stores.oldRows("users"));
    }

    @Test
    void aRestartKeepsTheBackOffSchedule() throws Exception {
        RepairDrainer first = drainer(clock);
        stores.oldDb.execute("INSERT INTO users VALUES (10, 'parent')");
        failed(stores.writePost(100, 10));
        assertThat(first.drainOnce().failed()).isEqualTo(1);
        first.close();

        try (PostgresStore restarted = Stores.postgres("old", stores.oldDb)) {
            RepairDrainer second = drainer(restarted, SETTINGS, new SimpleMeterRegistry(), clock);
            assertThat(second.drainOnce().failed()).as("this drainer never saw it fail, yet waits out its back-off")
                    .isZero();
            clock.advance(Duration.ofSeconds(1));
            assertThat(second.drainOnce().failed()).isEqualTo(1);
            assertThat(second.backlog().tables()).singleElement().extracting(RepairLog.TableBacklog::attempts)
                    .isEqualTo(2);
        }
    }
}
