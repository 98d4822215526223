package tandem.proxy.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import tandem.core.error.ProxyException;
import tandem.core.store.Store;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: tandem can serve clients, which
 * needs the store it serves from to answer; the other store's state is reported but does not make
 * tandem unready, since clients are served without it.
 */
public final class HealthRoutes {

    private HealthRoutes() {
    }

    public static void register(AdminRoutes routes, Store primary, Store secondary) {
        routes.add("GET", "/health/live", request -> AdminResponse.json(200, Map.of("status", "live")));
        routes.add("GET", "/health/ready", request -> ready(primary, secondary));
    }

    private static AdminResponse ready(Store primary, Store secondary) {
        Map<String, Object> stores = new LinkedHashMap<>();
        boolean ready = check(primary, stores);
        if (secondary != null) {
            check(secondary, stores);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "unready");
        body.put("serving", primary.name());
        body.put("stores", stores);
        return AdminResponse.json(ready ? 200 : 503, body);
    }

    private static boolean check(Store store, Map<String, Object> into) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("kind", store.kind().displayName());
        try {
            store.ping();
            state.put("reachable", true);
        } catch (ProxyException e) {
            state.put("reachable", false);
            state.put("error", e.getMessage());
        }
        into.put(store.name(), state);
        return Boolean.TRUE.equals(state.get("reachable"));
    }
}
