package tandem.core.verify;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Orders primary keys as PostgreSQL orders them, over their canonical forms
 * ({@link Equivalence#canonical}), so that a merge of two stores' rows, each read in key order,
 * pairs the same keys: uuid by its bytes (unsigned, which is also the order of its lowercase text),
 * text by code point (PostgreSQL's "C" collation and SQLite's BINARY, both UTF-8 byte order),
 * numbers by value with the infinities at the ends and NaN above everything, and the rest by their
 * natural order. Keys are compared column by column.
 */
public final class KeyOrder {

    private KeyOrder() {
    }

    /**
     * Compares two keys given as lists of canonical values of the same key columns.
     *
     * @throws IllegalArgumentException when a value cannot be ordered against the other (a null,
     *     a value that did not read as its type, values of different kinds)
     */
    public static int compare(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareValues(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Compares two canonical values of one key column. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compareValues(Object a, Object b) {
        if (a instanceof UUID x && b instanceof UUID y) {
            int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
            return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        if (isNumber(a) && isNumber(b)) {
            int ra = numberRank(a);
            int rb = numberRank(b);
            return ra != rb || ra != 1 ? Integer.compare(ra, rb) : ((BigDecimal) a).compareTo((BigDecimal) b);
        }
        if (a != null && b != null && a.getClass() == b.getClass() && a instanceof Comparable x
                && !(a instanceof Enum<?>)) {
            return x.compareTo(b);
        }
        throw new IllegalArgumentException("cannot order " + Equivalence.show(a) + " against " + Equivalence.show(b));
    }

    private static int compareCodePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int cx = x.codePointAt(i);
            int cy = y.codePointAt(j);
            if (cx != cy) {
                return Integer.compare(cx, cy);
            }
            i += Character.charCount(cx);
            j += Character.charCount(cy);
        }
        return Integer.compare(x.length() - i, y.length() - j);
    }

    private static boolean isNumber(Object v) {
        return v instanceof BigDecimal || v instanceof CanonicalValues.Special;
    }

    /** -infinity, finite, +infinity, NaN: PostgreSQL sorts NaN above every other number. */
    private static int numberRank(Object v) {
        if (v instanceof BigDecimal) {
            return 1;
        }
        return switch ((CanonicalValues.Special) v) {
            case NEGATIVE_INFINITY -> 0;
            case POSITIVE_INFINITY -> 2;
            case NAN -> 3;
        };
    }
}
