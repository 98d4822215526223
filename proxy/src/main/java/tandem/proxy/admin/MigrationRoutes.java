package tandem.proxy.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import tandem.core.lifecycle.Controller;
import tandem.core.lifecycle.MigrationState;

/**
 * The migration's part of the admin API: {@code GET /api/status} (what tandem does and how it is
 * doing) and {@code PUT /api/reads} (the share of reads the new store serves; more than 0 only
 * once the backfill is complete and the last verification was clean, unless forced).
 */
public final class MigrationRoutes {

    private MigrationRoutes() {
    }

    /**
     * @param status builds the status document, section by section
     * @param controller the migration's controller, or null when there is no new store to read from
     */
    public static void register(AdminRoutes routes, Supplier<Map<String, Object>> status, Controller controller) {
        routes.add("GET", "/api/status", request -> AdminResponse.json(200, status.get()));
        routes.add("PUT", "/api/reads", request -> {
            if (controller == null) {
                throw new AdminException(409, "there is no new store to shift reads to",
                        "configure stores.new (and restart tandem) to migrate");
            }
            JsonNode body = request.json();
            JsonNode percent = body.get("percent");
            if (percent == null || !percent.isIntegralNumber() || percent.asInt() < 0 || percent.asInt() > 100) {
                throw new AdminException(400, "\"percent\" must be a whole number from 0 to 100, got "
                        + (percent == null ? "nothing" : percent.toString()), "send {\"percent\": 25}");
            }
            int previous = controller.state().readPercent();
            MigrationState now = LifecycleRoutes.refusedAs409(() -> controller.setReads(percent.asInt(),
                    body.path("force").asBoolean(false)));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("percent", now.readPercent());
            answer.put("previous", previous);
            answer.put("phase", now.phase().label());
            return AdminResponse.json(200, answer);
        });
    }
}
