package tandem.core.backfill;

import java.util.List;

import tandem.core.mirror.Table;

/**
 * Reads a table of the old store in primary-key order, a page at a time, by keyset: each page
 * starts after the last key of the one before (never OFFSET, so a page costs the same at the end
 * of a table as at its start). The position is an opaque cursor that the store writes and reads
 * back, kept in the backfill's checkpoint.
 */
public interface PageReader {

    /**
     * At most {@code limit} rows of {@code table} after {@code after} (null: from the first key),
     * as committed now, values aligned with {@code table.columns()} in tandem's value model.
     */
    Page read(Table table, String after, int limit);

    /** The table's rows, counted (or estimated where counting is slow), for progress. */
    long count(Table table);

    /** A page, and the cursor after its last row (null when empty). */
    record Page(List<Object[]> rows, String last) {
        public Page {
            rows = List.copyOf(rows);
        }

        public boolean isEmpty() {
            return rows.isEmpty();
        }
    }
}
