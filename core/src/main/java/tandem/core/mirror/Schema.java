package tandem.core.mirror;

import java.util.Map;

/** The tables of one store, as introspected; names of tandem's own tables are left out. */
public interface Schema {

    /** By name, in the store's spelling. */
    Map<String, Table> tables();

    /**
     * Tables the store has but tandem cannot describe in its value model (a column of a type it
     * does not map, such as PostgreSQL's inet or a SQLite virtual table), by name, with the reason.
     * They are not in {@link #tables()}; mirroring them is an error unless they are excluded.
     */
    default Map<String, String> unmirrorable() {
        return Map.of();
    }

    /** The table named {@code name} (case-insensitive), or null. */
    default Table table(String name) {
        Table exact = tables().get(name);
        if (exact != null) {
            return exact;
        }
        return tables().values().stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    /** The reason table {@code name} (case-insensitive) cannot be mirrored, or null if it can or does not exist. */
    default String unmirrorableReason(String name) {
        String exact = unmirrorable().get(name);
        if (exact != null) {
            return exact;
        }
        return unmirrorable().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** A schema read once: the tables and the unmirrorable ones as given. */
    record Snapshot(Map<String, Table> tables, Map<String, String> unmirrorable) implements Schema {
        public Snapshot {
            tables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
            unmirrorable = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unmirrorable));
        }
    }
}
