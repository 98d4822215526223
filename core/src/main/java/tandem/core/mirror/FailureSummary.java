package tandem.core.mirror;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drainer's failed attempts, summed up in one log line per period instead of one per
 * transaction: thousands of children waiting for parents that the backfill has not copied yet are
 * expected and must not bury the log. The line gives counts per table and cause, the first
 * failing key and its error; it is a warning only when some cause needs an operator's look.
 */
final class FailureSummary {

    private static final Logger log = LoggerFactory.getLogger(RepairDrainer.class);

    private record TableCause(String table, SyncFailure cause) implements Comparable<TableCause> {
        @Override
        public int compareTo(TableCause o) {
            int byTable = table.compareTo(o.table);
            return byTable != 0 ? byTable : cause.compareTo(o.cause);
        }
    }

    private static final class Seen {
        int transactions;
        final Key firstKey;
        final String firstError;

        Seen(Key firstKey, String firstError) {
            this.firstKey = firstKey;
            this.firstError = firstError;
        }
    }

    private final Duration every;
    private final Clock clock;
    private final Map<TableCause, Seen> seen = new TreeMap<>();
    private Instant since;
    private Instant next = Instant.MIN;

    FailureSummary(Duration every, Clock clock) {
        this.every = every;
        this.clock = clock;
    }

    /** A transaction failed; {@code first} is its first entry, whose table and key the summary names. */
    void add(SyncFailure cause, RepairLog.Entry first, String error) {
        if (seen.isEmpty()) {
            since = clock.instant();
        }
        seen.computeIfAbsent(new TableCause(first.table(), cause), k -> new Seen(first.key(), error)).transactions++;
    }

    /** Logs what failed since the last line, if anything did and a period has passed since that line. */
    void report(RepairLog.Backlog backlog) {
        Instant now = clock.instant();
        if (seen.isEmpty() || now.isBefore(next)) {
            return;
        }
        int total = 0;
        boolean needsLook = false;
        StringBuilder tables = new StringBuilder();
        for (Map.Entry<TableCause, Seen> e : seen.entrySet()) {
            Seen s = e.getValue();
            total += s.transactions;
            needsLook |= !e.getKey().cause().expected();
            tables.append(tables.isEmpty() ? "" : "; ").append(e.getKey().table()).append(": ").append(s.transactions)
                    .append(' ').append(e.getKey().cause().label()).append(", first key ").append(s.firstKey)
                    .append(": ").append(s.firstError);
        }
        long seconds = Math.max(1, Duration.between(since, now).toSeconds());
        String line = "repair drainer: " + total + " transactions not synced in the last " + seconds + " s, each tried "
                + "again after its back-off (" + tables + "); backlog " + backlog.rows() + " rows. ";
        if (needsLook) {
            log.warn(line + "Rows refused for their data or a constraint need a look: each table's last error is in "
                    + "GET /api/status (repair.tables)");
        } else {
            log.info(line + "Children whose parents are not on the new store yet drain by themselves once the parents "
                    + "arrive (backfill, a later write, or the verifier's repair)");
        }
        seen.clear();
        next = now.plus(every);
    }
}
