package tandem.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How reads move to the new store in the {@code switching} phase: through {@code stages} (percent of
 * eligible reads, ascending, the last 100), each held for {@code hold} before the next while the
 * guard sees the new store healthy.
 */
public record PlanConfig(List<Integer> stages, Duration hold) {

    public PlanConfig {
        stages = List.copyOf(stages);
        Objects.requireNonNull(hold, "hold");
    }

    public static PlanConfig defaults() {
        return new PlanConfig(List.of(10, 25, 50, 75, 100), Duration.ofMinutes(5));
    }

    /** Why the stages cannot be used, or null when they can. */
    public static String problem(List<Integer> stages) {
        if (stages.isEmpty()) {
            return "needs at least one stage";
        }
        int last = 0;
        for (int s : stages) {
            if (s <= last || s > 100) {
                return "stages must rise from above 0 to 100, got " + stages;
            }
            last = s;
        }
        return last == 100 ? null : "the last stage must be 100 (every eligible read on the new store), got " + stages;
    }
}
