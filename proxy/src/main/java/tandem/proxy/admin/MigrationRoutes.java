package tandem.proxy.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import tandem.core.route.ReadShare;

/**
 * The migration's part of the admin API: {@code GET /api/status} (what tandem does and how it is
 * doing) and {@code PUT /api/reads} (the share of reads the new store serves; more than 0 only
 * once the backfill is complete and the last verification was clean, unless forced).
 */
public final class MigrationRoutes {

    private static final Logger log = LoggerFactory.getLogger(MigrationRoutes.class);

    private MigrationRoutes() {
    }

    /**
     * @param status builds the status document, section by section
     * @param share the read share, or null when there is no new store to read from
     * @param readsNotYet why reads may not move to the new store yet (null when they may)
     */
    public static void register(AdminRoutes routes, Supplier<Map<String, Object>> status, ReadShare share,
            Supplier<String> readsNotYet) {
        routes.add("GET", "/api/status", request -> AdminResponse.json(200, status.get()));
        routes.add("PUT", "/api/reads", request -> {
            if (share == null) {
                throw new AdminException(409, "there is no new store to shift reads to",
                        "configure stores.new (and restart tandem) to migrate");
            }
            JsonNode body = request.json();
            JsonNode percent = body.get("percent");
            if (percent == null || !percent.isIntegralNumber() || percent.asInt() < 0 || percent.asInt() > 100) {
                throw new AdminException(400, "\"percent\" must be a whole number from 0 to 100, got "
                        + (percent == null ? "nothing" : percent.toString()), "send {\"percent\": 25}");
            }
            boolean force = body.path("force").asBoolean(false);
            String notYet = percent.asInt() > 0 && !force ? readsNotYet.get() : null;
            if (notYet != null) {
                throw new AdminException(409, "reads stay on the old store: " + notYet,
                        "finish the backfill and a clean verification first, or send \"force\": true to shift reads "
                                + "to a new store that may not hold every row");
            }
            int previous = share.set(percent.asInt());
            log.info("read share set to {}% through the admin API (was {}%){}", percent.asInt(), previous,
                    force && percent.asInt() > 0 ? ", forced" : "");
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("percent", percent.asInt());
            answer.put("previous", previous);
            return AdminResponse.json(200, answer);
        });
    }
}
