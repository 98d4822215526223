package tandem.loadtest;

import java.util.List;

import tandem.core.verify.Equivalence;

/** The audit of every table compared: clean when every table is. */
public record AuditResult(List<TableAudit> tables) {

    public AuditResult {
        tables = List.copyOf(tables);
    }

    public boolean clean() {
        return tables.stream().allMatch(TableAudit::clean);
    }

    /** The table's audit by name (case-insensitive), or null. */
    public TableAudit table(String name) {
        return tables.stream().filter(t -> t.table().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    /** Rows only on one side, rows that differ, and problems, over all tables. */
    public long differenceCount() {
        return tables.stream().mapToLong(t -> t.onlyInOld() + t.onlyInNew() + t.differingRows() + t.problems().size())
                .sum();
    }

    /** A report for a person: a line of counts per table, then each kept difference. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-24s %10s %10s %10s %10s %10s %10s%n", "table", "old rows", "new rows", "matching",
                "differing", "only old", "only new"));
        for (TableAudit t : tables) {
            out.append(String.format("%-24s %10d %10d %10d %10d %10d %10d%n", t.table(), t.oldRows(), t.newRows(),
                    t.matchingRows(), t.differingRows(), t.onlyInOld(), t.onlyInNew()));
        }
        for (TableAudit t : tables) {
            for (String problem : t.problems()) {
                out.append(t.table()).append(": ").append(problem).append('\n');
            }
            list(out, t, "only in the old store", t.onlyInOldKeys(), t.onlyInOld());
            list(out, t, "only in the new store", t.onlyInNewKeys(), t.onlyInNew());
            for (TableAudit.ColumnDifference d : t.differences()) {
                out.append(t.table()).append(' ').append(d.key()).append(": ").append(d.column()).append(": old ")
                        .append(Equivalence.show(d.oldValue())).append(", new ").append(Equivalence.show(d.newValue()))
                        .append('\n');
            }
            long unshown = t.differingRows() > 0 ? countUnshown(t) : 0;
            if (unshown > 0) {
                out.append(t.table()).append(": ... and more differing values in ").append(unshown)
                        .append(" rows not shown\n");
            }
        }
        out.append(clean() ? "clean: the stores hold the same rows" : differenceCount() + " differences");
        return out.append('\n').toString();
    }

    private static void list(StringBuilder out, TableAudit t, String what, List<?> keys, long count) {
        if (count == 0) {
            return;
        }
        out.append(t.table()).append(": ").append(count).append(count == 1 ? " row " : " rows ").append(what)
                .append(": ").append(keys);
        if (count > keys.size()) {
            out.append(" ...");
        }
        out.append('\n');
    }

    private static long countUnshown(TableAudit t) {
        long shownRows = t.differences().stream().map(TableAudit.ColumnDifference::key).distinct().count();
        return t.differingRows() - shownRows;
    }
}
