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
