package tandem.core.mirror;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The durable record, in the primary store, of rows written but not yet known to be on the
 * secondary. Entries are written in the client's own transaction on the primary (so they commit
 * or roll back with its rows), removed once their sync succeeded, and retried by the drainer
 * otherwise: after a failed sync, or when a proxy died before its sync finished.
 */
public interface RepairLog {

    /** Creates the log's table in the store if missing (PostgreSQL: schema {@code tandem}; SQLite: {@code tandem_} tables). */
    void ensureCreated();

    /**
     * Entries to retry, oldest first: those whose sync failed, and those older than
     * {@code olderThan} (their session's sync never finished). Keys are decoded with the store's
     * schema.
     */
    List<Entry> due(int limit, Duration olderThan);

    /** A sync succeeded: its transaction's entries go. */
    void removeToken(String token);

    /** Syncs succeeded: the entries of these transactions go (a store may do it in one statement). */
    default void removeTokens(Collection<String> tokens) {
        for (String token : tokens) {
            removeToken(token);
        }
    }

    void remove(Collection<Long> ids);

    /** A session's sync failed or timed out: its entries become pending repairs. */
    void markFailed(String token, String error);

    /** The drainer tried and failed again. */
    void recordAttempt(Collection<Long> ids, String error);

    Backlog backlog();

    /**
     * One row written but not known to be on the secondary.
     *
     * @param table the table as the primary names it
     * @param key the key in the primary's value model; null when it cannot be read with the
     *     store's current schema (the table was dropped or its key changed), which the drainer
     *     records as the entry's error rather than guess
     */
    record Entry(long id, String token, String table, Key key, Instant enqueuedAt, int attempts) {
    }

    /** What waits: rows, since when, and which tables (their reads stay on the primary). */
    record Backlog(long rows, Instant oldest, Set<String> pendingTables) {
        public static final Backlog EMPTY = new Backlog(0, null, Set.of());
    }
}
