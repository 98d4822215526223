package tandem.core.mirror;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
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
     * Entries to retry: those whose sync failed and whose next attempt is due by {@code now} (the
     * drainer's clock, which also wrote the attempt's time), and those older than {@code olderThan}
     * by the store's clock (their session's sync never finished). Entries that back off are not
     * due, so however many there are, they never hide others. The order is fair: each table's
     * entries in the order they became due, the tables taking turns, so a table whose rows keep
     * failing does not hold up another's. Keys are decoded with the store's schema.
     */
    List<Entry> due(int limit, Duration olderThan, Instant now);

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

    /**
     * The drainer tried and failed again: the entries are tried next at {@code nextAttempt} (the
     * back-off is kept in the log, so a restart or another replica keeps it).
     */
    void recordAttempt(Collection<Long> ids, String error, Instant nextAttempt);

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

    /** What waits: rows, since when, and in which tables (their reads stay on the primary). */
    record Backlog(long rows, Instant oldest, List<TableBacklog> tables) {
        public static final Backlog EMPTY = new Backlog(0, null, List.of());

        /** Sums the tables' rows and takes their oldest entry. */
        public static Backlog of(List<TableBacklog> tables) {
            long rows = 0;
            Instant oldest = null;
            for (TableBacklog t : tables) {
                rows += t.rows();
                oldest = oldest == null || t.oldest().isBefore(oldest) ? t.oldest() : oldest;
            }
            return rows == 0 ? EMPTY : new Backlog(rows, oldest, List.copyOf(tables));
        }

        public Set<String> pendingTables() {
            Set<String> names = new LinkedHashSet<>();
            tables.forEach(t -> names.add(t.table()));
            return names;
        }
    }

    /**
     * What waits in one table.
     *
     * @param attempts the most attempts any of its entries has had
     * @param lastError the error of its most recently failed attempt; null when none failed yet
     */
    record TableBacklog(String table, long rows, Instant oldest, int attempts, String lastError) {
    }
}
