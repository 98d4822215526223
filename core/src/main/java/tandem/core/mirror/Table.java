package tandem.core.mirror;

import java.util.List;

/**
 * A table as one store has it: columns in their order, the primary key columns in key order (empty
 * when the table has none), its other unique keys, and its foreign keys. Names are as the store
 * reports them, unquoted.
 */
public record Table(String name, List<Column> columns, List<String> key, List<List<String>> uniqueKeys,
        List<ForeignKey> foreignKeys) {

    public Table {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
        foreignKeys = List.copyOf(foreignKeys);
    }

    public boolean hasKey() {
        return !key.isEmpty();
    }

    /** The column's position, or -1. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    public Column column(String name) {
        int i = indexOf(name);
        return i < 0 ? null : columns.get(i);
    }

    /** The positions of the key columns among the columns, in key order. */
    public int[] keyPositions() {
        return key.stream().mapToInt(this::indexOf).toArray();
    }

    public List<Column> keyColumns() {
        return key.stream().map(this::column).toList();
    }

    /** A foreign key of this table: its columns reference {@code referencedTable}. */
    public record ForeignKey(List<String> columns, String referencedTable, List<String> referencedColumns) {
    }
}
