package tandem.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code tandem schema} types the new store's tables.
 *
 * @param columns per-column PostgreSQL types that replace the generated ones, keyed
 *     {@code table.column} (as the old store spells them, case-insensitive), e.g.
 *     {@code users.created_at: timestamptz}; the schema command checks each type against the
 *     column's values and the mirror's conversions
 */
public record SchemaConfig(Map<String, String> columns) {

    public SchemaConfig {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    public static SchemaConfig defaults() {
        return new SchemaConfig(Map.of());
    }
}
