package tandem.core.mirror;

import java.util.Map;

/** The tables of one store, as introspected; names of tandem's own tables are left out. */
public interface Schema {

    /** By name, in the store's spelling. */
    Map<String, Table> tables();

    /** The table named {@code name} (case-insensitive), or null. */
    default Table table(String name) {
        Table exact = tables().get(name);
        if (exact != null) {
            return exact;
        }
        return tables().values().stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }
}
