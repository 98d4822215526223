package tandem.proxy.admin;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import tandem.core.error.ProxyException;
import tandem.core.verify.VerificationService;

/**
 * {@code POST /api/verify} compares the stores in the background (optional body {@code {"tables":
 * ["users"], "repair": true}}); {@code GET /api/verify/latest} answers the last report (404 before
 * the first, with {@code running} while one runs).
 */
public final class VerifyRoutes {

    private VerifyRoutes() {
    }

    public static void register(AdminRoutes routes, VerificationService verify) {
        register(routes, verify, () -> false);
    }

    /**
     * @param requested whether a verification asked of another tandem waits for, or runs in, the one
     *     that leads: then this one answers {@code running} too, and the report the new store keeps
     */
    public static void register(AdminRoutes routes, VerificationService verify, java.util.function.BooleanSupplier requested) {
        routes.add("POST", "/api/verify", request -> {
            if (verify == null) {
                throw new AdminException(409, "there is no new store to compare with",
                        "configure stores.new (and restart tandem) to migrate");
            }
            JsonNode body = request.body().length == 0 ? null : request.json();
            Set<String> tables = new LinkedHashSet<>();
            if (body != null && body.has("tables")) {
                body.get("tables").forEach(t -> tables.add(t.asText()));
            }
            boolean repair = body != null && body.path("repair").asBoolean(false);
            try {
                verify.start(tables, repair);
            } catch (ProxyException e) {
                throw new AdminException(409, e.getMessage(), e.hint());
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("started", true);
            answer.put("watch", "GET /api/verify/latest");
            return AdminResponse.json(202, answer);
        });
        routes.add("GET", "/api/verify/latest", request -> {
            boolean running = verify != null && (verify.running() || requested.getAsBoolean());
            Map<String, Object> doc = verify == null ? null : latest(verify);
            if (doc == null) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("running", running);
                answer.put("error", verify == null ? "there is no new store to compare with" : verify.lastError());
                return AdminResponse.json(404, answer);
            }
            doc.put("running", running);
            if (verify.lastError() != null) {
                doc.put("lastError", verify.lastError());
            }
            return AdminResponse.json(200, doc);
        });
    }

    /** The newer of this tandem's last report and the one the new store keeps (another tandem's, or the CLI's). */
    private static Map<String, Object> latest(VerificationService verify) {
        Map<String, Object> here = verify.latest() == null ? null : new LinkedHashMap<>(verify.latest().document());
        String kept = verify.latestStoredReport();
        if (kept == null) {
            return here;
        }
        Map<String, Object> stored;
        try {
            stored = AdminResponse.JSON.readValue(kept, new com.fasterxml.jackson.core.type.TypeReference<>() {
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return here;
        }
        if (here == null) {
            return stored;
        }
        try {
            return java.time.Instant.parse(String.valueOf(stored.get("startedAt")))
                    .isAfter(java.time.Instant.parse(String.valueOf(here.get("startedAt")))) ? stored : here;
        } catch (java.time.format.DateTimeParseException e) {
            return here;
        }
    }
}
