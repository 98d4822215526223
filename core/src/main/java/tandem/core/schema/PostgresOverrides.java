package tandem.core.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.ValueConverter;
import tandem.core.type.PgType;

/**
 * {@code schema.columns} for a PostgreSQL old store: its tables are copied as they are, each
 * overridden column with the type asked for, if tandem's mirror converts the column's values to it.
 */
public final class PostgresOverrides {

    private PostgresOverrides() {
    }

    /** @throws ProxyException listing every override that names no column or a type values cannot convert to */
    public static SchemaDefinition apply(SchemaDefinition old, Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return old;
        }
        List<String> problems = new ArrayList<>();
        Map<String, PostgresTypeName> types = new java.util.HashMap<>();
        overrides.forEach((key, type) -> {
            int dot = key.indexOf('.');
            TableDefinition table = dot < 0 ? null : old.table(key.substring(0, dot));
            ColumnDefinition column = table == null ? null : table.column(key.substring(dot + 1));
            if (column == null) {
                problems.add("schema.columns." + key + ": the old store has no such column; correct the name or remove "
                        + "the key");
                return;
            }
            try {
                PostgresTypeName to = PostgresTypeName.parse(type);
                PgType from = PostgresTypeName.introspected(column.type()).valueType();
                String why = from == null ? "tandem does not copy " + column.type() + " values"
                        : ValueConverter.incompatibility(from, to.valueType());
                if (why != null) {
                    problems.add("schema.columns." + key + ": " + column.type() + " cannot become " + to.sql() + ": " + why);
                } else {
                    types.put(key.toLowerCase(Locale.ROOT), to);
                }
            } catch (IllegalArgumentException e) {
                problems.add("schema.columns." + key + ": " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "schema.columns cannot be applied:\n  "
                    + String.join("\n  ", problems), null, "correct schema.columns in the config");
        }
        List<TableDefinition> tables = old.tables().stream().map(t -> new TableDefinition(t.name(), t.columns().stream()
                .map(c -> {
                    PostgresTypeName to = types.get((t.name() + "." + c.name()).toLowerCase(Locale.ROOT));
                    return to == null ? c : new ColumnDefinition(c.name(), to.sql(), c.notNull(), c.defaultExpression(),
                            c.identity());
                }).toList(), t.primaryKey(), t.uniques(), t.checks(), t.foreignKeys(), t.indexes(), t.notes())).toList();
        return new SchemaDefinition(tables, old.warnings());
    }
}
