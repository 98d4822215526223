package tandem.core.lifecycle;

import java.time.Instant;
import java.util.Locale;

/**
 * What the controller keeps in the new store, so that a restarted tandem (or another replica)
 * comes back in the same state: the phase, the share of reads on the new store, the plan's stage
 * (-1 before the first) and whether the plan runs, and since when the stage is held. {@code
 * version} counts the saves (the store numbers them): a replica that sees a higher one follows it.
 */
public record MigrationState(Phase phase, int readPercent, int stage, Plan plan, Instant stageSince, Instant changedAt,
        long version) {

    /** The read-shift plan: not started, running (stages advance by themselves), paused, or at its last stage. */
    public enum Plan {
        IDLE, RUNNING, PAUSED, DONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Plan of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    public static MigrationState syncing(int readPercent, Instant now) {
        return new MigrationState(Phase.SYNCING, readPercent, -1, Plan.IDLE, now, now, 0);
    }

    /** The next state; the stage's hold starts again when the stage or phase changes or {@code restartHold} says so. */
    MigrationState with(Phase newPhase, int newPercent, int newStage, Plan newPlan, Instant now, boolean restartHold) {
        Instant since = restartHold || newStage != stage || newPhase != phase ? now : stageSince;
        return new MigrationState(newPhase, newPercent, newStage, newPlan, since, now, version);
    }

    MigrationState saved(long newVersion) {
        return new MigrationState(phase, readPercent, stage, plan, stageSince, changedAt, newVersion);
    }
}
