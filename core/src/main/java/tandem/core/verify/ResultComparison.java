package tandem.core.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How two result sets differ: every difference counted, the first {@link #MAX_REPORTED} kept with
 * their rows so that {@link #describe()} can show them. Rows are numbered from 1 in reports, as a
 * person counts them; the records hold 0-based indexes.
 *
 * @param columns the column names
 * @param leftRows how many rows the left side had
 * @param rightRows how many rows the right side had
 * @param differences the first differences, in the order found
 * @param differenceCount how many differences there were in all
 */
public record ResultComparison(List<String> columns, int leftRows, int rightRows, List<Difference> differences,
        int differenceCount) {

    /** Enough to see what went wrong without drowning a log in a result set that differs everywhere. */
    public static final int MAX_REPORTED = 10;

    public ResultComparison {
        columns = List.copyOf(columns);
        differences = List.copyOf(differences);
    }

    /** One way two result sets differ. */
    public sealed interface Difference {
    }

    /** A row that only the left side has. */
    public record OnlyLeft(int row, Object[] values) implements Difference {
    }

    /** A row that only the right side has. */
    public record OnlyRight(int row, Object[] values) implements Difference {
    }

    /** Two rows taken as the same row whose values differ in {@code columns} (0-based positions). */
    public record Changed(int leftRow, int rightRow, Object[] left, Object[] right, List<Integer> columns)
            implements Difference {
    }

    public boolean same() {
        return differenceCount == 0;
    }

    /** A report for a person: counts, then each kept difference on a line of its own. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("left ").append(leftRows).append(rows(leftRows)).append(", right ").append(rightRows)
                .append(rows(rightRows)).append(": ");
        if (same()) {
            return out.append("the same").toString();
        }
        out.append(differenceCount).append(differenceCount == 1 ? " difference" : " differences");
        for (Difference d : differences) {
            out.append("\n  ");
            switch (d) {
                case OnlyLeft o -> out.append("row ").append(o.row() + 1).append(" only on the left: ")
                        .append(row(o.values()));
                case OnlyRight o -> out.append("row ").append(o.row() + 1).append(" only on the right: ")
                        .append(row(o.values()));
                case Changed c -> {
                    out.append("row ").append(c.leftRow() + 1);
                    if (c.rightRow() != c.leftRow()) {
                        out.append(" (right row ").append(c.rightRow() + 1).append(')');
                    }
                    out.append(": ").append(c.columns().stream()
                            .map(i -> name(i) + ": left " + value(c.left(), i) + ", right " + value(c.right(), i))
                            .collect(Collectors.joining("; ")));
                }
            }
        }
        if (differenceCount > differences.size()) {
            out.append("\n  ... and ").append(differenceCount - differences.size()).append(" more");
        }
        return out.toString();
    }

    private static String rows(int n) {
        return n == 1 ? " row" : " rows";
    }

    private String name(int column) {
        return column < columns.size() ? columns.get(column) : "column " + (column + 1);
    }

    private static String value(Object[] row, int column) {
        return column < row.length ? Equivalence.show(row[column]) : "(no such column)";
    }

    private String row(Object[] values) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ", ").append(name(i)).append('=').append(Equivalence.show(values[i]));
        }
        return out.append(')').toString();
    }

    /** Collects differences as they are found, keeping the first few. */
    static final class Builder {
        private final List<String> columns;
        private final int leftRows;
        private final int rightRows;
        private final List<Difference> kept = new ArrayList<>();
        private int count;

        Builder(List<String> columns, int leftRows, int rightRows) {
            this.columns = columns;
            this.leftRows = leftRows;
            this.rightRows = rightRows;
        }

        void onlyLeft(int row, Object[] values) {
            add(new OnlyLeft(row, values));
        }

        void onlyRight(int row, Object[] values) {
            add(new OnlyRight(row, values));
        }

        void changed(int leftRow, int rightRow, Object[] left, Object[] right, List<Integer> differing) {
            add(new Changed(leftRow, rightRow, left, right, List.copyOf(differing)));
        }

        private void add(Difference d) {
            if (kept.size() < MAX_REPORTED) {
                kept.add(d);
            }
            count++;
        }

        ResultComparison build() {
            return new ResultComparison(columns, leftRows, rightRows, kept, count);
        }
    }
}
