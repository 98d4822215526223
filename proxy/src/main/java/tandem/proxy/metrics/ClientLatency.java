package tandem.proxy.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tandem.core.metrics.MetricNames;

/**
 * The mean time of client batches on one store over the last second or so, from the timer the
 * sessions record ({@link MetricNames#QUERY_TIME}): what the backfill watches to back off while the
 * application's queries slow down. NaN while no batch ran.
 */
public final class ClientLatency implements DoubleSupplier {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MeterRegistry registry;
    private final String store;
    private long sampledAt;
    private long count;
    private double totalMillis;
    private double mean = Double.NaN;

    public ClientLatency(MeterRegistry registry, String store) {
        this.registry = registry;
        this.store = store;
    }

    @Override
    public synchronized double getAsDouble() {
        long now = System.nanoTime();
        if (sampledAt != 0 && now - sampledAt < WINDOW_NANOS) {
            return mean;
        }
        Timer timer = registry.find(MetricNames.QUERY_TIME).tag("store", store).timer();
        if (timer == null) {
            return Double.NaN;
        }
        long c = timer.count();
        double total = timer.totalTime(TimeUnit.MILLISECONDS);
        mean = c > count ? (total - totalMillis) / (c - count) : Double.NaN;
        count = c;
        totalMillis = total;
        sampledAt = now;
        return mean;
    }
}
