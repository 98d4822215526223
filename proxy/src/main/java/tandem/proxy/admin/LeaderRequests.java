package tandem.proxy.admin;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tandem.core.lifecycle.Controller;
import tandem.core.verify.VerificationService;

/**
 * Backfill and verification run in the tandem that leads the migration, one of several in front of
 * the same stores: one that does not lead leaves the request in the new store ({@code
 * tandem.request}), tells the leader, and answers 202 saying so; the leader runs it at once as if it
 * had received it. Behind a load balancer any tandem takes the command.
 */
public final class LeaderRequests {

    public static final String VERIFY = "/api/verify";
    private static final List<String> PATHS = List.of("/api/backfill", "/api/backfill/start", "/api/backfill/pause",
            "/api/backfill/resume", VERIFY);

    private LeaderRequests() {
    }

    public static void register(AdminRoutes routes, Controller controller, VerificationService verification) {
        for (String path : PATHS) {
            routes.wrap("POST", path, here -> request -> {
                if (controller.leads()) {
                    return here.apply(request);
                }
                controller.forward("POST", path, new String(request.body(), StandardCharsets.UTF_8));
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("forwarded", true);
                answer.put("runsIn", "the tandem that leads the migration");
                answer.put("watch", path.equals(VERIFY) ? "GET /api/verify/latest" : "GET /api/status (backfill)");
                return AdminResponse.json(202, answer);
            });
        }
        controller.runRequests((request, done) -> {
            AdminResponse answer = routes.serve(request.method(), request.path(), request.body());
            String outcome = answer.status() + " " + new String(answer.body(), StandardCharsets.UTF_8);
            if (request.path().equals(VERIFY) && answer.status() == 202 && verification != null) {
                // the asking tandem says "running" until this is marked finished
                Thread.ofVirtual().name("tandem-verify-request").start(() -> {
                    try {
                        while (verification.running()) {
                            Thread.sleep(200);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.accept(outcome);
                });
            } else {
                done.accept(outcome);
            }
        });
    }
}
