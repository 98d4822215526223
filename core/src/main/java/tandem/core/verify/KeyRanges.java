package tandem.core.verify;

import java.util.List;
import java.util.Optional;

import tandem.core.mirror.Table;

/**
 * A store's table read by ranges of its integer key: what verification by fingerprints asks of
 * each store. Only for tables whose key is one integer column.
 */
public interface KeyRanges {

    /**
     * About how many rows the table has (counted, or the store's estimate: it only sizes the key
     * ranges) and its lowest and highest key; {@code integers} false when some key is not an integer.
     */
    record Extent(long rows, long lowest, long highest, boolean integers) {

        public boolean empty() {
            return rows == 0;
        }
    }

    Extent extent(Table table);

    /** The rows whose key k is {@code after < k <= upTo}, in tandem's value model, in no particular order. */
    List<Object[]> rows(Table table, long after, long upTo);

    /**
     * The same rows' {@link RowFingerprint} as table {@code as} would hold them: {@code as}'s
     * columns, each one of {@code table}'s by name, of {@code as}'s types, every value converted as
     * the mirror converts it. Computed by the store, or by its adapter as the rows stream by; empty
     * where it cannot (the caller then computes it from {@link #rows}).
     */
    default Optional<RowFingerprint.Fingerprint> fingerprint(Table table, Table as, long after, long upTo) {
        return Optional.empty();
    }
}
