package tandem.loadtest;

import java.util.List;

import tandem.core.mirror.Key;

/**
 * How one table compares between the old store and the new: every row counted, the first
 * differences kept with keys and values. Keys are in the new store's Java form (as PostgreSQL JDBC
 * gives them: UUID, Long...), also for rows only the old store has.
 *
 * @param table the table's name in the new store
 * @param oldRows rows read from the old store
 * @param newRows rows read from the new store
 * @param matchingRows rows on both sides whose every compared column is equivalent
 * @param differingRows rows on both sides that differ in at least one column
 * @param onlyInOld rows whose key only the old store has
 * @param onlyInNew rows whose key only the new store has
 * @param onlyInOldKeys the first keys only the old store has
 * @param onlyInNewKeys the first keys only the new store has
 * @param differences the first differing values
 * @param problems what kept the table from being compared fully (a missing table or column, no
 *     primary key, keys that do not read as the new store's key type or arrive out of order)
 */
public record TableAudit(String table, long oldRows, long newRows, long matchingRows, long differingRows,
        long onlyInOld, long onlyInNew, List<Key> onlyInOldKeys, List<Key> onlyInNewKeys,
        List<ColumnDifference> differences, List<String> problems) {

    public TableAudit {
        onlyInOldKeys = List.copyOf(onlyInOldKeys);
        onlyInNewKeys = List.copyOf(onlyInNewKeys);
        differences = List.copyOf(differences);
        problems = List.copyOf(problems);
    }

    /** One column of one row whose values differ, each as its store handed it over. */
    public record ColumnDifference(Key key, String column, Object oldValue, Object newValue) {
    }

    /** Every row on both sides, and every value equivalent. */
    public boolean clean() {
        return differingRows == 0 && onlyInOld == 0 && onlyInNew == 0 && problems.isEmpty();
    }
}
