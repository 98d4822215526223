package tandem.proxy.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import tandem.core.verify.Verifier;

/** A verification report as the command line prints it and as the admin API answers it. */
public final class VerifyReports {

    private VerifyReports() {
    }

    public static Map<String, Object> document(Verifier.Report report) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("clean", report.clean());
        doc.put("startedAt", report.startedAt().toString());
        doc.put("seconds", report.took().toMillis() / 1000.0);
        doc.put("rowsCompared", report.compared());
        doc.put("rowsPerSecond", Math.round(report.compared() / Math.max(0.001, report.took().toMillis() / 1000.0)));
        doc.put("repair", report.repair());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (Verifier.TableReport t : report.tables()) {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("table", t.table());
            table.put("clean", t.clean());
            table.put("method", t.method().name());
            if (t.method().ranges() > 0) {
                table.put("keyRanges", t.method().ranges());
                table.put("keyRangesComparedRowByRow", t.method().rangesByRow());
                table.put("rowsSampled", t.method().sampled());
            }
            table.put("oldRows", t.oldRows());
            table.put("newRows", t.newRows());
            table.put("compared", t.compared());
            table.put("missingInNew", t.missing());
            table.put("extraInNew", t.extra());
            table.put("differing", t.differing());
            if (report.repair()) {
                table.put("repaired", t.repaired());
                table.put("stillDiffering", t.stillDiffering());
            }
            table.put("seconds", t.took().toMillis() / 1000.0);
            List<Map<String, Object>> examples = new ArrayList<>();
            for (Verifier.Difference d : t.examples()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("kind", d.kind());
                e.put("key", d.key().values().stream().map(String::valueOf).toList());
                if (!d.columns().isEmpty()) {
                    List<Map<String, Object>> columns = new ArrayList<>();
                    for (Verifier.ColumnDifference c : d.columns()) {
                        Map<String, Object> column = new LinkedHashMap<>();
                        column.put("column", c.column());
                        column.put("old", c.oldValue());
                        column.put("new", c.newValue());
                        columns.add(column);
                    }
                    e.put("columns", columns);
                }
                examples.add(e);
            }
            table.put("differences", examples);
            tables.add(table);
        }
        doc.put("tables", tables);
        return doc;
    }

    public static String json(Verifier.Report report) {
        try {
            return AdminResponse.JSON.writeValueAsString(document(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(Verifier.Report report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-24s %10s %10s %10s %9s %9s %9s %8s%n", "table", "old rows", "new rows",
                "compared", "missing", "extra", "differ", "seconds"));
        for (Verifier.TableReport t : report.tables()) {
            out.append(String.format(Locale.ROOT, "%-24s %10d %10d %10d %9d %9d %9d %8.2f%n", t.table(), t.oldRows(),
                    t.newRows(), t.compared(), t.missing(), t.extra(), t.differing(), t.took().toMillis() / 1000.0));
        }
        for (Verifier.TableReport t : report.tables()) {
            out.append("  ").append(t.table()).append(": compared by ").append(t.method()).append('\n');
        }
        for (Verifier.TableReport t : report.tables()) {
            for (Verifier.Difference d : t.examples()) {
                out.append("  ").append(t.table()).append(' ').append(d.key()).append(": ").append(switch (d.kind()) {
                    case "missing" -> "missing in the new store";
                    case "extra" -> "only in the new store";
                    default -> "differs";
                });
                for (Verifier.ColumnDifference c : d.columns()) {
                    out.append("; ").append(c.column()).append(" old ").append(c.oldValue()).append(", new ")
                            .append(c.newValue());
                }
                out.append('\n');
            }
            long shown = t.examples().size();
            long all = t.missing() + t.extra() + t.differing();
            if (all > shown) {
                out.append("  ").append(t.table()).append(": ").append(all - shown).append(" more not shown\n");
            }
            if (report.repair() && all > 0) {
                out.append("  ").append(t.table()).append(": ").append(t.repaired()).append(" repaired, ")
                        .append(t.stillDiffering()).append(" still differ\n");
            }
        }
        long seconds = Math.max(1, report.took().toMillis());
        out.append(report.clean() ? "clean: the stores hold the same rows" : "the stores differ")
                .append(String.format(Locale.ROOT, " (%,d rows compared in %.1f s, %,d rows/s)%n", report.compared(),
                        report.took().toMillis() / 1000.0, report.compared() * 1000 / seconds));
        return out.toString();
    }
}
