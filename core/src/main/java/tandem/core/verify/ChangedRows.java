package tandem.core.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.mirror.Changes;
import tandem.core.mirror.Key;

/**
 * The rows this tandem wrote on the old store since the last clean verification, by key: what a
 * cutover compares in both stores to know they agree without reading every row again. Kept in
 * memory, at most {@code limit} keys: past that, or for what was written before this tandem
 * started, the keys are not known here, and {@link #knownSince()} says from when they are.
 */
public final class ChangedRows {

    private static final Logger log = LoggerFactory.getLogger(ChangedRows.class);

    /**
     * Rows written this long before a verification started still count as changed after it: the
     * verification may have read them before their sync, and its start is another machine's clock
     * when the command line ran it.
     */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private final int limit;
    private final Clock clock;
    private final Map<String, Map<Key, Instant>> byTable = new HashMap<>();
    private int size;
    private Instant knownSince;

    public ChangedRows(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
        this.knownSince = clock.instant();
    }

    /** A transaction's rows, committed on the old store. */
    public void changed(Changes changes) {
        if (changes.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        synchronized (this) {
            changes.keysByTable().forEach((table, keys) -> {
                Map<Key, Instant> known = byTable.computeIfAbsent(table, t -> new HashMap<>());
                for (Key key : keys) {
                    if (known.put(key, now) == null) {
                        size++;
                    }
                }
            });
            if (size > limit) {
                log.warn("more than {} rows changed since the last clean verification: tandem stops keeping their keys; "
                        + "a cutover will need a verification that starts after now first", limit);
                byTable.clear();
                size = 0;
                knownSince = now;
            }
        }
    }

    /** A verification of the whole store that started at {@code startedAt} came back clean: older changes are proven. */
    public synchronized void verified(Instant startedAt) {
        Instant before = startedAt.minus(MARGIN);
        byTable.values().forEach(keys -> keys.values().removeIf(at -> at.isBefore(before)));
        byTable.values().removeIf(Map::isEmpty);
        size = byTable.values().stream().mapToInt(Map::size).sum();
    }

    /** From when every row this tandem changed is known here: its start, or the moment it had to forget. */
    public synchronized Instant knownSince() {
        return knownSince;
    }

    /** The keys changed at {@code from} (less the margin) or later, by table. */
    public synchronized Map<String, Set<Key>> since(Instant from) {
        Instant after = from.minus(MARGIN);
        Map<String, Set<Key>> out = new LinkedHashMap<>();
        byTable.forEach((table, keys) -> keys.forEach((key, at) -> {
            if (!at.isBefore(after)) {
                out.computeIfAbsent(table, t -> new LinkedHashSet<>()).add(key);
            }
        }));
        return out;
    }

    public synchronized int size() {
        return size;
    }
}
