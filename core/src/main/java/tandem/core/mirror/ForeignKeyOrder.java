package tandem.core.mirror;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The order in which tables can be written so that foreign keys hold: referenced tables first. */
public final class ForeignKeyOrder {

    private ForeignKeyOrder() {
    }

    /**
     * The tables with those they reference (among these) before them; ties and cycles in name
     * order, self-references ignored (one multi-row statement holds both rows).
     */
    public static List<Table> parentsFirst(Collection<Table> tables) {
        Map<String, Table> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        tables.forEach(t -> byName.put(t.name(), t));
        List<Table> out = new ArrayList<>();
        Set<String> placed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        while (out.size() < byName.size()) {
            boolean progress = false;
            for (Table t : byName.values()) {
                if (placed.contains(t.name())) {
                    continue;
                }
                boolean ready = t.foreignKeys().stream().map(Table.ForeignKey::referencedTable)
                        .filter(r -> !r.equalsIgnoreCase(t.name()) && byName.containsKey(r))
                        .allMatch(placed::contains);
                if (ready) {
                    out.add(t);
                    placed.add(t.name());
                    progress = true;
                }
            }
            if (!progress) {
                // a cycle of foreign keys: the first unplaced table goes next, and the store decides
                Table next = byName.values().stream().filter(t -> !placed.contains(t.name())).findFirst().orElseThrow();
                out.add(next);
                placed.add(next.name());
            }
        }
        return out;
    }
}
