package tandem.proxy.admin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The admin API as a table of (method, path) to handler; adding an endpoint is one line. */
public final class AdminRoutes {

    private record Route(String method, String path, Function<AdminRequest, AdminResponse> handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    public AdminRoutes add(String method, String path, Function<AdminRequest, AdminResponse> handler) {
        routes.add(new Route(method, path, handler));
        return this;
    }

    /** Replaces the handler of {@code method path} by what {@code around} makes of it. */
    public AdminRoutes wrap(String method, String path,
            java.util.function.UnaryOperator<Function<AdminRequest, AdminResponse>> around) {
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            if (r.method().equals(method) && r.path().equals(path)) {
                routes.set(i, new Route(method, path, around.apply(r.handler())));
                return this;
            }
        }
        throw new IllegalArgumentException("no route " + method + " " + path);
    }

    /** Answers a request made in-process (one another tandem left for this one). */
    public AdminResponse serve(String method, String path, String body) {
        AdminRequest request = new AdminRequest(method, path, java.util.Map.of(),
                body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            return handle(request);
        } catch (AdminException e) {
            return AdminResponse.error(e.status(), e.getMessage(), e.hint());
        }
    }

    AdminResponse handle(AdminRequest request) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            if (route.path().equals(request.path())) {
                if (route.method().equals(request.method())) {
                    return route.handler().apply(request);
                }
                allowed.add(route.method());
            }
        }
        if (!allowed.isEmpty()) {
            return AdminResponse.error(405, request.method() + " is not allowed on " + request.path(),
                    "use " + String.join(" or ", allowed));
        }
        return AdminResponse.error(404, "no such endpoint: " + request.path(), "see the README's admin API section; "
                + "endpoints: " + routes.stream().map(r -> r.method() + " " + r.path()).distinct().toList());
    }
}
