package tandem.core.mirror;

import java.util.ArrayList;
import java.util.List;

/**
 * One table of the primary and how it reaches the secondary: by row (the two tables' same-named
 * columns, their values converted), by statement, or not at all.
 *
 * <p>For a table mirrored by row, {@link #target()} is the secondary's table narrowed to the
 * columns the primary also has (in the secondary's order, with its key and foreign keys): a row
 * writer writes those and leaves the secondary's other columns to their defaults on insert and
 * untouched on update.
 */
public final class MirroredTable {

    /** How writes to a table reach the secondary. */
    public enum Mode {
        /** Rows copied by primary key. */
        ROW,
        /** The client's statements replayed (a table without a primary key). */
        STATEMENT,
        /** Not mirrored: it stays on the primary only. */
        EXCLUDED
    }

    private final String name;
    private final Mode mode;
    private final String note;
    private final Table source;
    private final Table target;
    private final int[] sourceIndex;
    private final int[] sourceKeyIndex;

    private MirroredTable(String name, Mode mode, String note, Table source, Table target, int[] sourceIndex,
            int[] sourceKeyIndex) {
        this.name = name;
        this.mode = mode;
        this.note = note;
        this.source = source;
        this.target = target;
        this.sourceIndex = sourceIndex;
        this.sourceKeyIndex = sourceKeyIndex;
    }

    static MirroredTable excluded(String name, String why) {
        return new MirroredTable(name, Mode.EXCLUDED, why, null, null, null, null);
    }

    static MirroredTable byStatement(String name, Table source, Table target, String note) {
        return new MirroredTable(name, Mode.STATEMENT, note, source, target, null, null);
    }

    /** Both tables have the same key columns, and every column of {@code source} is in {@code full}. */
    static MirroredTable byRow(Table source, Table full, String note) {
        List<Column> columns = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (Column c : full.columns()) {
            int i = source.indexOf(c.name());
            if (i >= 0) {
                columns.add(c);
                indexes.add(i);
            }
        }
        List<List<String>> uniqueKeys = full.uniqueKeys().stream()
                .filter(u -> u.stream().allMatch(c -> source.indexOf(c) >= 0)).toList();
        Table target = new Table(full.name(), columns, full.key(), uniqueKeys, full.foreignKeys());
        int[] keyIndex = new int[full.key().size()];
        for (int k = 0; k < keyIndex.length; k++) {
            String keyColumn = full.key().get(k);
            keyIndex[k] = indexOfIgnoreCase(source.key(), keyColumn);
        }
        return new MirroredTable(source.name(), Mode.ROW, note, source, target,
                indexes.stream().mapToInt(Integer::intValue).toArray(), keyIndex);
    }

    private static int indexOfIgnoreCase(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("key column " + name + " missing from " + names);
    }

    /** The table's name in the primary. */
    public String name() {
        return name;
    }

    public Mode mode() {
        return mode;
    }

    /** Why the table is mirrored this way, or what to know about it; may be empty. */
    public String note() {
        return note;
    }

    /** The primary's table (null when excluded). */
    public Table source() {
        return source;
    }

    /** The secondary's table, narrowed to the columns both stores have (null when excluded). */
    public Table target() {
        return target;
    }

    /** A key of the primary's table (in its key order and types) as a key of the target. */
    public Key targetKey(Key sourceKey) {
        List<Column> keyColumns = target.keyColumns();
        List<Object> values = new ArrayList<>(keyColumns.size());
        for (int k = 0; k < keyColumns.size(); k++) {
            Object v = sourceKey.values().get(sourceKeyIndex[k]);
            Column from = source.column(source.key().get(sourceKeyIndex[k]));
            values.add(ValueConverter.convert(name, from, keyColumns.get(k), v));
        }
        return new Key(values);
    }

    /** A row of the primary's table (aligned with its columns) as a row of {@link #target()}. */
    public Object[] targetRow(Object[] sourceRow) {
        Object[] out = new Object[sourceIndex.length];
        for (int i = 0; i < sourceIndex.length; i++) {
            int from = sourceIndex[i];
            out[i] = ValueConverter.convert(name, source.columns().get(from), target.columns().get(i), sourceRow[from]);
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " (" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
