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
            if (verify == null || verify.latest() == null) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("running", verify != null && verify.running());
                answer.put("error", verify == null ? "there is no new store to compare with" : verify.lastError());
                return AdminResponse.json(404, answer);
            }
            Map<String, Object> doc = new LinkedHashMap<>(VerifyReports.document(verify.latest()));
            doc.put("running", verify.running());
            if (verify.lastError() != null) {
                doc.put("lastError", verify.lastError());
            }
            return AdminResponse.json(200, doc);
        });
    }
}
