package tandem.core.mirror;

import java.util.Collection;
import java.util.Map;

/** Reads the current image of rows by key: the primary's side of a sync. */
public interface RowReader {

    /**
     * The rows of {@code table} with these keys as committed now, values aligned with
     * {@code table.columns()} in tandem's Java value model; keys without a row are absent.
     */
    Map<Key, Object[]> read(Table table, Collection<Key> keys);
}
