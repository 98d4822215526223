package tandem.proxy.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import tandem.core.verify.Verifier;

/** A verification report as the command line prints it and as the admin API answers it. */
public final class VerifyReports {

    private VerifyReports() {
    }

    public static Map<String, Object> document(Verifier.Report report) {
        return report.document();
    }

    public static String json(Verifier.Report report) {
        try {
            return AdminResponse.JSON.writeValueAsString(document(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(Verifier.Report report) {
        return text(AdminResponse.JSON.valueToTree(document(report)));
    }

    /** The report as the command line prints it, from its {@link #document} (as the admin API answers it). */
    public static String text(JsonNode report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-24s %10s %10s %10s %9s %9s %9s %8s%n", "table", "old rows", "new rows",
                "compared", "missing", "extra", "differ", "seconds"));
        for (JsonNode t : report.path("tables")) {
            out.append(String.format(Locale.ROOT, "%-24s %10d %10d %10d %9d %9d %9d %8.2f%n", t.path("table").asText(),
                    t.path("oldRows").asLong(), t.path("newRows").asLong(), t.path("compared").asLong(),
                    t.path("missingInNew").asLong(), t.path("extraInNew").asLong(), t.path("differing").asLong(),
                    t.path("seconds").asDouble()));
        }
        for (JsonNode t : report.path("tables")) {
            out.append("  ").append(t.path("table").asText()).append(": compared by ").append(t.path("method").asText());
            if (t.has("keyRanges")) {
                out.append(" of ").append(t.path("keyRanges").asLong()).append(" key ranges (")
                        .append(t.path("keyRangesComparedRowByRow").asLong()).append(" compared row by row, ")
                        .append(t.path("rowsSampled").asLong()).append(" rows sampled)");
            }
            out.append('\n');
        }
        boolean repair = report.path("repair").asBoolean();
        for (JsonNode t : report.path("tables")) {
            String table = t.path("table").asText();
            for (JsonNode d : t.path("differences")) {
                List<String> key = new ArrayList<>();
                d.path("key").forEach(k -> key.add(k.asText()));
                out.append("  ").append(table).append(' ').append(key).append(": ").append(switch (d.path("kind").asText()) {
                    case "missing" -> "missing in the new store";
                    case "extra" -> "only in the new store";
                    default -> "differs";
                });
                for (JsonNode c : d.path("columns")) {
                    out.append("; ").append(c.path("column").asText()).append(" old ").append(c.path("old").asText())
                            .append(", new ").append(c.path("new").asText());
                }
                out.append('\n');
            }
            long shown = t.path("differences").size();
            long all = t.path("missingInNew").asLong() + t.path("extraInNew").asLong() + t.path("differing").asLong();
            if (all > shown) {
                out.append("  ").append(table).append(": ").append(all - shown).append(" more not shown\n");
            }
            if (repair && all > 0) {
                out.append("  ").append(table).append(": ").append(t.path("repaired").asLong()).append(" repaired, ")
                        .append(t.path("stillDiffering").asLong()).append(" still differ\n");
            }
        }
        out.append(report.path("clean").asBoolean() ? "clean: the stores hold the same rows" : "the stores differ")
                .append(String.format(Locale.ROOT, " (%,d rows compared in %.1f s, %,d rows/s)%n",
                        report.path("rowsCompared").asLong(), report.path("seconds").asDouble(),
                        report.path("rowsPerSecond").asLong()));
        return out.toString();
    }
}
