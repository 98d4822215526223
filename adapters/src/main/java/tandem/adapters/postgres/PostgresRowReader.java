package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import tandem.core.mirror.Column;
import tandem.core.mirror.Key;
import tandem.core.mirror.KeyCodec;
import tandem.core.mirror.RowReader;
import tandem.core.mirror.Table;

/**
 * Reads rows of a PostgreSQL store by primary key, a batch per statement: the key values go as one
 * text array per key column, cast to the column's type on the server
 * ({@code WHERE (k1, k2) IN (SELECT * FROM unnest($1::text[]::uuid[], $2::text[]::int4[]))}), so
 * the statement is the same for any batch size and the key index is used. Each statement runs in
 * autocommit and sees what was committed when it started.
 *
 * <p>Rows are matched to the requested keys by the keys' canonical text, so a key asked for as an
 * Integer finds its int8 row, and one asked for as {@code 1.5} finds the numeric {@code 1.50}.
 */
final class PostgresRowReader implements RowReader {

    static final int BATCH = 1000;

    private final String store;
    private final DataSource pool;
    private final PostgresCatalog catalog;

    PostgresRowReader(String store, DataSource pool, PostgresCatalog catalog) {
        this.store = store;
        this.pool = pool;
        this.catalog = catalog;
    }

    @Override
    public Map<Key, Object[]> read(Table table, Collection<Key> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        try (Connection c = pool.getConnection()) {
            return read(c, table, keys);
        } catch (SQLException e) {
            catalog.invalidate();
            throw PgErrors.translate(store, "reading rows of " + table.name() + " by key", e);
        }
    }

    /**
     * Several tables over one connection: when each has at most {@link #BATCH} keys, one statement
     * per table, all sent in one round trip (pgjdbc pipelines the statements of one text and waits
     * once); each statement sees what was committed when it started, as {@link #read} does.
     */
    @Override
    public Map<Table, Map<Key, Object[]>> readAll(Map<Table, ? extends Collection<Key>> keysByTable) {
        Map<Table, Map<Key, Object[]>> result = new LinkedHashMap<>();
        List<Table> tables = new ArrayList<>();
        boolean small = true;
        for (Map.Entry<Table, ? extends Collection<Key>> e : keysByTable.entrySet()) {
            if (e.getValue().isEmpty()) {
                result.put(e.getKey(), Map.of());
            } else {
                tables.add(e.getKey());
                small &= e.getValue().size() <= BATCH;
            }
        }
        if (tables.isEmpty()) {
            return result;
        }
        try (Connection c = pool.getConnection()) {
            if (tables.size() == 1 || !small) {
                for (Table table : tables) {
                    result.put(table, read(c, table, keysByTable.get(table)));
                }
                return result;
            }
            StringBuilder sql = new StringBuilder();
            for (Table table : tables) {
                sql.append(sql.isEmpty() ? "" : ";\n").append(select(c, table));
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (Table table : tables) {
                    p = bindKeys(c, ps, p, table.keyColumns(), new ArrayList<>(keysByTable.get(table)));
                }
                boolean isResult = ps.execute();
                for (Table table : tables) {
                    if (!isResult) {
                        throw new SQLException("expected the rows of " + table.name() + " from a pipelined read");
                    }
                    Map<Key, Object[]> rows = new LinkedHashMap<>();
                    try (ResultSet rs = ps.getResultSet()) {
                        collect(rs, table, requested(table, keysByTable.get(table)), rows);
                    }
                    result.put(table, rows);
                    isResult = ps.getMoreResults();
                }
            }
            return result;
        } catch (SQLException e) {
            catalog.invalidate();
            throw PgErrors.translate(store, "reading rows of " + tables.stream().map(Table::name).toList() + " by key",
                    e);
        }
    }

    Map<Key, Object[]> read(Connection c, Table table, Collection<Key> keys) throws SQLException {
        List<Column> keyColumns = table.keyColumns();
        Map<String, Key> requested = requested(table, keys);
        Map<Key, Object[]> rows = new LinkedHashMap<>();
        List<Key> all = new ArrayList<>(keys);
        try (PreparedStatement ps = c.prepareStatement(select(c, table))) {
            for (int from = 0; from < all.size(); from += BATCH) {
                bindKeys(c, ps, 1, keyColumns, all.subList(from, Math.min(all.size(), from + BATCH)));
                try (ResultSet rs = ps.executeQuery()) {
                    collect(rs, table, requested, rows);
                }
            }
        }
        return rows;
    }

    private String select(Connection c, Table table) throws SQLException {
        return "SELECT " + columnList(table) + " FROM " + PostgresCatalog.quote(table.name()) + " WHERE "
                + keyMatch(c, table, "IN");
    }

    private static Map<String, Key> requested(Table table, Collection<Key> keys) {
        List<Column> keyColumns = table.keyColumns();
        Map<String, Key> requested = new HashMap<>();
        for (Key key : keys) {
            requested.put(KeyCodec.canonical(keyColumns, key), key);
        }
        return requested;
    }

    /** The rows of a result, by the requested key each has (matched by canonical text). */
    private static void collect(ResultSet rs, Table table, Map<String, Key> requested, Map<Key, Object[]> rows)
            throws SQLException {
        List<Column> keyColumns = table.keyColumns();
        int[] keyIndex = table.keyPositions();
        while (rs.next()) {
            Object[] row = PgJdbcValues.row(rs, table);
            Key key = requested.get(KeyCodec.canonical(keyColumns, Key.at(row, keyIndex)));
            if (key != null) {
                rows.put(key, row);
            }
        }
    }

    static String columnList(Table table) {
        return String.join(", ", table.columns().stream().map(col -> PostgresCatalog.quote(col.name())).toList());
    }

    /**
     * {@code "k" = ANY (CAST(? AS text[])::uuid[])}, or {@code ("k1", "k2") IN (SELECT * FROM
     * unnest(...))} for a composite key; {@code how} is IN (or NOT IN).
     */
    String keyMatch(Connection c, Table table, String how) throws SQLException {
        List<String> casts = new ArrayList<>();
        for (String k : table.key()) {
            casts.add("CAST(? AS text[])::" + catalog.column(c, table.name(), k).castType() + "[]");
        }
        if (table.key().size() == 1) {
            String column = PostgresCatalog.quote(table.key().get(0));
            return how.equals("IN") ? column + " = ANY (" + casts.get(0) + ")" : "NOT (" + column + " = ANY ("
                    + casts.get(0) + "))";
        }
        return "(" + String.join(", ", table.key().stream().map(PostgresCatalog::quote).toList()) + ") " + how
                + " (SELECT * FROM unnest(" + String.join(", ", casts) + "))";
    }

    /** One text array per key column, from parameter {@code first} on. */
    static int bindKeys(Connection c, PreparedStatement ps, int first, List<Column> keyColumns, List<Key> keys)
            throws SQLException {
        for (int k = 0; k < keyColumns.size(); k++) {
            String[] texts = new String[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                Object v = keys.get(i).values().get(k);
                texts[i] = v == null ? null : PgJdbcValues.text(keyColumns.get(k).type(), v);
            }
            ps.setArray(first + k, c.createArrayOf("text", texts));
        }
        return first + keyColumns.size();
    }
}
