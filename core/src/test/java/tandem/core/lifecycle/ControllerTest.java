package tandem.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tandem.config.GuardConfig;
import tandem.config.PlanConfig;
import tandem.core.lifecycle.MigrationState.Plan;
import tandem.core.route.ReadShare;

class ControllerTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryControlStore store = new InMemoryControlStore();
    private final ReadShare share = new ReadShare(0);
    private String notYet = null;

    private Controller controller() {
        return controller(share);
    }

    /** A tandem on the shared store, moving {@code reads}: several of them stand for several tandems. */
    private Controller controller(ReadShare reads) {
        Controller c = new Controller(store, reads, new PlanConfig(List.of(10, 50, 100), Duration.ofMinutes(1)),
                () -> notYet, clock);
        c.start(0);
        return c;
    }

    @Test
    void aNewMigrationStartsSyncingWithReadsOnTheOldStore() {
        Controller c = controller();
        assertThat(c.state().phase()).isEqualTo(Phase.SYNCING);
        assertThat(share.percent()).isZero();
        assertThat(c.events(0, 10)).singleElement().satisfies(e -> assertThat(e.message()).contains("migration started"));
    }

    @Test
    void thePlanWaitsForTheReadGateThenWalksItsStagesEachHeldForItsTime() {
        Controller c = controller();
        notYet = "the backfill has not run";
        assertThatThrownBy(() -> c.startPlan(false)).isInstanceOf(TransitionRefused.class)
                .hasMessage("reads stay on the old store: the backfill has not run")
                .satisfies(e -> assertThat(((TransitionRefused) e).hint()).contains("POST /api/backfill, then POST /api/verify"));
        notYet = null;
        c.startPlan(false);
        assertThat(c.state().phase()).isEqualTo(Phase.SWITCHING);
        assertThat(share.percent()).isEqualTo(10);

        clock.advance(Duration.ofSeconds(59));
        c.tick();
        assertThat(share.percent()).as("held for less than a minute").isEqualTo(10);
        clock.advance(Duration.ofSeconds(1));
        c.tick();
        assertThat(share.percent()).isEqualTo(50);
        clock.advance(Duration.ofMinutes(1));
        c.tick();
        assertThat(share.percent()).isEqualTo(100);
        clock.advance(Duration.ofMinutes(1));
        c.tick();
        assertThat(c.state().plan()).isEqualTo(Plan.DONE);
        assertThat(c.events(0, 10)).extracting(MigrationEvent::kind).containsExactly("phase", "plan", "stage", "stage", "plan");
        assertThat(c.events(0, 10).get(4).message()).contains("ready for cutover");
    }

    @Test
    void aPausedPlanHoldsItsStageAndResumesWithAFullHold() {
        Controller c = controller();
        c.startPlan(false);
        clock.advance(Duration.ofSeconds(50));
        c.pausePlan();
        clock.advance(Duration.ofMinutes(5));
        c.tick();
        assertThat(share.percent()).isEqualTo(10);
        assertThatThrownBy(c::pausePlan).hasMessage("the plan is not running (it is paused)");
        c.resumePlan(false);
        clock.advance(Duration.ofSeconds(59));
        c.tick();
        assertThat(share.percent()).isEqualTo(10);
    }

    @Test
    void aGuardTripSendsReadsBackAtOnceAndPausesThePlanSayingWhy() {
        Controller c = controller();
        c.startPlan(false);
        clock.advance(Duration.ofMinutes(1));
        c.tick();
        c.guardTripped(new Guard.Trip("read error rate", "3.00 %", "1.00 %", Duration.ofSeconds(60), 250));
        assertThat(share.percent()).isZero();
        assertThat(c.state().plan()).isEqualTo(Plan.PAUSED);
        MigrationEvent trip = c.events(0, 10).getLast();
        assertThat(trip.kind()).isEqualTo("guard");
        assertThat(trip.message()).isEqualTo("guard: read error rate 3.00 % over the last 60 s (250 calls), above the "
                + "threshold 1.00 %; reads back on the old store (were 50%)");
        assertThat(trip.details()).containsEntry("signal", "read error rate").containsEntry("previous", 50);
        c.resumePlan(false);
        assertThat(share.percent()).as("back at the stage it tripped in").isEqualTo(50);
    }

    @Test
    void aGuardTripMovesReadsEvenWhenTheNewStoreCannotSaveItAndSavesItLater() {
        Controller c = controller();
        c.startPlan(false);
        store.failing = true;
        c.guardTripped(new Guard.Trip("mirror failure rate", "100.00 %", "1.00 %", Duration.ofSeconds(60), 100));
        assertThat(share.percent()).isZero();
        assertThat(c.state().plan()).isEqualTo(Plan.PAUSED);
        store.failing = false;
        assertThat(store.load()).get().extracting(MigrationState::readPercent).as("not saved yet").isEqualTo(10);
        c.tick();
        assertThat(store.load()).get().satisfies(s -> {
            assertThat(s.readPercent()).isZero();
            assertThat(s.plan()).isEqualTo(Plan.PAUSED);
        });
    }

    @Test
    void aChangeMadeThroughOneTandemReachesAnotherAtItsNextTick() {
        Controller first = controller();
        ReadShare otherShare = new ReadShare(0);
        Controller other = controller(otherShare);
        first.startPlan(false);
        assertThat(otherShare.percent()).isZero();
        other.tick();
        assertThat(otherShare.percent()).isEqualTo(10);
        assertThat(other.state().phase()).isEqualTo(Phase.SWITCHING);
        other.rollback("from the other one");
        first.tick();
        assertThat(share.percent()).isZero();
        assertThat(first.state().phase()).isEqualTo(Phase.SYNCING);
    }

    @Test
    void aCommandBasedOnAStateAnotherTandemChangedSinceIsRefusedAndTheNewStateFollowed() {
        Controller first = controller();
        ReadShare otherShare = new ReadShare(0);
        Controller other = controller(otherShare);
        first.startPlan(false);
        assertThatThrownBy(() -> other.startPlan(false)).as("a command starts from what is saved")
                .hasMessage("the plan cannot start in phase switching (it is running)");
        assertThat(otherShare.percent()).isEqualTo(10);
        store.beforeNextSave = first::pausePlan; // lands between the other's reading and its saving
        assertThatThrownBy(() -> other.setReads(20, false)).isInstanceOf(TransitionRefused.class)
                .hasMessage("another tandem changed the migration a moment ago (it is now switching, reads 10%, plan paused)");
        assertThat(other.state().plan()).isEqualTo(Plan.PAUSED);
        other.guardTripped(new Guard.Trip("read error rate", "9.00 %", "1.00 %", Duration.ofSeconds(60), 100));
        first.tick();
        assertThat(share.percent()).as("a trip saved on top of the other's state").isZero();
        assertThat(first.state().plan()).isEqualTo(Plan.PAUSED);
    }

    @Test
    void aRestartComesBackInTheSavedState() {
        Controller first = controller();
        first.startPlan(false);
        clock.advance(Duration.ofMinutes(1));
        first.tick();
        share.set(0); // a new process starts with the configured share
        Controller second = controller();
        assertThat(second.state().phase()).isEqualTo(Phase.SWITCHING);
        assertThat(second.state().stage()).isEqualTo(1);
        assertThat(share.percent()).isEqualTo(50);
    }

    @Test
    void refusedTransitionsSayWhatMustHappenFirst() {
        Controller c = controller();
        assertThatThrownBy(() -> c.rollback(null)).hasMessage("nothing to roll back: reads are on the old store and it is the primary");
        assertThatThrownBy(() -> c.resumePlan(false)).hasMessage("the plan is not paused (it is idle)")
                .satisfies(e -> assertThat(((TransitionRefused) e).hint()).isEqualTo("start it: POST /api/plan/start"));
        c.startPlan(false);
        assertThatThrownBy(() -> c.startPlan(false)).hasMessage("the plan cannot start in phase switching (it is running)");
        c.rollback("operator");
        assertThat(c.state().phase()).isEqualTo(Phase.SYNCING);
        assertThat(share.percent()).isZero();
        assertThat(c.events(0, 10).getLast().message()).isEqualTo("rolled back to syncing: reads on the old store again "
                + "(were 10%): operator");
    }

    @Test
    void readsSetByHandMoveToSwitchingAndPauseARunningPlan() {
        Controller c = controller();
        notYet = "no verification yet";
        assertThatThrownBy(() -> c.setReads(20, false)).hasMessage("reads stay on the old store: no verification yet");
        c.setReads(20, true);
        assertThat(c.state().phase()).isEqualTo(Phase.SWITCHING);
        assertThat(c.events(0, 10).getLast().message()).isEqualTo("reads set to 20% by the operator (was 0%), forced");
        notYet = null;
        c.rollback(null);
        c.startPlan(false);
        c.setReads(30, false);
        assertThat(c.state().plan()).isEqualTo(Plan.PAUSED);
        assertThat(c.events(0, 10).getLast().message()).isEqualTo("reads set to 30% by the operator (was 10%); the plan paused");
        assertThat(share.percent()).isEqualTo(30);
    }

    @Test
    void theGuardTripsOnErrorsOnlyPastTheMinimumNumberOfCalls() throws InterruptedException {
        BlockingQueue<Guard.Trip> trips = new LinkedBlockingQueue<>();
        Guard guard = new Guard(new GuardConfig(Duration.ofSeconds(60), 100, 0.01, Duration.ofMillis(500), 0.01, 0.01));
        guard.onTrip(trips::add);
        for (int i = 0; i < 50; i++) {
            guard.read(1_000_000, i % 5 == 0);
        }
        assertThat(trips.poll(200, TimeUnit.MILLISECONDS)).as("fewer calls than the minimum").isNull();
        for (int i = 0; i < 50; i++) {
            guard.read(1_000_000, i % 5 == 0);
        }
        assertThat(trips.poll(5, TimeUnit.SECONDS)).satisfies(t -> {
            assertThat(t.signal()).isEqualTo("read error rate");
            assertThat(t.measured()).isEqualTo("20.00 %");
        });
        for (int i = 0; i < 100; i++) {
            guard.read(i % 50 == 0 ? 900_000_000L : 1_000_000, false);
        }
        assertThat(trips.poll(5, TimeUnit.SECONDS)).as("2 % of reads over 500 ms")
                .satisfies(t -> assertThat(t.signal()).startsWith("read latency"));
        for (int i = 0; i < 1000; i++) {
            guard.read(1_000_000, i == 500);
            guard.shadow(false);
        }
        assertThat(trips.poll(200, TimeUnit.MILLISECONDS)).as("0.1 % errors, no mismatch").isNull();
    }

    /** The server's side of a swap, recorded; each step can be made to hang or fail. */
    static final class RecordingSwitchover implements Switchover {
        final List<String> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Void> drained = java.util.concurrent.CompletableFuture.completedFuture(null);
        RuntimeException drainFails;
        String unsupported;

        @Override
        public String unsupported() {
            return unsupported;
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> pause() {
            steps.add("pause");
            return drained;
        }

        @Override
        public int inFlight() {
            return drained.isDone() ? 0 : 3;
        }

        @Override
        public void drain(Instant deadline) {
            steps.add("drain");
            if (drainFails != null) {
                throw drainFails;
            }
        }

        @Override
        public void swap(boolean promoted) {
            steps.add(promoted ? "promote" : "demote");
        }

        @Override
        public void resume() {
            steps.add("resume");
        }

        @Override
        public void stopMirroring() {
            steps.add("stop mirroring");
        }
    }

    private Controller atFullReads(RecordingSwitchover swap, Duration pause) {
        Controller c = controller();
        c.switchover(swap, pause);
        c.setReads(100, false);
        return c;
    }

    @Test
    void cutoverWaitsForEveryReadOnTheNewStoreAndSaysSo() {
        RecordingSwitchover swap = new RecordingSwitchover();
        Controller c = controller();
        c.switchover(swap, Duration.ofSeconds(2));
        c.setReads(50, false);
        assertThatThrownBy(c::cutover).isInstanceOf(TransitionRefused.class)
                .hasMessage("cutover needs every eligible read on the new store first (phase switching, reads 50%)")
                .satisfies(e -> assertThat(((TransitionRefused) e).hint()).contains("PUT /api/reads 100"));
        swap.unsupported = "the old store is SQLite";
        c.setReads(100, false);
        assertThatThrownBy(c::cutover).hasMessage("cutover is not possible here: the old store is SQLite");
        assertThat(swap.steps).isEmpty();
        assertThat(c.state().phase()).isEqualTo(Phase.SWITCHING);
    }

    @Test
    void cutoverPausesDrainsSavesPromotedSwapsAndResumes() {
        RecordingSwitchover swap = new RecordingSwitchover();
        Controller c = atFullReads(swap, Duration.ofSeconds(2));
        assertThat(c.cutover().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(swap.steps).containsExactly("pause", "drain", "promote", "resume");
        assertThat(store.load().orElseThrow().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(c.events(0, 20)).extracting(MigrationEvent::message).anySatisfy(m -> assertThat(m)
                .startsWith("cutover done: the new store is the primary (new transactions waited"));
        assertThatThrownBy(c::cutover).hasMessageContaining("phase promoted")
                .satisfies(e -> assertThat(((TransitionRefused) e).hint()).isEqualTo("the new store is the primary already"));
        assertThatThrownBy(() -> c.setReads(0, false)).isInstanceOf(TransitionRefused.class);
    }

    @Test
    void aCutoverWhoseTransactionsOutlastThePauseIsAbandonedOnTheOldPrimary() {
        RecordingSwitchover swap = new RecordingSwitchover();
        swap.drained = new java.util.concurrent.CompletableFuture<>(); // a transaction that never ends
        Controller c = atFullReads(swap, Duration.ofMillis(200));
        assertThatThrownBy(c::cutover).isInstanceOf(TransitionRefused.class)
                .hasMessage("cutover abandoned: 3 transaction(s) still in flight after 200 ms (the old store is still "
                        + "the primary)")
                .satisfies(e -> assertThat(((TransitionRefused) e).hint()).contains("migration.cutover.pause (now 200 ms)"));
        assertThat(swap.steps).containsExactly("pause", "resume");
        assertThat(c.state().phase()).isEqualTo(Phase.SWITCHING);
        assertThat(store.load().orElseThrow().phase()).isEqualTo(Phase.SWITCHING);
        assertThat(share.percent()).isEqualTo(100);
    }

    @Test
    void aCutoverWhoseDrainFailsIsAbandonedSayingWhy() {
        RecordingSwitchover swap = new RecordingSwitchover();
        swap.drainFails = new IllegalStateException("12 keys still wait in the repair log");
        Controller c = atFullReads(swap, Duration.ofSeconds(2));
        assertThatThrownBy(c::cutover).hasMessage("cutover abandoned: 12 keys still wait in the repair log (the old "
                + "store is still the primary)");
        assertThat(swap.steps).containsExactly("pause", "drain", "resume");
        assertThat(c.state().phase()).isEqualTo(Phase.SWITCHING);
        assertThat(c.events(0, 20)).extracting(MigrationEvent::kind).contains("cutover");
    }

    /** A check that records when it ran among the swap's steps, and says what its answers are told to. */
    static final class RecordingCheck implements CutoverCheck {
        final RecordingSwitchover swap;
        String prepared;
        String confirmed;

        RecordingCheck(RecordingSwitchover swap) {
            this.swap = swap;
        }

        @Override
        public String prepare() {
            swap.steps.add("prepare check");
            return prepared;
        }

        @Override
        public String confirm() {
            swap.steps.add("confirm check");
            return confirmed;
        }

        @Override
        public long rowsCompared() {
            return 42;
        }
    }

    @Test
    void theRowsWrittenSinceTheLastVerificationAreComparedBeforeAndDuringThePause() {
        RecordingSwitchover swap = new RecordingSwitchover();
        RecordingCheck check = new RecordingCheck(swap);
        Controller c = atFullReads(swap, Duration.ofSeconds(2));
        c.checkBeforeCutover(check);
        check.prepared = "the last clean verification started before this tandem did";
        assertThatThrownBy(c::cutover).isInstanceOf(TransitionRefused.class)
                .hasMessage("cutover must wait: the last clean verification started before this tandem did")
                .satisfies(e -> assertThat(((TransitionRefused) e).hint()).contains("POST /api/verify"));
        assertThat(swap.steps).containsExactly("prepare check");
        assertThat(c.state().phase()).isEqualTo(Phase.SWITCHING);

        swap.steps.clear();
        check.prepared = null;
        check.confirmed = "1 row(s) written since the last verification differ: items [7]: differs";
        assertThatThrownBy(c::cutover).hasMessage("cutover abandoned: 1 row(s) written since the last verification "
                + "differ: items [7]: differs (the old store is still the primary)");
        assertThat(swap.steps).containsExactly("prepare check", "pause", "drain", "confirm check", "resume");
        assertThat(c.state().phase()).isEqualTo(Phase.SWITCHING);

        swap.steps.clear();
        check.confirmed = null;
        assertThat(c.cutover().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(swap.steps).containsExactly("prepare check", "pause", "drain", "confirm check", "promote", "resume");
        assertThat(c.events(0, 20)).extracting(MigrationEvent::message).anySatisfy(m -> assertThat(m)
                .endsWith("the 42 row(s) written since the last verification were the same in both stores"));
    }

    @Test
    void aRollbackAfterPromotionSwapsBackAndCompleteEndsTheWayBack() {
        RecordingSwitchover swap = new RecordingSwitchover();
        Controller c = atFullReads(swap, Duration.ofSeconds(2));
        c.cutover();
        swap.steps.clear();
        MigrationState back = c.rollback("the new store's disk filled up");
        assertThat(back.phase()).isEqualTo(Phase.SYNCING);
        assertThat(back.readPercent()).isZero();
        assertThat(share.percent()).isZero();
        assertThat(swap.steps).containsExactly("pause", "drain", "demote", "resume");
        assertThat(c.events(0, 20).getLast().message()).startsWith("rolled back from promoted: the old store is the "
                + "primary again").endsWith(": the new store's disk filled up");

        assertThatThrownBy(c::complete).hasMessage("complete needs the new store as the primary (phase promoted); "
                + "the phase is syncing");
        c.setReads(100, false);
        c.cutover();
        swap.steps.clear();
        assertThat(c.complete().phase()).isEqualTo(Phase.COMPLETE);
        assertThat(swap.steps).containsExactly("stop mirroring");
        assertThatThrownBy(() -> c.rollback(null)).hasMessageStartingWith("the migration is complete");
    }

    @Test
    void aTandemStoppedMidCutoverComesBackSwitchingOnTheOldPrimary() {
        Controller c = atFullReads(new RecordingSwitchover(), Duration.ofSeconds(2));
        MigrationState now = c.state();
        store.save(new MigrationState(Phase.CUTOVER, 100, now.stage(), now.plan(), now.stageSince(), now.changedAt(), 0),
                now.version());
        Controller restarted = controller();
        assertThat(restarted.state().phase()).isEqualTo(Phase.SWITCHING);
        assertThat(restarted.events(0, 50).getLast().message()).contains("it did not happen");
    }

    /** Two tandems: the cutover waits until the other holds its transactions, and it swaps with it. */
    @Test
    void aCutoverWaitsForTheOtherTandemsToHoldTheirTransactionsAndTheySwapWithIt() {
        RecordingSwitchover here = new RecordingSwitchover();
        RecordingSwitchover there = new RecordingSwitchover();
        Controller c = tandem("a", share, here);
        Controller other = tandem("b", new ReadShare(0), there);
        c.setReads(100, false);
        c.tick();
        other.tick(); // both alive
        assertThat(c.cutover().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(there.steps).as("held when the cutover began, swapped when it was done").containsExactly("pause",
                "promote", "resume");
        assertThat(other.state().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(here.steps).containsExactly("pause", "drain", "promote", "resume");
    }

    @Test
    void aCutoverIsAbandonedWhenAnotherTandemCannotHoldItsTransactionsAndItGoesOnThere() {
        RecordingSwitchover here = new RecordingSwitchover();
        RecordingSwitchover there = new RecordingSwitchover();
        there.drained = new java.util.concurrent.CompletableFuture<>(); // a transaction there never ends
        Controller c = tandem("a", share, here);
        Controller other = tandem("b", new ReadShare(0), there);
        c.switchover(here, Duration.ofMillis(300));
        other.switchover(there, Duration.ofMillis(100));
        c.setReads(100, false);
        c.tick();
        other.tick();
        assertThatThrownBy(c::cutover).hasMessage("cutover abandoned: other tandem(s) did not hold their transactions "
                + "within 300 ms: b (the old store is still the primary)");
        assertThat(there.steps).as("it could not hold, and went on").containsExactly("pause", "resume");
        assertThat(here.steps).containsExactly("pause", "resume");
        other.tick();
        assertThat(other.state().phase()).isEqualTo(Phase.SWITCHING);
    }

    private Controller tandem(String name, ReadShare reads, RecordingSwitchover swap) {
        Controller c = new Controller(store.as(name), reads, new PlanConfig(List.of(10, 50, 100), Duration.ofMinutes(1)),
                () -> notYet, clock);
        c.start(0);
        c.switchover(swap, Duration.ofSeconds(2));
        c.tickEvery(Duration.ofHours(1)); // listens to the others' announcements; the test ticks by hand
        return c;
    }

    @Test
    void anotherTandemSwapsTheStoresWhenItSeesTheCutover() {
        RecordingSwitchover here = new RecordingSwitchover();
        RecordingSwitchover there = new RecordingSwitchover();
        Controller c = atFullReads(here, Duration.ofSeconds(2));
        Controller other = controller(new ReadShare(0));
        other.switchover(there, Duration.ofSeconds(2));
        other.tick();
        c.cutover();
        other.tick();
        assertThat(other.state().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(there.steps).containsExactly("pause", "promote", "resume");
        c.complete();
        other.tick();
        assertThat(there.steps).endsWith("stop mirroring");
    }

    /** A clock a test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
