package tandem.core.lifecycle;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import tandem.config.GuardConfig;

/**
 * Watches the new store while it serves reads, over a sliding time window (Resilience4j circuit
 * breakers used as rate meters): its read error rate, its reads' latency (more than 1 % slower than
 * the limit means a p99 above it), the shadow comparisons that differ, and the syncs to it that
 * fail. When one passes its threshold, once the window holds at least the minimum number of calls,
 * it reports a {@link Trip} (the controller sends reads back to the old store) and starts counting
 * afresh.
 */
public final class Guard implements AutoCloseable {

    /** A threshold passed: which signal, the measured value and the threshold (both as text), over which window. */
    public record Trip(String signal, String measured, String threshold, Duration window, long calls) {

        public String describe() {
            return signal + " " + measured + " over the last " + window.toSeconds() + " s (" + calls
                    + " calls), above the threshold " + threshold;
        }
    }

    private static final Exception FAILED = new Exception("failed", null, false, false) {
    };

    private final GuardConfig config;
    private volatile Consumer<Trip> onTrip = trip -> { };
    /** Trips are told on a thread of their own: the thread that recorded the call may be a client's commit. */
    private final java.util.concurrent.ExecutorService notifier = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("tandem-guard").factory());
    private final CircuitBreaker reads;
    private final CircuitBreaker shadow;
    private final CircuitBreaker mirror;

    public Guard(GuardConfig config) {
        this.config = config;
        this.reads = breaker("reads", config.errorRate(), config.latencyP99());
        this.shadow = breaker("shadow", config.mismatchRate(), null);
        this.mirror = breaker("mirror", config.mirrorFailureRate(), null);
    }

    private CircuitBreaker breaker(String name, double rate, Duration slow) {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, config.window().toSeconds()))
                .minimumNumberOfCalls(Math.max(1, config.minimumCalls()))
                .failureRateThreshold((float) Math.max(0.0001, rate * 100))
                .recordExceptions(Exception.class);
        if (slow != null) {
            b.slowCallDurationThreshold(slow).slowCallRateThreshold(1);
        } else {
            b.slowCallRateThreshold(100).slowCallDurationThreshold(Duration.ofDays(1));
        }
        return CircuitBreaker.of("tandem-guard-" + name, b.build());
    }

    /** Told of every trip (the controller sends reads back to the old store). */
    public void onTrip(Consumer<Trip> listener) {
        this.onTrip = listener;
    }

    /** A read the new store served (or failed), and how long it took. */
    public void read(long nanos, boolean failed) {
        record(reads, nanos, failed);
    }

    /** A shadow comparison of a read on both stores: whether the answers differed. */
    public void shadow(boolean mismatch) {
        record(shadow, 0, mismatch);
    }

    /** A sync of a committed transaction to the new store: whether it failed (left to the repair log). */
    public void mirror(boolean failed) {
        record(mirror, 0, failed);
    }

    private void record(CircuitBreaker breaker, long nanos, boolean failed) {
        if (failed) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, FAILED);
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            tripped(breaker);
        }
    }

    private void tripped(CircuitBreaker breaker) {
        Trip trip;
        synchronized (breaker) {
            if (breaker.getState() != CircuitBreaker.State.OPEN) {
                return; // another thread reported it
            }
            CircuitBreaker.Metrics m = breaker.getMetrics();
            long calls = m.getNumberOfBufferedCalls();
            trip = switch (breaker.getName()) {
                case "tandem-guard-reads" -> m.getFailureRate() >= breaker.getCircuitBreakerConfig().getFailureRateThreshold()
                        ? new Trip("read error rate", percent(m.getFailureRate()), percent(config.errorRate() * 100), config.window(), calls)
                        : new Trip("read latency: share of reads slower than " + config.latencyP99().toMillis() + " ms",
                                percent(m.getSlowCallRate()), "1 % (a p99 above " + config.latencyP99().toMillis() + " ms)",
                                config.window(), calls);
                case "tandem-guard-shadow" -> new Trip("shadow mismatch rate", percent(m.getFailureRate()),
                        percent(config.mismatchRate() * 100), config.window(), calls);
                default -> new Trip("mirror failure rate", percent(m.getFailureRate()),
                        percent(config.mirrorFailureRate() * 100), config.window(), calls);
            };
            breaker.reset();
        }
        Consumer<Trip> listener = onTrip;
        try {
            notifier.execute(() -> listener.accept(trip));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // syncs still finishing while tandem stops: nobody is left to tell
        }
    }

    @Override
    public void close() {
        notifier.shutdownNow();
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.2f %%", p);
    }
}
