package tandem.proxy.backend;

import tandem.core.route.ReadRouter;
import tandem.core.verify.ShadowReads;
import tandem.proxy.metrics.ProxyMetrics;

/**
 * What a relay needs to route reads to the secondary: the router's decision, the secondary's pool
 * and the meters of that route, and the shadow reads a sample of the primary's reads go to (null
 * when none). Absent (null) when tandem passes everything to one store.
 */
public record Routing(ReadRouter router, BackendPool secondaryPool, ProxyMetrics.Route secondaryMeters,
        ShadowReads shadow) {
}
