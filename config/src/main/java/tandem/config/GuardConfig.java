package tandem.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When the guard sends reads back to the old store by itself: over a sliding {@code window}, once
 * at least {@code minimumCalls} were seen, the new store's read error rate above {@code errorRate},
 * more than 1 % of its reads slower than {@code latencyP99} (its p99 above the limit), shadow
 * comparisons that differ above {@code mismatchRate}, or syncs to it failing above {@code
 * mirrorFailureRate}. Rates are fractions (0.01 is 1 %, the seeds' threshold).
 */
public record GuardConfig(Duration window, int minimumCalls, double errorRate, Duration latencyP99,
        double mismatchRate, double mirrorFailureRate) {

    public GuardConfig {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(latencyP99, "latencyP99");
    }

    public static GuardConfig defaults() {
        return new GuardConfig(Duration.ofSeconds(60), 100, 0.01, Duration.ofMillis(500), 0.01, 0.01);
    }
}
