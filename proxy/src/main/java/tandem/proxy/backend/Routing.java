package tandem.proxy.backend;

import tandem.proxy.metrics.ProxyMetrics;

/**
 * Where a relay runs the reads its {@link tandem.core.session.SessionPolicy} sends to the secondary:
 * the secondary's pool and the meters of that route. Absent (null) when there is no new store.
 */
public record Routing(BackendPool secondaryPool, ProxyMetrics.Route secondaryMeters) {
}
