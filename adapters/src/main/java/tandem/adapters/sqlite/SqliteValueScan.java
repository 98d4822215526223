package tandem.adapters.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.mirror.ValueConverter;
import tandem.core.schema.ColumnValues;
import tandem.core.type.PgType;

/**
 * Reads every row of a table once and tests each value the way tandem's copy will treat it: read
 * as the column's declared type ({@link SqliteRowReader#value}), then converted to the candidate
 * PostgreSQL type ({@link ValueConverter}), and for json also parsed, since PostgreSQL refuses
 * JSON text that does not parse.
 */
final class SqliteValueScan {

    private SqliteValueScan() {
    }

    static Map<String, ColumnValues> scan(Connection c, Table table, Function<Column, PgType> candidate)
            throws SQLException {
        List<Column> columns = table.columns();
        int n = columns.size();
        ColumnType[] declared = columns.stream().map(col -> TypeNames.declared(col.declaredType()))
                .toArray(ColumnType[]::new);
        PgType[] targets = columns.stream().map(candidate).toArray(PgType[]::new);
        long[] values = new long[n];
        long[] unreadable = new long[n];
        long[] misfits = new long[n];
        String[] example = new String[n];
        List<Set<String>> classes = columns.stream().map(col -> (Set<String>) new HashSet<String>()).toList();
        String select = "SELECT " + columns.stream().map(col -> SqliteSchemaReader.quote(col.name()))
                .collect(Collectors.joining(", ")) + " FROM " + SqliteSchemaReader.quote(table.name());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select)) {
            while (rs.next()) {
                for (int i = 0; i < n; i++) {
                    Object raw = rs.getObject(i + 1);
                    if (raw == null) {
                        continue;
                    }
                    values[i]++;
                    classes.get(i).add(storageClass(raw));
                    Object read;
                    try {
                        read = SqliteRowReader.value(raw, declared[i], table.name(), columns.get(i).name());
                    } catch (RuntimeException e) {
                        if (unreadable[i]++ == 0 && misfits[i] == 0) {
                            example[i] = describe(raw);
                        }
                        continue;
                    }
                    if (targets[i] != PgType.UNKNOWN && !fits(targets[i], read)) {
                        if (misfits[i]++ == 0 && unreadable[i] == 0) {
                            example[i] = describe(raw);
                        }
                    }
                }
            }
        }
        Map<String, ColumnValues> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(columns.get(i).name(), new ColumnValues(values[i], classes.get(i), unreadable[i], misfits[i],
                    example[i]));
        }
        return out;
    }

    private static boolean fits(PgType target, Object value) {
        try {
            Object converted = ValueConverter.as(target, value);
            return (target != PgType.JSON && target != PgType.JSONB) || converted instanceof String s
                    && JsonSyntax.isValid(s);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String storageClass(Object raw) {
        return switch (raw) {
            case Integer i -> "integer";
            case Long l -> "integer";
            case Double d -> "real";
            case byte[] b -> "blob";
            default -> "text";
        };
    }

    private static String describe(Object raw) {
        if (raw instanceof byte[] b) {
            return "a BLOB of " + b.length + " bytes";
        }
        String s = String.valueOf(raw);
        return "'" + (s.length() <= 40 ? s : s.substring(0, 37) + "...") + "'";
    }
}
