package tandem.proxy.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import tandem.core.lifecycle.Controller;
import tandem.core.lifecycle.MigrationEvent;
import tandem.core.lifecycle.MigrationState;
import tandem.core.lifecycle.TransitionRefused;

/**
 * The migration's lifecycle in the admin API: {@code POST /api/plan/start} (body {@code {"force":
 * true}} optional), {@code /api/plan/pause}, {@code /api/plan/resume}, {@code POST /api/cutover},
 * {@code POST /api/rollback}, {@code POST /api/complete}, and {@code GET /api/events?after=ID&limit=N}. A command the phase does not allow answers 409 with
 * the reason and what to do first.
 */
public final class LifecycleRoutes {

    private LifecycleRoutes() {
    }

    public static void register(AdminRoutes routes, Controller controller) {
        routes.add("POST", "/api/plan/start", request -> answer(refusedAs409(() -> controller(controller)
                .startPlan(flag(request, "force")))));
        routes.add("POST", "/api/plan/pause", request -> answer(refusedAs409(() -> controller(controller).pausePlan())));
        routes.add("POST", "/api/plan/resume", request -> answer(refusedAs409(() -> controller(controller)
                .resumePlan(flag(request, "force")))));
        routes.add("POST", "/api/cutover", request -> answer(refusedAs409(() -> controller(controller).cutover())));
        routes.add("POST", "/api/complete", request -> answer(refusedAs409(() -> controller(controller).complete())));
        routes.add("POST", "/api/rollback", request -> answer(refusedAs409(() -> controller(controller)
                .rollback(reason(request)))));
        routes.add("GET", "/api/events/stream", request -> {
            Controller c = controller(controller);
            long after = number(request, "after", 0, Long.MAX_VALUE, 0);
            return AdminResponse.events(send -> new EventStream(c, after, send).open());
        });
        routes.add("GET", "/api/events", request -> {
            long after = number(request, "after", 0, Long.MAX_VALUE, 0);
            int limit = (int) number(request, "limit", 1, 1000, 100);
            List<Map<String, Object>> events = new ArrayList<>();
            for (MigrationEvent e : controller(controller).events(after, limit)) {
                events.add(document(e));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("events", events);
            doc.put("next", events.isEmpty() ? after : events.getLast().get("id"));
            return AdminResponse.json(200, doc);
        });
    }

    /**
     * One client's live stream: the events after {@code after}, then each new one as it is stored,
     * every event once and in order (one logged while the backlog is sent waits behind it).
     */
    private static final class EventStream implements java.util.function.Consumer<MigrationEvent>, AutoCloseable {
        private final Controller controller;
        private final java.util.function.Consumer<String> send;
        private long last;

        EventStream(Controller controller, long after, java.util.function.Consumer<String> send) {
            this.controller = controller;
            this.send = send;
            this.last = after;
        }

        synchronized AutoCloseable open() {
            controller.onEvent(this);
            try {
                while (true) {
                    List<MigrationEvent> backlog = controller.events(last, 1000);
                    backlog.forEach(this::send);
                    if (backlog.size() < 1000) {
                        return this;
                    }
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public synchronized void accept(MigrationEvent e) {
            send(e);
        }

        private void send(MigrationEvent e) {
            if (e.id() > last) {
                last = e.id();
                try {
                    send.accept(AdminResponse.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(document(e)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }

        @Override
        public void close() {
            controller.removeListener(this);
        }
    }

    /** The controller's answer, or 409 with its reason when the phase does not allow the command. */
    static MigrationState refusedAs409(Supplier<MigrationState> command) {
        try {
            return command.get();
        } catch (TransitionRefused e) {
            throw new AdminException(409, e.getMessage(), e.hint());
        }
    }

    /** The migration's state as the API shows it (also under "migration" in /api/status). */
    public static Map<String, Object> document(MigrationState s, Controller controller) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("phase", s.phase().label());
        doc.put("readPercent", s.readPercent());
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("state", s.plan().label());
        plan.put("stages", controller.plan().stages());
        plan.put("stage", s.stage() < 0 ? null : s.stage() + 1);
        plan.put("holdSeconds", controller.plan().hold().toSeconds());
        plan.put("stageSince", s.stageSince().toString());
        doc.put("plan", plan);
        doc.put("changedAt", s.changedAt().toString());
        doc.put("leader", controller.leads());
        return doc;
    }

    private static AdminResponse answer(MigrationState s) {
        return AdminResponse.json(200, Map.of("phase", s.phase().label(), "readPercent", s.readPercent(),
                "plan", s.plan().label()));
    }

    private static Map<String, Object> document(MigrationEvent e) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", e.id());
        doc.put("at", e.at().toString());
        doc.put("kind", e.kind());
        doc.put("message", e.message());
        doc.put("details", e.details());
        return doc;
    }

    private static Controller controller(Controller controller) {
        if (controller == null) {
            throw new AdminException(409, "there is no new store to migrate to",
                    "configure stores.new (and restart tandem) to migrate");
        }
        return controller;
    }

    private static boolean flag(AdminRequest request, String field) {
        if (request.body().length == 0) {
            return false;
        }
        JsonNode v = request.json().get(field);
        if (v != null && !v.isBoolean()) {
            throw new AdminException(400, "\"" + field + "\" must be true or false, got " + v, "send {\"" + field + "\": true}");
        }
        return v != null && v.asBoolean();
    }

    private static String reason(AdminRequest request) {
        if (request.body().length == 0) {
            return "by the operator";
        }
        JsonNode v = request.json().get("reason");
        return v == null ? "by the operator" : v.asText();
    }

    private static long number(AdminRequest request, String name, long min, long max, long otherwise) {
        List<String> values = request.query().get(name);
        if (values == null || values.isEmpty()) {
            return otherwise;
        }
        try {
            long v = Long.parseLong(values.get(0));
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new AdminException(400, "\"" + name + "\" must be a whole number from " + min + " to " + max + ", got '"
                + values.get(0) + "'", "for example ?" + name + "=" + Math.max(min, 1));
    }
}
