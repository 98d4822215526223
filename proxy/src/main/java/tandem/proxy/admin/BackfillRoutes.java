package tandem.proxy.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import tandem.core.backfill.Backfill;
import tandem.core.backfill.BackfillService;
import tandem.core.error.ProxyException;

/**
 * {@code POST /api/backfill} starts copying the old store's rows in this tandem (optional body:
 * {@code {"tables": ["users"], "batchSize": 5000, "parallelTables": 2, "maxRowsPerSecond": 0,
 * "latencyBoundMillis": 50, "deferConstraints": true}}), {@code DELETE /api/backfill} stops it after its batches in flight;
 * its progress is in {@code GET /api/status} under {@code backfill}.
 */
public final class BackfillRoutes {

    private BackfillRoutes() {
    }

    public static void register(AdminRoutes routes, BackfillService backfill) {
        java.util.function.Function<AdminRequest, AdminResponse> start = request -> {
            if (backfill == null) {
                throw new AdminException(409, "there is no new store to copy into",
                        "configure stores.new (and restart tandem) to migrate");
            }
            JsonNode body = request.body().length == 0 ? null : request.json();
            Backfill.Settings d = Backfill.Settings.defaults();
            Set<String> tables = new LinkedHashSet<>();
            if (body != null && body.has("tables")) {
                body.get("tables").forEach(t -> tables.add(t.asText()));
            }
            int latency = positive(body, "latencyBoundMillis", 0);
            Backfill.Settings settings = new Backfill.Settings(positive(body, "batchSize", d.batchSize()),
                    positive(body, "parallelTables", d.parallelTables()), positive(body, "maxRowsPerSecond", 0),
                    latency == 0 ? null : Duration.ofMillis(latency),
                    body == null || body.path("deferConstraints").asBoolean(d.deferConstraints()));
            if (settings.batchSize() == 0 || settings.parallelTables() == 0) {
                throw new AdminException(400, "\"batchSize\" and \"parallelTables\" must be at least 1",
                        "send {\"batchSize\": 5000, \"parallelTables\": 2}");
            }
            try {
                backfill.start(tables, settings);
            } catch (ProxyException e) {
                throw new AdminException(409, e.getMessage(), e.hint());
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("started", true);
            answer.put("watch", "GET /api/status (backfill)");
            return AdminResponse.json(202, answer);
        };
        routes.add("POST", "/api/backfill", start);
        routes.add("POST", "/api/backfill/start", start);
        routes.add("POST", "/api/backfill/pause", request -> {
            if (backfill == null || !backfill.stop()) {
                throw new AdminException(409, "no backfill is running here", "start one: POST /api/backfill/start");
            }
            return AdminResponse.json(200, Map.of("pausing", true, "resume", "POST /api/backfill/resume"));
        });
        routes.add("POST", "/api/backfill/resume", request -> {
            if (backfill == null) {
                throw new AdminException(409, "there is no new store to copy into",
                        "configure stores.new (and restart tandem) to migrate");
            }
            try {
                backfill.resume();
            } catch (ProxyException e) {
                throw new AdminException(409, e.getMessage(), e.hint());
            }
            return AdminResponse.json(202, Map.of("started", true, "watch", "GET /api/status (backfill)"));
        });
        routes.add("DELETE", "/api/backfill", request -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("stopping", backfill != null && backfill.stop());
            return AdminResponse.json(200, answer);
        });
    }

    private static int positive(JsonNode body, String field, int otherwise) {
        if (body == null || !body.has(field)) {
            return otherwise;
        }
        JsonNode v = body.get(field);
        if (!v.isIntegralNumber() || v.asInt() < 0) {
            throw new AdminException(400, "\"" + field + "\" must be a whole number of at least 0, got " + v,
                    "leave it out for the default");
        }
        return v.asInt();
    }
}
