package tandem.core.mirror;

import java.util.Arrays;
import java.util.List;

/**
 * The primary key of one row: its values in key-column order, in tandem's Java value model
 * (integers as Long, text as String, uuid as UUID...). Equal keys mean the same row.
 */
public record Key(List<Object> values) implements Comparable<Key> {

    public Key {
        values = List.copyOf(values);
    }

    public static Key of(Object... values) {
        return new Key(List.of(values));
    }

    /** The key of {@code row}: its values at {@code positions} (a table's {@link Table#keyPositions()}). */
    public static Key at(Object[] row, int[] positions) {
        Object[] values = new Object[positions.length];
        for (int k = 0; k < positions.length; k++) {
            values[k] = row[positions[k]];
        }
        return new Key(Arrays.asList(values));
    }

    /** A stable order, so that locks on many keys are always taken in the same order. */
    @Override
    public int compareTo(Key other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
