package tandem.core.schema;

import java.util.List;

/**
 * The tables of one store as PostgreSQL DDL would create them, and what could not be carried over
 * faithfully ({@code warnings}, one line each, naming the table and column).
 */
public record SchemaDefinition(List<TableDefinition> tables, List<String> warnings) {

    public SchemaDefinition {
        tables = List.copyOf(tables);
        warnings = List.copyOf(warnings);
    }

    /** The table named {@code name} (case-insensitive), or null. */
    public TableDefinition table(String name) {
        return tables.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }
}
