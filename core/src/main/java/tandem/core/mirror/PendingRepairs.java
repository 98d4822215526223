package tandem.core.mirror;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The tables whose rows the secondary may not have yet (their syncs failed or timed out and wait
 * in the repair log): reads of them stay on the primary until the drainer has caught up.
 *
 * <p>The router asks on every routed read, so {@link #contains} is one lookup in a concurrent map
 * (and nothing at all while the set is empty). Names are kept lower-case: SQL folds unquoted names,
 * and a table named in two spellings is still one table.
 *
 * <p>Two writers keep it: a mirror whose sync failed adds its tables at once, and the drainer
 * replaces the set with the repair log's backlog after each pass. A backlog read that started
 * before a table was added must not remove it (its entries may not have been visible to that
 * read), so each addition carries a generation and {@link #retainOnly} removes only tables added
 * before the read began.
 */
public final class PendingRepairs {

    private final Map<String, Long> tables = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public boolean contains(String table) {
        return !tables.isEmpty() && tables.containsKey(table.toLowerCase(Locale.ROOT));
    }

    public boolean isEmpty() {
        return tables.isEmpty();
    }

    public void add(String table) {
        tables.put(table.toLowerCase(Locale.ROOT), generation.incrementAndGet());
    }

    public void addAll(Collection<String> names) {
        names.forEach(this::add);
    }

    /** Call before reading the backlog; pass the result to {@link #retainOnly}. */
    public long mark() {
        return generation.incrementAndGet();
    }

    /**
     * Makes the set the backlog's tables: adds those, and removes tables absent from it that were
     * added before {@code mark} (taken before the backlog was read).
     */
    public void retainOnly(Collection<String> backlogTables, long mark) {
        Set<String> keep = backlogTables.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String table : keep) {
            tables.putIfAbsent(table, mark);
        }
        tables.entrySet().removeIf(e -> !keep.contains(e.getKey()) && e.getValue() < mark);
    }

    public Set<String> tables() {
        return Set.copyOf(tables.keySet());
    }

    @Override
    public String toString() {
        return "PendingRepairs" + tables.keySet();
    }
}
