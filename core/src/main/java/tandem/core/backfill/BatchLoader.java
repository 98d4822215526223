package tandem.core.backfill;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import tandem.core.mirror.Table;

/**
 * Loads copied rows into the new store, a batch per transaction, and keeps the backfill's
 * checkpoints there (PostgreSQL: {@code tandem.backfill}), so a restarted backfill resumes.
 *
 * <p>Race-safe against live mirroring: each batch first takes the table's backfill lock, which
 * every mirror sync of the table also takes (shared), so no sync runs between the moment the
 * batch's rows are read from the old store (after the lock) and the moment they are committed.
 * Rows whose key the new store already has are left alone: the mirror wrote them, and its image is
 * at least as new. A row deleted in the old store before the batch read it is not read; one deleted
 * after is deleted by its sync, which waits for the batch. So a copied image never overwrites a
 * mirrored one, and a deleted row never comes back.
 */
public interface BatchLoader {

    /** Creates the checkpoint table if missing. */
    void ensureCreated();

    /** The checkpoints, by the new store's table name. */
    Map<String, Checkpoint> checkpoints();

    /**
     * A table's copy starts (or resumes): records it as copying with its row count, keeping any
     * cursor. When {@code deferConstraints} and the copy is new, the table's secondary indexes and
     * its foreign keys are dropped until {@link #restore}, their definitions kept in the checkpoint
     * (a crash keeps them too): loading into a table without them is about twice as fast, and
     * tables linked by foreign keys can then be copied at the same time.
     */
    Checkpoint begin(Table target, long totalRows, boolean deferConstraints);

    /**
     * One transaction: locks the table against mirror syncs, takes the batch from {@code source}
     * (which reads it from the old store now), inserts the rows whose keys the new store lacks,
     * moves the checkpoint to the batch's cursor, commits.
     */
    Loaded load(Table target, Supplier<Batch> source);

    /** The table is copied: marks it done and moves its sequences past the highest copied value. */
    void finish(Table target);

    /**
     * Creates again what {@link #begin} dropped (indexes, then foreign keys, validated against the
     * rows): once every table a foreign key links is copied.
     *
     * @throws tandem.core.error.ProxyException when a foreign key does not hold (rows reference
     *     rows that are not there); it stays in the checkpoint, not validated, to be tried again
     */
    void restore(Table target);

    /** Forgets every checkpoint, so the next backfill starts over (the copied rows stay; what was dropped is restored first). */
    void reset();

    /** Rows to load, in the new store's columns and types, and the old store's cursor after them. */
    record Batch(List<Object[]> rows, String cursor) {
    }

    /** What one batch did: rows read from the old store, rows inserted (the rest were there already). */
    record Loaded(int read, int inserted, String cursor) {
    }

    /** Where a table's copy stands. */
    /**
     * @param deferred what was dropped for the copy and is to be created again, as SQL; empty when nothing
     */
    record Checkpoint(String table, String state, String cursor, long rowsRead, long rowsInserted, long rowsTotal,
            Instant startedAt, Instant finishedAt, List<String> deferred) {

        public Checkpoint {
            deferred = deferred == null ? List.of() : List.copyOf(deferred);
        }

        public static final String COPYING = "copying";
        public static final String DONE = "done";

        public boolean done() {
            return DONE.equals(state);
        }
    }
}
