package tandem.loadtest;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tandem.core.mirror.Key;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;
import tandem.core.verify.Equivalence;
import tandem.core.verify.KeyOrder;

/**
 * Compares one table: both sides read in key order and merged like a sort-merge join, so that
 * memory stays flat however large the table; each pair of rows compared column by column in the
 * new store's column types.
 */
final class TableMerge {

    private final String table;
    private final List<String> columns;
    private final List<PgType> types;
    private final int[] keyPositions;
    private final int maxReported;

    private long matching;
    private long differing;
    private long onlyOld;
    private long onlyNew;
    private final List<Key> onlyOldKeys = new ArrayList<>();
    private final List<Key> onlyNewKeys = new ArrayList<>();
    private final List<TableAudit.ColumnDifference> differences = new ArrayList<>();

    /**
     * @param columns the compared columns' names as the new store spells them, for the report
     * @param types their types in the new store (null where unknown)
     * @param keyPositions the positions of the key columns among them
     */
    TableMerge(String table, List<String> columns, List<PgType> types, int[] keyPositions, int maxReported) {
        this.table = table;
        this.columns = columns;
        this.types = types;
        this.keyPositions = Arrays.copyOf(keyPositions, keyPositions.length);
        this.maxReported = maxReported;
    }

    /** Merges the two cursors to their ends; problems found on the way end the merge and are reported. */
    TableAudit merge(RowCursor oldRows, RowCursor newRows, List<String> problems) throws SQLException {
        try {
            RowCursor.Row o = oldRows.next();
            RowCursor.Row n = newRows.next();
            while (o != null || n != null) {
                int order = o == null ? 1 : n == null ? -1 : KeyOrder.compare(o.key(), n.key());
                if (order < 0) {
                    onlyInOld(o);
                    o = oldRows.next();
                } else if (order > 0) {
                    onlyInNew(n);
                    n = newRows.next();
                } else {
                    compare(o, n);
                    o = oldRows.next();
                    n = newRows.next();
                }
            }
        } catch (RowCursor.OrderProblem e) {
            problems.add(e.getMessage());
            oldRows.drain();
            newRows.drain();
        }
        return new TableAudit(table, oldRows.count(), newRows.count(), matching, differing, onlyOld, onlyNew,
                onlyOldKeys, onlyNewKeys, differences, problems);
    }

    private void onlyInOld(RowCursor.Row o) {
        onlyOld++;
        if (onlyOldKeys.size() < maxReported) {
            onlyOldKeys.add(new Key(oldKeyAsNew(o)));
        }
    }

    private void onlyInNew(RowCursor.Row n) {
        onlyNew++;
        if (onlyNewKeys.size() < maxReported) {
            onlyNewKeys.add(new Key(keyOf(n)));
        }
    }

    private void compare(RowCursor.Row o, RowCursor.Row n) {
        List<Integer> differ = Equivalence.differingColumns(types, o.values(), n.values());
        if (differ.isEmpty()) {
            matching++;
            return;
        }
        differing++;
        for (int i : differ) {
            if (differences.size() < maxReported) {
                differences.add(new TableAudit.ColumnDifference(new Key(keyOf(n)), columns.get(i), o.values()[i],
                        n.values()[i]));
            }
        }
    }

    /**
     * An old row's key as the new store would hold it (a uuid rather than SQLite's text, a Long
     * rather than an Integer for a bigint), so that keys from both sides read alike in a report.
     */
    private List<Object> oldKeyAsNew(RowCursor.Row row) {
        List<Object> key = keyOf(row);
        for (int i = 0; i < key.size(); i++) {
            PgType type = types.get(keyPositions[i]);
            if (type != null) {
                try {
                    key.set(i, PgValues.decodeText(type, String.valueOf(key.get(i)), PgSessionSettings.DEFAULT));
                } catch (RuntimeException notReadable) {
                    // the key stays as the old store has it
                }
            }
        }
        return key;
    }

    /** The key as the row's own store holds it. */
    private List<Object> keyOf(RowCursor.Row row) {
        List<Object> key = new ArrayList<>();
        for (int i = 0; i < keyPositions.length; i++) {
            key.add(row.values()[keyPositions[i]]);
        }
        return key;
    }
}
