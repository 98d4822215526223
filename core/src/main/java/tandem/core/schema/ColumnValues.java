package tandem.core.schema;

import java.util.Set;

/**
 * What a scan of one column's stored values found: the decisions that depend on the data
 * (a timestamp type only if every value is a timestamp) are made from it.
 *
 * @param storageClasses SQLite's storage classes seen ({@code integer}, {@code real},
 *     {@code text}, {@code blob}); nulls are not counted
 * @param unreadable values tandem's own copy cannot read as the column's declared type (such a
 *     row is refused by mirroring and copying whatever the new store's type)
 * @param misfits readable values that the candidate PostgreSQL type cannot hold exactly
 * @param example the first unreadable value, else the first misfit, described for a message; or null
 */
public record ColumnValues(long values, Set<String> storageClasses, long unreadable, long misfits, String example) {

    public ColumnValues {
        storageClasses = Set.copyOf(storageClasses);
    }

    /** For a column that was not scanned. */
    public static final ColumnValues UNKNOWN = new ColumnValues(0, Set.of(), 0, 0, null);
}
