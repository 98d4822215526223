package tandem.proxy.admin;

import tandem.proxy.metrics.ProxyMetrics;

/** {@code /metrics}: every meter in Prometheus' text format, open like the health checks. */
public final class MetricsRoute {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsRoute() {
    }

    public static void register(AdminRoutes routes, ProxyMetrics metrics) {
        routes.add("GET", "/metrics", request -> AdminResponse.text(200, PROMETHEUS_TEXT, metrics.scrape()));
    }
}
