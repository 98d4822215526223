package tandem.core.mirror;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes row images by key: the secondary's side of a sync, in one transaction per call.
 *
 * <p>Two syncs of the same key must never land out of order (an older image read first and
 * written last). So the writer first locks every key (transaction-scoped, the same lock every
 * tandem replica takes), and only then asks for the images, which the caller reads from the
 * primary while the locks are held: whichever sync writes last also read last.
 */
public interface RowWriter {

    /**
     * In one transaction: locks the keys of every table (in a stable order), gets their images
     * from {@code images}, upserts the rows it got and deletes the keys it did not, parents before
     * children for upserts and children before parents for deletes, then replays {@code statements}
     * (tables mirrored by statement), and commits.
     */
    void apply(Map<Table, Set<Key>> keys, ImageSource images, List<Replay> statements);

    /** The images of {@code keys} of a table of this (the target) store, in its columns' order and types. */
    @FunctionalInterface
    interface ImageSource {
        Map<Key, Object[]> read(Table targetTable, Set<Key> keys);

        /**
         * {@link #read} for several tables at once (which a source may do in one round trip to the
         * primary); an entry for every table asked for.
         */
        default Map<Table, Map<Key, Object[]>> readAll(Map<Table, Set<Key>> keysByTable) {
            Map<Table, Map<Key, Object[]>> images = new java.util.LinkedHashMap<>();
            keysByTable.forEach((table, keys) -> images.put(table, read(table, keys)));
            return images;
        }
    }

    /** A write on a table without a primary key, replayed as the client sent it. */
    record Replay(String sql, List<Object> parameters) {
    }
}
