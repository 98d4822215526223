package tandem.proxy.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that steer a running tandem through its admin API: {@code status}, {@code reads N},
 * {@code plan start|pause|resume}, {@code cutover}, {@code rollback}, {@code complete} and {@code events}. Each prints a line or two
 * an operator reads, or the API's JSON with {@code --json}; a refused command prints the API's
 * reason and hint and exits 1.
 */
public final class AdminCommands {

    private AdminCommands() {
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the migration's phase, reads, plan, mirror and backfill.")
    public static final class Status implements Callable<Integer> {
        @Mixin
        AdminClient api;

        @Override
        public Integer call() {
            return api.print(api.call("GET", "/api/status", null), Status::text);
        }

        static String text(JsonNode s) {
            JsonNode m = s.path("migration");
            StringBuilder out = new StringBuilder();
            out.append("phase     ").append(m.path("phase").asText("?")).append('\n');
            out.append("reads     ").append(s.path("reads").path("percent").asInt()).append("% on the new store\n");
            JsonNode plan = m.path("plan");
            if (!plan.isMissingNode()) {
                out.append("plan      ").append(plan.path("state").asText()).append(", stages ").append(plan.path("stages"));
                if (plan.hasNonNull("stage")) {
                    out.append(", at stage ").append(plan.path("stage").asInt()).append(" since ")
                            .append(plan.path("stageSince").asText());
                }
                out.append('\n');
            }
            JsonNode mirror = s.path("mirror");
            if (!mirror.isMissingNode()) {
                out.append("mirror    ").append(mirror.path("commits").path("synced").asLong()).append(" commits synced, ")
                        .append(mirror.path("commits").path("queued").asLong()).append(" left to the repair log; backlog ")
                        .append(mirror.path("repair").path("backlogRows").asLong()).append(" rows\n");
            }
            JsonNode backfill = s.path("backfill");
            if (!backfill.isMissingNode()) {
                out.append("backfill  ").append(backfill.path("complete").asBoolean() ? "complete"
                        : backfill.path("running").asBoolean() ? "running" : "not complete").append('\n');
            }
            return out.toString().stripTrailing();
        }
    }

    @Command(name = "reads", mixinStandardHelpOptions = true, description = "Set the share of eligible reads the new store serves (pauses a running plan).")
    public static final class Reads implements Callable<Integer> {
        @Mixin
        AdminClient api;

        @Parameters(paramLabel = "PERCENT", description = "0 to 100.")
        int percent;

        @Option(names = "--force", description = "Shift reads before the backfill and a clean verification.")
        boolean force;

        @Override
        public Integer call() {
            return api.print(api.call("PUT", "/api/reads", "{\"percent\": " + percent + (force ? ", \"force\": true" : "") + "}"),
                    a -> "reads " + a.path("percent").asInt() + "% on the new store (were " + a.path("previous").asInt()
                            + "%); phase " + a.path("phase").asText());
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Start, pause or resume the read-shift plan.")
    public static final class Plan implements Callable<Integer> {
        @Mixin
        AdminClient api;

        @Parameters(paramLabel = "ACTION", description = "start, pause or resume.")
        String action;

        @Option(names = "--force", description = "With start or resume: before the backfill and a clean verification.")
        boolean force;

        @Override
        public Integer call() {
            String a = action.toLowerCase(Locale.ROOT);
            if (!a.equals("start") && !a.equals("pause") && !a.equals("resume")) {
                api.command.commandLine().getErr().println("tandem: unknown plan action '" + action + "'\nhint: tandem plan start|pause|resume");
                return 2;
            }
            return api.print(api.call("POST", "/api/plan/" + a, force ? "{\"force\": true}" : null), AdminCommands::state);
        }
    }

    @Command(name = "cutover", mixinStandardHelpOptions = true, description = "Make the new store the primary: new "
            + "transactions wait (migration.cutover.pause at most) while the stores swap; writes are then mirrored back "
            + "to the old store.")
    public static final class Cutover implements Callable<Integer> {
        @Mixin
        AdminClient api;

        @Override
        public Integer call() {
            return api.print(api.call("POST", "/api/cutover", null), AdminCommands::state);
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true, description = "End the migration after a cutover: "
            + "stop mirroring writes to the old store (there is no way back through tandem afterwards).")
    public static final class Complete implements Callable<Integer> {
        @Mixin
        AdminClient api;

        @Override
        public Integer call() {
            return api.print(api.call("POST", "/api/complete", null), AdminCommands::state);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Back to the old store: every read, "
            + "and after a cutover the primary role too (writes made meanwhile were mirrored to it).")
    public static final class Rollback implements Callable<Integer> {
        @Mixin
        AdminClient api;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Kept in the event log.")
        String reason;

        @Override
        public Integer call() {
            String body = reason == null ? null : "{\"reason\": " + AdminClient.JSON.valueToTree(reason) + "}";
            return api.print(api.call("POST", "/api/rollback", body), AdminCommands::state);
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, description = "Print the migration's event log.")
    public static final class Events implements Callable<Integer> {
        @Mixin
        AdminClient api;

        @Option(names = "--after", paramLabel = "ID", defaultValue = "0", description = "Only events after this id.")
        long after;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            return api.print(api.call("GET", "/api/events?after=" + after + "&limit=" + limit, null), a -> {
                StringBuilder out = new StringBuilder();
                for (JsonNode e : a.path("events")) {
                    out.append(String.format(Locale.ROOT, "%5d  %s  %-7s %s%n", e.path("id").asLong(), e.path("at").asText(),
                            e.path("kind").asText(), e.path("message").asText()));
                }
                return out.length() == 0 ? "no events" : out.toString().stripTrailing();
            });
        }
    }

    private static String state(JsonNode a) {
        return "phase " + a.path("phase").asText() + ", reads " + a.path("readPercent").asInt() + "%, plan "
                + a.path("plan").asText();
    }
}
