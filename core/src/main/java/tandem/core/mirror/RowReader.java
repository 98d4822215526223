package tandem.core.mirror;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the current image of rows by key: the primary's side of a sync. */
public interface RowReader {

    /**
     * The rows of {@code table} with these keys as committed now, values aligned with
     * {@code table.columns()} in tandem's Java value model; keys without a row are absent.
     */
    Map<Key, Object[]> read(Table table, Collection<Key> keys);

    /**
     * {@link #read} for several tables at once, each as committed when its read starts; a store
     * may read them over one connection in one round trip. The result has an entry for every
     * table asked for.
     */
    default Map<Table, Map<Key, Object[]>> readAll(Map<Table, ? extends Collection<Key>> keysByTable) {
        Map<Table, Map<Key, Object[]>> rows = new LinkedHashMap<>();
        keysByTable.forEach((table, keys) -> rows.put(table, read(table, keys)));
        return rows;
    }
}
