package tandem.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How tandem moves the application from the old store to the new one.
 *
 * @param tables the tables to mirror; empty means every table of the old store
 * @param exclude tables never mirrored (they stay on the old store only)
 * @param keyless what to do with tables without a primary key: mirror them by statement (replaying
 *     the client's SQL, with a warning at startup) or exclude them
 * @param mirrorTimeout how long a commit waits for the new store before its keys are left to the
 *     repair log; default 2s
 * @param readPercent share of eligible reads served by the new store, 0 to 100; default 0
 * @param shadowSample share of reads served by the old store that also run on the new one to be
 *     compared, 0 to 1; default 0.05
 * @param plan the stages reads move through in the {@code switching} phase
 * @param guard when reads go back to the old store by themselves
 * @param cutoverPause how long new transactions may wait while primary and secondary swap (and a
 *     rollback after promotion swaps them back); past it the swap is abandoned; default 2s
 */
public record MigrationConfig(List<String> tables, List<String> exclude, KeylessTables keyless, Duration mirrorTimeout,
        int readPercent, double shadowSample, PlanConfig plan, GuardConfig guard, Duration cutoverPause) {

    static final Duration DEFAULT_CUTOVER_PAUSE = Duration.ofSeconds(2);

    public enum KeylessTables { STATEMENT, EXCLUDE }

    public MigrationConfig {
        tables = List.copyOf(tables);
        exclude = List.copyOf(exclude);
        Objects.requireNonNull(keyless, "keyless");
        Objects.requireNonNull(mirrorTimeout, "mirrorTimeout");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(cutoverPause, "cutoverPause");
    }

    /** With the default cutover pause. */
    public MigrationConfig(List<String> tables, List<String> exclude, KeylessTables keyless, Duration mirrorTimeout,
            int readPercent, double shadowSample, PlanConfig plan, GuardConfig guard) {
        this(tables, exclude, keyless, mirrorTimeout, readPercent, shadowSample, plan, guard, DEFAULT_CUTOVER_PAUSE);
    }

    /** With the default plan and guard. */
    public MigrationConfig(List<String> tables, List<String> exclude, KeylessTables keyless, Duration mirrorTimeout,
            int readPercent, double shadowSample) {
        this(tables, exclude, keyless, mirrorTimeout, readPercent, shadowSample, PlanConfig.defaults(), GuardConfig.defaults());
    }

    public static MigrationConfig defaults() {
        return new MigrationConfig(List.of(), List.of(), KeylessTables.STATEMENT, Duration.ofSeconds(2), 0, 0.05);
    }

    public MigrationConfig withReadPercent(int percent) {
        return new MigrationConfig(tables, exclude, keyless, mirrorTimeout, percent, shadowSample, plan, guard, cutoverPause);
    }

    public MigrationConfig withShadowSample(double sample) {
        return new MigrationConfig(tables, exclude, keyless, mirrorTimeout, readPercent, sample, plan, guard, cutoverPause);
    }

    public MigrationConfig withMirrorTimeout(Duration timeout) {
        return new MigrationConfig(tables, exclude, keyless, timeout, readPercent, shadowSample, plan, guard, cutoverPause);
    }

    public MigrationConfig withPlan(PlanConfig newPlan) {
        return new MigrationConfig(tables, exclude, keyless, mirrorTimeout, readPercent, shadowSample, newPlan, guard, cutoverPause);
    }

    public MigrationConfig withGuard(GuardConfig newGuard) {
        return new MigrationConfig(tables, exclude, keyless, mirrorTimeout, readPercent, shadowSample, plan, newGuard, cutoverPause);
    }

    public MigrationConfig withCutoverPause(Duration pause) {
        return new MigrationConfig(tables, exclude, keyless, mirrorTimeout, readPercent, shadowSample, plan, guard, pause);
    }
}
