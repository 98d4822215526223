package tandem.core.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tandem.core.type.PgType;

/**
 * Decides whether two values, rows or result sets from different stores mean the same thing:
 * what the audit after a migration and the shadow reads during one compare with.
 *
 * <p>Two stores hand the same data over in different Java forms — SQLite gives {@code 1} for a
 * boolean, text for a timestamp or a uuid, a double for a numeric; PostgreSQL gives Boolean,
 * LocalDateTime, UUID, BigDecimal — so values are compared by meaning, not by form:
 *
 * <ul>
 * <li><b>Numbers</b> of every width and kind compare by value: {@code 1 = 1L = 1.0 =
 * BigDecimal("1.00")}. A float (Float, Double, float4, float8) stands for its shortest decimal
 * form, the one PostgreSQL prints and a copy to a numeric column keeps, and that decimal must
 * equal the other number exactly: the double {@code 12.34} equals {@code numeric '12.34'} but
 * not {@code numeric '12.340000000000001'}. NaN equals NaN (float or numeric), infinities equal
 * themselves, and {@code -0.0} equals {@code 0}, as in PostgreSQL. Compared as float4 or float8
 * (a column type given), each value is first rounded to that type, as a cast would.
 * <li><b>Booleans</b> equal {@code 0}/{@code 1} and any text boolin reads ({@code 't'},
 * {@code 'f'}, {@code "true"}, {@code "yes"}...); other numbers equal no boolean.
 * <li><b>Timestamps</b> compare as local date-times, or as instants when either side has a zone;
 * text is read as PostgreSQL reads it ({@code 2024-01-01 10:00:00} = {@code 2024-01-01T10:00:00} =
 * {@code 2024-01-01 10:00:00.000}), a local date-time meets an instant in UTC (the zone tandem
 * keeps timestamptz in on SQLite), and a date equals the timestamp at its midnight.
 * <li><b>uuid</b> equals its text in any case, with or without dashes or braces.
 * <li><b>json and jsonb</b> compare by parsed value: key order and spacing are ignored, numbers
 * compare by value, and of duplicate keys the last counts (as jsonb keeps it).
 * <li><b>bytea</b>: byte[] by content, and text as hex ({@code \x0a1b}, or bare hex as SQLite's
 * {@code hex()} prints it).
 * <li><b>Text</b> compares exactly, except as char(n), whose trailing spaces PostgreSQL ignores.
 * <li><b>null</b> equals only null.
 * </ul>
 *
 * Without a type, the values' Java classes say what they are, text taking the other side's type;
 * with one (the column's type in the store that is checked), both values are read as that type,
 * text by its input function, and what does not read as the type is compared as without one.
 * Values of classes this class does not know (a driver's own) are compared by their text.
 */
public final class Equivalence {

    /** A value that does not read as the type it was asked as: its class and text, equal only to the same. */
    public record Unreadable(String javaClass, String text) {
    }

    private Equivalence() {
    }

    /** Whether two values mean the same thing, as their Java classes tell what they are. */
    public static boolean same(Object left, Object right) {
        if (left == null || right == null) {
            return left == right;
        }
        left = CanonicalValues.known(left);
        right = CanonicalValues.known(right);
        if (isList(left) && isList(right)) {
            List<?> a = asList(left);
            List<?> b = asList(right);
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        PgType type = CanonicalValues.meet(CanonicalValues.typeOf(left), CanonicalValues.typeOf(right));
        if (type == null) {
            return false;
        }
        Object a = CanonicalValues.read(type, left);
        return a != null && a.equals(CanonicalValues.read(type, right));
    }

    /**
     * Whether two values mean the same thing as values of {@code type}; a value that does not read
     * as the type is compared as by {@link #same(Object, Object)}. A null type means unknown.
     */
    public static boolean same(PgType type, Object left, Object right) {
        if (left == null || right == null) {
            return left == right;
        }
        if (left.getClass() == right.getClass() && left.equals(right)) {
            return true; // the same value in the same form: no need to find a common one (the usual case)
        }
        if (type == null) {
            return same(left, right);
        }
        Object a = CanonicalValues.read(type, CanonicalValues.known(left));
        Object b = CanonicalValues.read(type, CanonicalValues.known(right));
        if (a != null && b != null) {
            return a.equals(b);
        }
        return same(left, right);
    }

    /**
     * The one form in which values of {@code type} compare, hashable: equivalent values that read
     * as the type have equal forms (numbers as BigDecimal without trailing zeros, timestamptz as
     * Instant, json as sorted maps...). A value that does not read as the type gives an
     * {@link Unreadable}; null gives a form of its own. A null type is taken from the value's class.
     */
    public static Object canonical(PgType type, Object value) {
        Object v = value == null ? null : CanonicalValues.known(value);
        PgType t = type != null ? type : v == null ? PgType.TEXT : CanonicalValues.typeOf(v);
        Object c = t == null ? null : CanonicalValues.read(t, v);
        return c != null ? c : new Unreadable(value.getClass().getName(), show(value));
    }

    /**
     * The positions at which two rows differ, compared column by column as {@link #same(PgType,
     * Object, Object)} with {@code types.get(i)} (null, or a null list, for unknown). A column that
     * only one row has differs.
     */
    public static List<Integer> differingColumns(List<PgType> types, Object[] left, Object[] right) {
        List<Integer> differing = new ArrayList<>();
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            if (i >= left.length || i >= right.length || !same(typeAt(types, i), left[i], right[i])) {
                differing.add(i);
            }
        }
        return differing;
    }

    /**
     * Compares two result sets row by row in their order, as when the query has an ORDER BY. Each
     * column is compared as its type in {@code types} (null, or a null list, to infer it from the
     * values); {@code columns} name them in the report.
     */
    public static ResultComparison compareInOrder(List<String> columns, List<PgType> types, List<Object[]> left,
            List<Object[]> right) {
        List<PgType> columnTypes = columnTypes(columns.size(), types, left, right);
        ResultComparison.Builder diff = new ResultComparison.Builder(columns, left.size(), right.size());
        int common = Math.min(left.size(), right.size());
        for (int i = 0; i < common; i++) {
            List<Integer> differing = differingColumns(columnTypes, left.get(i), right.get(i));
            if (!differing.isEmpty()) {
                diff.changed(i, i, left.get(i), right.get(i), differing);
            }
        }
        for (int i = common; i < left.size(); i++) {
            diff.onlyLeft(i, left.get(i));
        }
        for (int i = common; i < right.size(); i++) {
            diff.onlyRight(i, right.get(i));
        }
        return diff.build();
    }

    /**
     * Compares two result sets as multisets, as when the query has no ORDER BY: every row must
     * match an equivalent row on the other side, as many times as it occurs. Rows left over on both
     * sides with an equivalent first column are reported as one changed row, the rest as rows only
     * on one side. Each column is compared in one type for all its rows (given, or inferred from
     * all its values), so that matching is by canonical form; a value that does not read as its
     * column's type matches only the same value.
     */
    public static ResultComparison compareInAnyOrder(List<String> columns, List<PgType> types, List<Object[]> left,
            List<Object[]> right) {
        List<PgType> columnTypes = columnTypes(columns.size(), types, left, right);
        Map<List<Object>, List<Integer>> unmatched = new HashMap<>();
        for (int i = left.size() - 1; i >= 0; i--) {
            unmatched.computeIfAbsent(canonicalRow(columnTypes, left.get(i)), k -> new ArrayList<>()).add(i);
        }
        List<Integer> onlyRight = new ArrayList<>();
        for (int j = 0; j < right.size(); j++) {
            List<Integer> candidates = unmatched.get(canonicalRow(columnTypes, right.get(j)));
            if (candidates == null || candidates.isEmpty()) {
                onlyRight.add(j);
            } else {
                candidates.remove(candidates.size() - 1);
            }
        }
        List<Integer> onlyLeft = unmatched.values().stream().flatMap(List::stream).sorted().toList();

        ResultComparison.Builder diff = new ResultComparison.Builder(columns, left.size(), right.size());
        // pair leftovers that agree on the first column (usually a key) so the report names the columns
        Map<Object, List<Integer>> leftByFirst = new HashMap<>();
        for (int i = onlyLeft.size() - 1; i >= 0; i--) {
            int row = onlyLeft.get(i);
            leftByFirst.computeIfAbsent(firstColumn(columnTypes, left.get(row)), k -> new ArrayList<>()).add(row);
        }
        Set<Integer> paired = new HashSet<>();
        for (int j : onlyRight) {
            List<Integer> candidates = leftByFirst.get(firstColumn(columnTypes, right.get(j)));
            if (candidates == null || candidates.isEmpty()) {
                diff.onlyRight(j, right.get(j));
            } else {
                int i = candidates.remove(candidates.size() - 1);
                paired.add(i);
                diff.changed(i, j, left.get(i), right.get(j), differingColumns(columnTypes, left.get(i), right.get(j)));
            }
        }
        for (int i : onlyLeft) {
            if (!paired.contains(i)) {
                diff.onlyLeft(i, left.get(i));
            }
        }
        return diff.build();
    }

    /** A value as a report shows it: NULL, text quoted, bytes as bytea hex, anything else as it prints. */
    public static String show(Object value) {
        return switch (value) {
            case null -> "NULL";
            case String s -> "'" + s.replace("'", "''") + "'";
            case byte[] b -> "'\\x" + HexFormat.of().formatHex(b) + "'";
            case Object[] a -> Arrays.stream(a).map(Equivalence::show).toList().toString();
            default -> value.toString() + " (" + value.getClass().getSimpleName() + ")";
        };
    }

    // ---------------------------------------------------------------- helpers

    private static PgType typeAt(List<PgType> types, int i) {
        return types == null || i >= types.size() ? null : types.get(i);
    }

    /** The given types, with each unknown one inferred from all the column's values on both sides. */
    private static List<PgType> columnTypes(int count, List<PgType> types, List<Object[]> left, List<Object[]> right) {
        List<PgType> out = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            PgType given = typeAt(types, c);
            out.add(given != null ? given : inferred(c, left, right));
        }
        return out;
    }

    private static PgType inferred(int column, List<Object[]> left, List<Object[]> right) {
        PgType type = PgType.TEXT;
        for (List<Object[]> side : List.of(left, right)) {
            for (Object[] row : side) {
                if (column < row.length && row[column] != null) {
                    PgType met = CanonicalValues.meet(type, CanonicalValues.typeOf(CanonicalValues.known(row[column])));
                    if (met == null) {
                        // the column holds values that cannot meet: compare them as found
                        return null;
                    }
                    type = met;
                }
            }
        }
        return type;
    }

    private static List<Object> canonicalRow(List<PgType> types, Object[] row) {
        List<Object> key = new ArrayList<>(row.length);
        for (int c = 0; c < row.length; c++) {
            key.add(canonical(typeAt(types, c), row[c]));
        }
        return key;
    }

    private static Object firstColumn(List<PgType> types, Object[] row) {
        return row.length == 0 ? List.of() : canonical(typeAt(types, 0), row[0]);
    }

    private static boolean isList(Object v) {
        return v instanceof List<?> || v instanceof Object[];
    }

    private static List<?> asList(Object v) {
        return v instanceof Object[] a ? Arrays.asList(a) : (List<?>) v;
    }
}
