package tandem.adapters.sqlite;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import tandem.core.mirror.Column;
import tandem.core.mirror.Key;
import tandem.core.mirror.KeyCodec;
import tandem.core.mirror.RowReader;
import tandem.core.mirror.Table;
import tandem.core.type.PgType;

/**
 * Reads rows of a SQLite store by primary key on a reader connection (autocommit: each statement
 * sees what was committed when it started; in WAL mode it never waits for the writer), a batch of
 * keys per statement, values converted as the emulation converts them ({@link StoredValues}).
 *
 * <p>A key is looked up in the form the emulation stores its type in (ISO text for times, 0/1 for
 * booleans, lower-case text for a uuid). A uuid key is also looked up in upper case and as 16 bytes,
 * because an application that wrote SQLite before tandem may have stored it either way, and a key
 * not found would be deleted from the secondary. Rows are matched back to the requested keys by
 * their canonical text.
 */
final class SqliteRowReader implements RowReader {

    private static final int BATCH = 500;

    private final SqliteStore store;

    SqliteRowReader(SqliteStore store) {
        this.store = store;
    }

    @Override
    public Map<Key, Object[]> read(Table table, Collection<Key> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Lease lease = store.acquire(false);
        try {
            return read(lease.pooled, table, new ArrayList<>(keys));
        } catch (SQLException e) {
            throw store.failure("reading rows of " + table.name() + " by key", e);
        } finally {
            lease.release();
        }
    }

    private static Map<Key, Object[]> read(Connection c, Table table, List<Key> keys) throws SQLException {
        List<Column> keyColumns = table.keyColumns();
        ColumnType[] types = declaredTypes(table);
        int[] keyIndex = table.keyPositions();
        Map<String, Key> requested = new HashMap<>();
        for (Key key : keys) {
            requested.put(KeyCodec.canonical(keyColumns, key), key);
        }
        String select = "SELECT " + String.join(", ", table.columns().stream().map(col -> SqliteSchemaReader.quote(
                col.name())).toList()) + " FROM " + SqliteSchemaReader.quote(table.name()) + " WHERE ";
        Map<Key, Object[]> rows = new LinkedHashMap<>();
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<List<Object>> tuples = new ArrayList<>();
            for (Key key : keys.subList(from, Math.min(keys.size(), from + BATCH))) {
                tuples.addAll(storedForms(keyColumns, key));
            }
            String where;
            if (keyColumns.size() == 1) {
                where = SqliteSchemaReader.quote(table.key().get(0)) + " IN (" + String.join(", ",
                        java.util.Collections.nCopies(tuples.size(), "?")) + ")";
            } else {
                String tuple = "(" + String.join(", ", java.util.Collections.nCopies(keyColumns.size(), "?")) + ")";
                where = "(" + String.join(", ", table.key().stream().map(SqliteSchemaReader::quote).toList())
                        + ") IN (VALUES " + String.join(", ", java.util.Collections.nCopies(tuples.size(), tuple)) + ")";
            }
            try (PreparedStatement ps = c.prepareStatement(select + where)) {
                int p = 1;
                for (List<Object> tuple : tuples) {
                    for (Object v : tuple) {
                        ParameterBinder.bind(ps, p++, v);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] row = row(rs, table, types);
                        Key key = requested.get(KeyCodec.canonical(keyColumns, Key.at(row, keyIndex)));
                        if (key != null) {
                            rows.put(key, row);
                        }
                    }
                }
            }
        }
        return rows;
    }

    /** Each column's type as declared, the way {@link #row} reads it. */
    static ColumnType[] declaredTypes(Table table) {
        return table.columns().stream().map(c -> TypeNames.declared(c.declaredType())).toArray(ColumnType[]::new);
    }

    /** The current row of {@code rs}, whose first columns are {@code table}'s, in the value model. */
    static Object[] row(ResultSet rs, Table table, ColumnType[] types) throws SQLException {
        Object[] row = new Object[types.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = value(rs.getObject(i + 1), types[i], table.name(), table.columns().get(i).name());
        }
        return row;
    }

    /** A declared column's value in the value model; an undeclared one's as SQLite keeps it (Long, Double, String, byte[]). */
    static Object value(Object raw, ColumnType type, String table, String column) {
        if (type.basis() != ColumnType.Basis.DECLARED) {
            return raw instanceof Integer i ? Long.valueOf(i) : raw;
        }
        return StoredValues.convert(raw, type, table, column);
    }

    /** Every combination of the forms each key value may be stored in. */
    private static List<List<Object>> storedForms(List<Column> keyColumns, Key key) {
        List<List<Object>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        for (int k = 0; k < keyColumns.size(); k++) {
            List<Object> forms = forms(keyColumns.get(k).type(), key.values().get(k));
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> prefix : out) {
                for (Object form : forms) {
                    List<Object> tuple = new ArrayList<>(prefix);
                    tuple.add(form);
                    next.add(tuple);
                }
            }
            out = next;
        }
        return out;
    }

    private static List<Object> forms(PgType type, Object v) {
        if (type == PgType.UUID && v instanceof UUID u) {
            String text = u.toString();
            byte[] bytes = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                    .array();
            return List.of(text, text.toUpperCase(Locale.ROOT), bytes);
        }
        return List.of(v);
    }
}
