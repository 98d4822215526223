package tandem.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import tandem.core.metrics.MetricNames;

/**
 * The meters of one running tandem, in a Prometheus registry served at {@code /metrics}. The
 * counters the relay touches on every batch are looked up once here, not per batch.
 */
public final class ProxyMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ProxyMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Batch outcomes and timings for one route to one store. */
    public Route route(String route, String store) {
        return new Route(
                Counter.builder(MetricNames.QUERIES).tag("route", route).tag("outcome", "ok")
                        .description("client batches by route and outcome").register(registry),
                Counter.builder(MetricNames.QUERIES).tag("route", route).tag("outcome", "error").register(registry),
                Counter.builder(MetricNames.QUERIES).tag("route", route).tag("outcome", "fallback").register(registry),
                Timer.builder(MetricNames.QUERY_TIME).tag("store", store).publishPercentileHistogram()
                        .description("time from a batch's first message to its ReadyForQuery").register(registry),
                registry.config().clock());
    }

    /**
     * The meters of one route; recording is cheap enough for every batch. Batches are timed by the
     * registry's clock ({@link #now()}), so that a test can drive it.
     */
    public record Route(Counter ok, Counter error, Counter fallback, Timer time, io.micrometer.core.instrument.Clock clock) {

        /** The clock's monotonic time, in nanoseconds: when a batch starts. */
        public long now() {
            return clock.monotonicTime();
        }

        public void completed(long startedNanos, boolean failed) {
            time.record(clock.monotonicTime() - startedNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            (failed ? error : ok).increment();
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
