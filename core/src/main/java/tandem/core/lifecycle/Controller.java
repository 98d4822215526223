package tandem.core.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.config.PlanConfig;
import tandem.core.lifecycle.MigrationState.Plan;
import tandem.core.metrics.MetricNames;
import tandem.core.route.ReadShare;

/**
 * Owns the migration's phase and the share of reads on the new store, and every change to them:
 * the operator's commands, the read-shift plan's stages (advanced by {@link #tick} once a stage was
 * held long enough), and the guard's trips. Each change is saved in the new store before it is
 * answered, with an event that says why, so a restarted tandem comes back in the same state.
 * A command the phase does not allow is refused with {@link TransitionRefused}, saying what must
 * happen first.
 */
public final class Controller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private final ControlStore store;
    private final ReadShare share;
    private final PlanConfig plan;
    private final Supplier<String> readsNotYet;
    private final Clock clock;
    private final List<Consumer<MigrationEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Written under the lock; read without it, so that the status answers while a tick waits on a hung store. */
    private volatile MigrationState state;
    /** A guard trip the store could not save yet (the new store failed): saved at a later tick. */
    private boolean tripPending;
    private volatile boolean leader;
    private java.util.concurrent.ScheduledExecutorService ticker;
    /** The server's part of a cutover; null where the stores cannot swap (tests of the plan alone). */
    private Switchover switchover;
    private Duration pauseLimit = Duration.ofSeconds(2);
    private CutoverCheck rowCheck;
    private RequestRunner requests;
    /** The cutover (its state's version) another tandem runs, for which this one holds its transactions; 0 for none. */
    private long holdingFor;
    private long holdingSince;

    /**
     * @param readsNotYet why reads may not move to the new store yet (backfill, verification), or null
     */
    public Controller(ControlStore store, ReadShare share, PlanConfig plan, Supplier<String> readsNotYet, Clock clock) {
        this.store = store;
        this.share = share;
        this.plan = plan;
        this.readsNotYet = readsNotYet;
        this.clock = clock;
    }

    /**
     * Comes back in the state last saved, or starts {@code syncing}. A configured share above 0
     * applies at every start (it is what the configuration asks) once the read gate allows it;
     * otherwise the saved share stands, unless the gate closed since (the latest verification
     * found differences): then reads start on the old store and the plan pauses.
     */
    public synchronized void start(int configuredPercent) {
        Instant now = clock.instant();
        state = store.load().orElse(null);
        if (state == null) {
            MigrationState fresh = MigrationState.syncing(0, now);
            long version = store.save(fresh, 0);
            if (version < 0) { // another tandem started the migration at the same moment
                state = store.load().orElseThrow();
                share.set(state.readPercent());
                return;
            }
            state = fresh.saved(version);
            event("phase", "migration started: writes are mirrored to the new store, reads stay on the old one",
                    Map.of("phase", state.phase().label()));
        } else {
            log.info("migration state from the new store: phase {}, reads {}%, plan {}{}", state.phase().label(),
                    state.readPercent(), state.plan().label(), state.stage() >= 0 ? ", stage " + (state.stage() + 1)
                            + " of " + plan.stages().size() : "");
        }
        if (state.phase() == Phase.CUTOVER) {
            // stopped between closing the gate and saving promoted: nothing swapped, nothing was admitted meanwhile
            try {
                change(Phase.SWITCHING, state.readPercent(), state.stage(), state.plan());
                event("cutover", "a cutover was under way when tandem stopped; it did not happen: the old store is "
                        + "still the primary", Map.of());
            } catch (TransitionRefused e) {
                log.info("migration: another tandem changed the state while this one started; following it");
            }
        }
        String notYet = readsNotYet.get();
        try {
            if (state.readPercent() > 0 && notYet != null && state.phase() == Phase.SWITCHING) {
                change(Phase.SWITCHING, 0, state.stage(), state.plan() == Plan.RUNNING ? Plan.PAUSED : state.plan());
                event("reads", "reads back on the old store at start: " + notYet, Map.of("percent", 0));
            } else if (configuredPercent > 0 && configuredPercent != state.readPercent() && notYet == null
                    && (state.phase() == Phase.SYNCING || state.phase() == Phase.SWITCHING)) {
                change(Phase.SWITCHING, configuredPercent, state.stage(),
                        state.plan() == Plan.RUNNING ? Plan.PAUSED : state.plan());
                event("reads", "reads set to " + configuredPercent + "% by migration.reads.percent in the configuration",
                        Map.of("percent", configuredPercent));
            }
        } catch (TransitionRefused e) {
            log.info("migration: another tandem changed the state while this one started; following it");
        }
        share.set(state.readPercent());
        leader = store.lead(); // before the first tick: a lone tandem leads at once
    }

    public MigrationState state() {
        return state;
    }

    public PlanConfig plan() {
        return plan;
    }

    /** Starts moving reads through the plan's stages: from {@code syncing}, once the backfill and a clean verification allow. */
    public synchronized MigrationState startPlan(boolean force) {
        follow(); // another tandem may have changed it since the last tick
        if (state.phase() != Phase.SYNCING && !(state.phase() == Phase.SWITCHING && state.plan() == Plan.IDLE)) {
            throw refused("the plan cannot start in phase " + state.phase().label() + (state.phase() == Phase.SWITCHING
                    ? " (it is " + state.plan().label() + ")" : ""), state.phase() == Phase.SWITCHING
                            ? "resume it (POST /api/plan/resume), or roll back (POST /api/rollback) to start over"
                            : "the plan runs from the syncing phase");
        }
        String notYet = readsNotYet.get();
        if (notYet != null && !force) {
            throw readGateClosed(notYet);
        }
        int first = plan.stages().get(0);
        change(Phase.SWITCHING, first, 0, Plan.RUNNING);
        event("plan", "plan started" + (force && notYet != null ? " (forced: " + notYet + ")" : "") + ": reads at "
                + first + "%, stage 1 of " + plan.stages().size() + ", each held " + human(plan.hold()),
                Map.of("percent", first, "stage", 1, "stages", plan.stages()));
        return state;
    }

    public synchronized MigrationState pausePlan() {
        follow(); // another tandem may have changed it since the last tick
        if (state.plan() != Plan.RUNNING) {
            throw refused("the plan is not running (it is " + state.plan().label() + ")",
                    state.plan() == Plan.IDLE ? "start it: POST /api/plan/start" : "resume it: POST /api/plan/resume");
        }
        change(state.phase(), state.readPercent(), state.stage(), Plan.PAUSED);
        event("plan", "plan paused at " + state.readPercent() + "% by the operator", Map.of("percent", state.readPercent()));
        return state;
    }

    /** Resumes a paused plan at its stage, held in full again from now; the read gate applies unless forced. */
    public synchronized MigrationState resumePlan(boolean force) {
        follow(); // another tandem may have changed it since the last tick
        if (state.plan() != Plan.PAUSED) {
            throw refused("the plan is not paused (it is " + state.plan().label() + ")",
                    state.plan() == Plan.IDLE ? "start it: POST /api/plan/start" : "pause it first: POST /api/plan/pause");
        }
        String notYet = readsNotYet.get();
        if (notYet != null && !force) {
            throw readGateClosed(notYet);
        }
        int percent = plan.stages().get(Math.max(0, state.stage()));
        change(Phase.SWITCHING, percent, Math.max(0, state.stage()), Plan.RUNNING, true);
        event("plan", "plan resumed: reads at " + percent + "%, stage " + (state.stage() + 1) + " of "
                + plan.stages().size() + " held " + human(plan.hold()) + " from now", Map.of("percent", percent));
        return state;
    }

    /**
     * Sets the share of reads by hand (PUT /api/reads). Above 0 it needs the read gate (unless
     * forced) and moves the migration to {@code switching}; a running plan pauses, since the
     * operator now steers.
     */
    public synchronized MigrationState setReads(int percent, boolean force) {
        follow(); // another tandem may have changed it since the last tick
        if (state.phase() != Phase.SYNCING && state.phase() != Phase.SWITCHING) {
            throw refused("reads cannot be set by hand in phase " + state.phase().label(),
                    "reads move by hand only while syncing or switching");
        }
        String notYet = percent > 0 && !force ? readsNotYet.get() : null;
        if (notYet != null) {
            throw readGateClosed(notYet);
        }
        int previous = state.readPercent();
        Phase phase = percent > 0 ? Phase.SWITCHING : state.phase();
        boolean pauses = state.plan() == Plan.RUNNING;
        change(phase, percent, state.stage(), pauses ? Plan.PAUSED : state.plan());
        event("reads", "reads set to " + percent + "% by the operator (was " + previous + "%)"
                + (force && percent > 0 ? ", forced" : "") + (pauses ? "; the plan paused" : ""),
                Map.of("percent", percent, "previous", previous));
        return state;
    }

    /** How the stores swap roles, and how long new transactions may wait while they do. */
    public synchronized void switchover(Switchover steps, Duration limit) {
        this.switchover = steps;
        this.pauseLimit = limit;
    }

    /** Runs an admin request another tandem received, for the leader; {@code done} is told how it ended, when it has. */
    public interface RequestRunner {
        void run(ControlStore.Request request, java.util.function.Consumer<String> done);
    }

    /** How this tandem runs the requests other tandems leave for the leader (backfill, verification). */
    public synchronized void runRequests(RequestRunner runner) {
        this.requests = runner;
    }

    /** Leaves an admin request for the leading tandem, and tells it. */
    public void forward(String method, String path, String body) {
        store.request(method, path, body);
        announceQuietly();
    }

    /** Whether a request for {@code path} waits for the leader or runs there. */
    public boolean requestPending(String path) {
        return store.pending(path);
    }

    /** The leader runs what other tandems received for it. */
    private void serveRequests() {
        if (!leader || requests == null) {
            return;
        }
        for (ControlStore.Request r : store.takeRequests()) {
            log.info("migration: running {} {}, which another tandem received, here where the migration is led",
                    r.method(), r.path());
            try {
                requests.run(r, outcome -> store.finished(r.id(), outcome));
            } catch (RuntimeException e) {
                log.warn("migration: {} {} from another tandem failed here: {}", r.method(), r.path(), e.getMessage());
                store.finished(r.id(), "failed: " + e.getMessage());
            }
        }
    }

    /** What a cutover proves before the swap (the rows written since the last verification agree); none by default. */
    public synchronized void checkBeforeCutover(CutoverCheck check) {
        this.rowCheck = check;
    }

    /**
     * Makes the new store the primary: from {@code switching} with every eligible read on it. New
     * transactions wait while those in flight finish and the mirror catches up, then the stores swap
     * and they go on, on the new primary. If any step fails or the pause limit passes first, nothing
     * is swapped: they go on, on the old primary, and the refusal says why.
     */
    public synchronized MigrationState cutover() {
        follow(); // another tandem may have changed it since the last tick
        if (state.phase() != Phase.SWITCHING || state.readPercent() < 100) {
            throw refused("cutover needs every eligible read on the new store first (phase " + state.phase().label()
                    + ", reads " + state.readPercent() + "%)", state.phase() == Phase.PROMOTED
                            ? "the new store is the primary already" : state.phase() == Phase.COMPLETE
                                    ? "the migration is complete" : "let the plan reach 100% (POST /api/plan/start), or "
                                            + "PUT /api/reads 100, and watch the guard for a while");
        }
        String unsupported = switchover == null ? "this tandem has no new store to swap to" : switchover.unsupported();
        if (unsupported != null) {
            throw refused("cutover is not possible here: " + unsupported, "see the README's Limits");
        }
        String notYet;
        try {
            notYet = rowCheck == null ? null : rowCheck.prepare();
        } catch (RuntimeException e) {
            notYet = "comparing the rows written since the last verification failed: " + e.getMessage();
        }
        if (notYet != null) {
            throw refused("cutover must wait: " + notYet, "run a verification (POST /api/verify, or bin/tandem verify), "
                    + "then cutover again");
        }
        int stage = state.stage();
        Plan planState = state.plan();
        change(Phase.CUTOVER, state.readPercent(), stage, planState);
        announceQuietly(); // the other tandems hold their transactions too (unannounced, the cutover waits for them)
        event("phase", "cutover started: new transactions wait (" + human(pauseLimit) + " at most) while those in "
                + "flight finish and the mirror catches up", Map.of("pauseLimitMillis", pauseLimit.toMillis()));
        long started = System.nanoTime();
        String failure = pauseAndSwap(started, () -> change(Phase.PROMOTED, state.readPercent(), stage, planState), true);
        long paused = (System.nanoTime() - started) / 1_000_000;
        announceQuietly(); // promoted or not, the others go on
        if (failure != null) {
            try {
                change(Phase.SWITCHING, state.readPercent(), stage, planState);
                announceQuietly();
            } catch (RuntimeException e) {
                log.error("migration: the abandoned cutover could not be saved ({}); a restart finds phase cutover and "
                        + "goes back to switching", e.getMessage());
            }
            event("cutover", "cutover abandoned after " + paused + " ms: " + failure + "; the old store is still the "
                    + "primary and transactions went on there", Map.of("pauseMillis", paused));
            throw refused("cutover abandoned: " + failure + " (the old store is still the primary)",
                    "try again at a quieter moment, or raise migration.cutover.pause (now " + human(pauseLimit) + ")");
        }
        String checked = rowCheck == null ? "" : "; the " + rowCheck.rowsCompared() + " row(s) written since the last "
                + "verification were the same in both stores";
        event("phase", "cutover done: the new store is the primary (new transactions waited " + paused + " ms at most); "
                + "writes are mirrored back to the old store, so a rollback loses nothing" + checked,
                rowCheck == null ? Map.of("pauseMillis", paused)
                        : Map.of("pauseMillis", paused, "rowsChecked", rowCheck.rowsCompared()));
        return state;
    }

    /**
     * The swap itself, for a cutover and a rollback after one: pauses, drains, saves the new phase
     * ({@code save}, before it takes effect) and swaps, then resumes whatever happened; null when
     * swapped, or why not.
     */
    private String pauseAndSwap(long started, Runnable save, boolean promote) {
        String failure = pauseAndDrain(started, promote);
        if (failure == null && promote && rowCheck != null) {
            try {
                failure = rowCheck.confirm();
            } catch (RuntimeException e) {
                failure = "comparing the rows written since the last verification failed: " + e.getMessage();
            }
            if (failure == null && System.nanoTime() - started > pauseLimit.toNanos()) {
                failure = "comparing the rows written since the last verification took longer than " + human(pauseLimit);
            }
        }
        if (failure == null) {
            try {
                save.run();
                switchover.swap(promote);
            } catch (RuntimeException e) {
                failure = "the swap failed: " + e.getMessage();
            }
        }
        switchover.resume();
        return failure;
    }

    private void announceQuietly() {
        try {
            store.announce();
        } catch (RuntimeException e) {
            log.warn("migration: could not tell the other tandems at once ({}); they follow at their next tick",
                    e.getMessage());
        }
    }

    /**
     * Waits until every other live tandem holds its transactions for the cutover saved now, within
     * the pause limit: then no transaction anywhere spans the swap. Null when they do, or who does not.
     */
    private String othersHolding(long started) throws InterruptedException {
        List<String> missing = store.notHolding(state.version(), ALIVE);
        while (!missing.isEmpty()) {
            if (System.nanoTime() - started > pauseLimit.toNanos()) {
                return "other tandem(s) did not hold their transactions within " + human(pauseLimit) + ": "
                        + String.join(", ", missing);
            }
            Thread.sleep(10);
            missing = store.notHolding(state.version(), ALIVE);
        }
        return null;
    }

    /**
     * Stops admitting transactions (for a cutover, every tandem's) and drains the mirror, within the
     * pause limit; null when done, or why not.
     */
    private String pauseAndDrain(long started, boolean cutover) {
        java.util.concurrent.CompletableFuture<Void> drained = switchover.pause();
        try {
            drained.get(pauseLimit.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            if (cutover) {
                String others = othersHolding(started);
                if (others != null) {
                    return others;
                }
            }
            long left = pauseLimit.toNanos() - (System.nanoTime() - started);
            switchover.drain(Instant.now().plusNanos(Math.max(0, left)));
            if (System.nanoTime() - started > pauseLimit.toNanos()) {
                return "catching the mirror up took longer than " + human(pauseLimit);
            }
            return null;
        } catch (java.util.concurrent.TimeoutException e) {
            return switchover.inFlight() + " transaction(s) still in flight after " + human(pauseLimit);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /**
     * Ends the migration: from {@code promoted}, mirroring to the old store stops. There is no way
     * back through tandem afterwards.
     */
    public synchronized MigrationState complete() {
        follow(); // another tandem may have changed it since the last tick
        if (state.phase() != Phase.PROMOTED) {
            throw refused("complete needs the new store as the primary (phase promoted); the phase is "
                    + state.phase().label(), state.phase() == Phase.COMPLETE ? "the migration is complete already"
                            : "cut over first: POST /api/cutover");
        }
        change(Phase.COMPLETE, state.readPercent(), state.stage(), state.plan());
        switchover.stopMirroring();
        event("phase", "migration complete: writes are no longer mirrored to the old store; once nothing reads it, "
                + "it can be decommissioned (keep its last backup). tandem now only passes traffic to the new store; "
                + "point applications at it directly when convenient", Map.of());
        return state;
    }

    /** Back to the old store: reads at 0 and the plan stopped, from {@code switching}; refused where nothing moved. */
    public synchronized MigrationState rollback(String why) {
        follow(); // another tandem may have changed it since the last tick
        switch (state.phase()) {
            case SWITCHING -> {
                int previous = state.readPercent();
                change(Phase.SYNCING, 0, -1, Plan.IDLE);
                event("phase", "rolled back to syncing: reads on the old store again (were " + previous + "%)"
                        + (why == null ? "" : ": " + why), Map.of("previous", previous));
                return state;
            }
            case PROMOTED -> {
                return demote(why);
            }
            case CUTOVER -> throw refused("a cutover is under way", "it finishes or is abandoned within "
                    + human(pauseLimit) + "; roll back after it, if it happened");
            case SYNCING -> throw refused("nothing to roll back: reads are on the old store and it is the primary",
                    "rollback undoes switching, cutover and promotion");
            case COMPLETE -> throw refused("the migration is complete: mirroring stopped, there is no way back through tandem",
                    "restore the old store from its backup if you must");
            default -> throw refused("nothing to roll back in phase " + state.phase().label(), "");
        }
    }

    /**
     * The old store becomes the primary again, as a cutover in reverse: new transactions wait while
     * the mirror copies to the old store what it still lacks, then the stores swap back, reads on
     * the old store, phase {@code syncing}.
     */
    private MigrationState demote(String why) {
        long started = System.nanoTime();
        String failure = pauseAndSwap(started, () -> change(Phase.SYNCING, 0, -1, Plan.IDLE), false);
        long paused = (System.nanoTime() - started) / 1_000_000;
        if (failure != null) {
            event("rollback", "rollback abandoned after " + paused + " ms: " + failure + "; the new store is still the "
                    + "primary", Map.of("pauseMillis", paused));
            throw refused("rollback abandoned: " + failure + " (the new store is still the primary)",
                    "try again, or raise migration.cutover.pause (now " + human(pauseLimit) + ")");
        }
        event("phase", "rolled back from promoted: the old store is the primary again, with every write made while "
                + "the new one was (they were mirrored back); reads on the old store (new transactions waited "
                + paused + " ms at most)" + (why == null ? "" : ": " + why), Map.of("pauseMillis", paused));
        return state;
    }

    /** Calls {@link #tick} every {@code period} on a thread of its own until {@link #close}. */
    public synchronized void tickEvery(Duration period) {
        store.onAnnounce(this::followAnnounced);
        ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("tandem-controller").factory());
        boolean[] failing = {false}; // one line when the new store stops answering, one when it is back: not one a second
        ticker.scheduleWithFixedDelay(() -> {
            try {
                tick();
                if (failing[0]) {
                    failing[0] = false;
                    log.info("migration: the new store answers the controller again");
                }
            } catch (RuntimeException e) {
                if (!failing[0]) {
                    failing[0] = true;
                    log.warn("migration: cannot read or save the migration's state in the new store ({}); the plan "
                            + "waits, and other tandems' changes are not followed until it answers", e.getMessage());
                } else {
                    log.debug("migration: the new store still does not answer the controller: {}", e.getMessage());
                }
            }
        }, period.toMillis(), period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        java.util.concurrent.ScheduledExecutorService t;
        synchronized (this) {
            t = ticker;
        }
        if (t != null) {
            t.shutdownNow();
        }
    }

    /** Advances the plan when its stage was held long enough; called about once a second. */
    public synchronized void tick() {
        if (tripPending) {
            saveTrip();
            tripPending = false;
            log.info("migration: the guard's trip is saved in the new store now (reads {}%)", state.readPercent());
        }
        follow();
        releaseStaleHold();
        store.holding(holdingFor); // also says this tandem is alive, for the cutovers of others
        leader = store.lead();
        serveRequests();
        if (!leader || state.plan() != Plan.RUNNING || state.phase() != Phase.SWITCHING) {
            return;
        }
        Instant now = clock.instant();
        if (Duration.between(state.stageSince(), now).compareTo(plan.hold()) < 0) {
            return;
        }
        int next = state.stage() + 1;
        if (next >= plan.stages().size()) {
            change(Phase.SWITCHING, state.readPercent(), state.stage(), Plan.DONE);
            event("plan", "plan done: every eligible read is on the new store, held " + human(plan.hold())
                    + " without a guard trip; ready for cutover", Map.of("percent", state.readPercent()));
            return;
        }
        int percent = plan.stages().get(next);
        try {
            change(Phase.SWITCHING, percent, next, Plan.RUNNING);
        } catch (TransitionRefused e) {
            return; // another tandem changed the migration since; the next tick sees what it did
        }
        event("stage", "reads at " + percent + "%: stage " + (next + 1) + " of " + plan.stages().size()
                + " (the last held " + human(plan.hold()) + " without a guard trip)",
                Map.of("percent", percent, "stage", next + 1));
    }

    /**
     * Adopts a state another tandem saved since: a change made through one reaches the others
     * within a tick, and a command starts from what is saved.
     */
    private void follow() {
        MigrationState saved = store.load().orElse(null);
        if (saved != null && saved.version() > state.version()) {
            log.info("migration: following another tandem's change: phase {}, reads {}%, plan {}", saved.phase().label(),
                    saved.readPercent(), saved.plan().label());
            boolean swapped = primaryIsNew(state.phase()) != primaryIsNew(saved.phase());
            state = saved;
            share.set(saved.readPercent());
            if (saved.phase() == Phase.CUTOVER && switchover != null) {
                hold(saved.version());
            } else if (swapped && switchover != null) {
                followSwap(primaryIsNew(saved.phase()));
            } else if (holdingFor != 0) {
                release("the other tandem's cutover did not happen; the old store is still the primary");
            } else if (saved.phase() == Phase.COMPLETE && switchover != null) {
                switchover.stopMirroring();
            }
        }
    }

    /** Called when another tandem announces a change: follows it now rather than at the next tick. */
    private synchronized void followAnnounced() {
        try {
            follow();
            serveRequests();
        } catch (RuntimeException e) {
            log.debug("migration: following an announced change failed ({}); the next tick tries again", e.getMessage());
        }
    }

    /**
     * Another tandem runs a cutover: this one holds its new transactions too, and says so once those
     * in flight are done; within the pause limit, or it lets them go on (the cutover then gives up).
     */
    private void hold(long version) {
        long started = System.nanoTime();
        try {
            switchover.pause().get(pauseLimit.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException | RuntimeException e) {
            switchover.resume();
            log.warn("migration: another tandem's cutover asked this one to hold its transactions, but {} transaction(s) were still "
                    + "in flight after {}; they go on here (that cutover will not happen)", switchover.inFlight(),
                    human(pauseLimit));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            switchover.resume();
            return;
        }
        holdingFor = version;
        holdingSince = System.nanoTime();
        store.holding(version);
        announceQuietly();
        log.info("migration: new transactions wait here for another tandem's cutover (those in flight were done in {} ms)",
                (holdingSince - started) / 1_000_000);
    }

    /** A hold that lasted past the pause limit: the other tandem's cutover is over, whatever it saved. */
    private void releaseStaleHold() {
        if (holdingFor != 0 && System.nanoTime() - holdingSince > pauseLimit.plus(HOLD_GRACE).toNanos()) {
            release("the other tandem's cutover did not end within " + human(pauseLimit) + "; transactions go on on the "
                    + state.phase().label() + " phase's primary");
        }
    }

    private void release(String why) {
        holdingFor = 0;
        switchover.resume();
        store.holding(0);
        log.warn("migration: {}", why);
    }

    private static boolean primaryIsNew(Phase phase) {
        return phase == Phase.PROMOTED || phase == Phase.COMPLETE;
    }

    /**
     * Another tandem swapped the stores: this one swaps too, between its own transactions (it waits
     * up to the pause limit for those in flight; past it, it swaps anyway, and says so).
     */
    private void followSwap(boolean promoted) {
        long started = holdingFor != 0 ? holdingSince : System.nanoTime();
        try {
            if (holdingFor == 0) { // held already when it saw the cutover begin
                switchover.pause().get(pauseLimit.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("migration: swapping the stores as another tandem did, with {} transaction(s) still in flight "
                    + "here after {}", switchover.inFlight(), human(pauseLimit));
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
            log.warn("migration: pausing for the swap failed ({}); swapping anyway", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        switchover.swap(promoted);
        if (state.phase() == Phase.COMPLETE) {
            switchover.stopMirroring();
        }
        switchover.resume();
        if (holdingFor != 0) {
            holdingFor = 0;
            store.holding(0);
        }
        log.info("migration: the {} store is the primary now, as another tandem decided (paused {} ms)",
                promoted ? "new" : "old", (System.nanoTime() - started) / 1_000_000);
    }

    /** Whether this tandem ran the plan at the last tick (one of several leads; see {@link ControlStore#lead}). */
    public boolean leads() {
        return leader;
    }

    /**
     * The guard saw the new store misbehave: reads back to the old store at once (before anything
     * that could wait on the failing store), then the plan paused and both saved.
     */
    public void guardTripped(Guard.Trip trip) {
        if (state.phase() == Phase.SWITCHING) {
            share.set(0);
        }
        synchronized (this) {
            recordTrip(trip);
        }
    }

    private void recordTrip(Guard.Trip trip) {
        if (state.phase() != Phase.SWITCHING && state.phase() != Phase.SYNCING) {
            // promoted: the secondary is the old store, and reads are on the new one, the primary
            event("guard", "guard: " + trip.describe() + " (phase " + state.phase().label() + ": nothing to move)",
                    details(trip, 0));
            return;
        }
        if (state.readPercent() == 0) {
            event("guard", "guard: " + trip.describe() + " (reads are on the old store already)", details(trip, 0));
            return;
        }
        int previous = state.readPercent();
        try { // reads left the new store already, even if it cannot save that they did (it may be what failed)
            saveTrip();
        } catch (RuntimeException e) {
            Plan planState = state.plan() == Plan.RUNNING ? Plan.PAUSED : state.plan();
            state = state.with(state.phase(), 0, state.stage(), planState, clock.instant(), false);
            share.set(0); // a tick may have moved it since the trip
            tripPending = true;
            log.error("guard: reads went back to the old store, but the new store could not save it ({}); saving again "
                    + "every second", e.getMessage());
        }
        log.warn("guard: {}; reads back on the old store (were {}%), the plan paused; resume with POST /api/plan/resume "
                + "once the new store is healthy", trip.describe(), previous);
        event("guard", "guard: " + trip.describe() + "; reads back on the old store (were " + previous + "%)",
                details(trip, previous));
    }

    private static Map<String, Object> details(Guard.Trip trip, int previous) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("signal", trip.signal());
        d.put("measured", trip.measured());
        d.put("threshold", trip.threshold());
        d.put("windowSeconds", trip.window().toSeconds());
        d.put("calls", trip.calls());
        d.put("previous", previous);
        return d;
    }

    /** Publishes the phase ({@link MetricNames#PHASE}), the plan's stage and the guard's trips. */
    public void register(io.micrometer.core.instrument.MeterRegistry registry) {
        for (Phase p : Phase.values()) {
            io.micrometer.core.instrument.Gauge.builder(MetricNames.PHASE, this, c -> c.state().phase() == p ? 1 : 0)
                    .tag("phase", p.label()).description("1 for the migration's current phase").register(registry);
        }
        io.micrometer.core.instrument.Gauge.builder(MetricNames.PLAN_STAGE, this, c -> c.state().stage() + 1)
                .description("the read-shift plan's stage, 1-based; 0 before it starts").register(registry);
        onEvent(e -> {
            if (e.kind().equals("guard")) {
                registry.counter(MetricNames.GUARD_TRIPS, "signal", String.valueOf(e.details().get("signal"))).increment();
            }
        });
    }

    public List<MigrationEvent> events(long afterId, int limit) {
        return store.events(afterId, limit);
    }

    /** Called with every event as it is stored (the admin API's live stream). */
    public void onEvent(Consumer<MigrationEvent> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<MigrationEvent> listener) {
        listeners.remove(listener);
    }

    /** Reads at 0 and a running plan paused, saved on top of whatever state is saved now (another tandem's too). */
    private void saveTrip() {
        for (int attempt = 0; ; attempt++) {
            MigrationState latest = store.load().orElse(state);
            MigrationState tripped = latest.with(latest.phase(), 0, latest.stage(),
                    latest.plan() == Plan.RUNNING ? Plan.PAUSED : latest.plan(), clock.instant(), false);
            long version = store.save(tripped, latest.version());
            if (version >= 0) {
                state = tripped.saved(version);
                share.set(0);
                return;
            }
            if (attempt == 3) {
                throw new IllegalStateException("other tandems kept changing the migration's state");
            }
        }
    }

    private void change(Phase phase, int percent, int stage, Plan planState) {
        change(phase, percent, stage, planState, false);
    }

    private void change(Phase phase, int percent, int stage, Plan planState, boolean restartHold) {
        MigrationState next = state.with(phase, percent, stage, planState, clock.instant(), restartHold);
        long version = store.save(next, state.version()); // saved before it takes effect: a restart never forgets it
        if (version < 0) {
            MigrationState latest = store.load().orElse(state);
            state = latest;
            share.set(latest.readPercent());
            throw new TransitionRefused("another tandem changed the migration a moment ago (it is now " + latest.phase().label()
                    + ", reads " + latest.readPercent() + "%, plan " + latest.plan().label() + ")",
                    "look at GET /api/status and send the command again if it still applies");
        }
        state = next.saved(version);
        share.set(percent);
    }

    private void event(String kind, String message, Map<String, Object> details) {
        log.info("migration: {}", message);
        MigrationEvent stored;
        try {
            stored = store.append(new MigrationEvent(0, clock.instant(), kind, message, details));
        } catch (RuntimeException e) {
            log.error("migration: the event could not be kept in the new store ({}); it is in this log only", e.getMessage());
            return;
        }
        for (Consumer<MigrationEvent> l : listeners) {
            try {
                l.accept(stored);
            } catch (RuntimeException e) {
                log.debug("an event listener failed", e);
            }
        }
    }

    /** Reads may not move to the new store yet: the one refusal the plan, resume and PUT /api/reads share. */
    private static TransitionRefused readGateClosed(String why) {
        return new TransitionRefused("reads stay on the old store: " + why, "finish the backfill and a clean "
                + "verification first (POST /api/backfill, then POST /api/verify), or send \"force\": true to shift "
                + "reads to a new store that may not hold every row");
    }

    private TransitionRefused refused(String message, String hint) {
        return new TransitionRefused(message, hint);
    }

    /** Another tandem counts as alive when seen this recently (each says so at every tick, once a second). */
    static final Duration ALIVE = Duration.ofSeconds(3);
    /** How much longer than the pause limit a tandem holds for another's cutover before it gives up on it. */
    private static final Duration HOLD_GRACE = Duration.ofSeconds(2);

    private static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + " ms";
        }
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? s / 60 + " min" : s + " s";
    }
}
