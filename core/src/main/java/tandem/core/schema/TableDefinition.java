package tandem.core.schema;

import java.util.List;

/**
 * A table as the new store should have it, or as a PostgreSQL store has it: everything that
 * decides whether a copied row is stored exactly or refused.
 *
 * @param primaryKey the primary key's columns in key order; empty when the table has none
 * @param notes what could not be carried over, printed as comments above the table's DDL
 */
public record TableDefinition(String name, List<ColumnDefinition> columns, List<String> primaryKey,
        List<UniqueConstraint> uniques, List<CheckConstraint> checks, List<ForeignKeyDefinition> foreignKeys,
        List<IndexDefinition> indexes, List<String> notes) {

    public TableDefinition {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniques = List.copyOf(uniques);
        checks = List.copyOf(checks);
        foreignKeys = List.copyOf(foreignKeys);
        indexes = List.copyOf(indexes);
        notes = List.copyOf(notes);
    }

    /** The column named {@code name} (case-insensitive), or null. */
    public ColumnDefinition column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    /** A UNIQUE constraint; {@code name} is null when PostgreSQL should name it. */
    public record UniqueConstraint(String name, List<String> columns) {
        public UniqueConstraint {
            columns = List.copyOf(columns);
        }
    }

    /** A CHECK constraint in PostgreSQL's syntax; {@code name} is null when PostgreSQL should name it. */
    public record CheckConstraint(String name, String expression) {
    }

    /**
     * A foreign key; the actions are SQL words ({@code NO ACTION}, {@code CASCADE},
     * {@code SET NULL}, {@code SET DEFAULT}, {@code RESTRICT}).
     */
    public record ForeignKeyDefinition(String name, List<String> columns, String referencedTable,
            List<String> referencedColumns, String onDelete, String onUpdate) {
        public ForeignKeyDefinition {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }
    }

    /**
     * An index other than the primary key and the UNIQUE constraints.
     *
     * @param keys each key as DDL spells it: a quoted column, possibly followed by {@code DESC}
     * @param where the predicate of a partial index in PostgreSQL's syntax, or null
     */
    public record IndexDefinition(String name, boolean unique, List<String> keys, String where) {
        public IndexDefinition {
            keys = List.copyOf(keys);
        }
    }
}
