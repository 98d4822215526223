package tandem.loadtest;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import tandem.core.type.PgType;

/**
 * What one store's JDBC metadata says about its tables: names, columns with their types, primary
 * keys. A PostgreSQL store is read in its current schema; tandem's own tables are left out.
 */
final class StoreCatalog {

    /** A column as the store declares it; {@code type} is null when tandem does not know the type. */
    record StoreColumn(String name, String typeName, PgType type) {
    }

    private static final Map<String, PgType> TYPES = new TreeMap<>();

    static {
        for (PgType t : PgType.values()) {
            TYPES.put(t.typname(), t);
        }
        // pgjdbc reports serial columns by the name they were declared with
        TYPES.put("smallserial", PgType.INT2);
        TYPES.put("serial", PgType.INT4);
        TYPES.put("bigserial", PgType.INT8);
    }

    private final DatabaseMetaData meta;
    private final String schema;
    private final boolean sqlite;

    StoreCatalog(Connection c) throws SQLException {
        this.meta = c.getMetaData();
        this.sqlite = meta.getDatabaseProductName().equalsIgnoreCase("SQLite");
        this.schema = sqlite ? null : c.getSchema();
    }

    boolean isSqlite() {
        return sqlite;
    }

    /** The application's tables, without tandem's own ({@code tandem_*}) and SQLite's ({@code sqlite_*}). */
    List<String> tables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.startsWith("tandem_") && !lower.startsWith("sqlite_")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The table's name as this store spells it, found without regard to case; null when it has none. */
    String find(String table) throws SQLException {
        for (String name : tables()) {
            if (name.equalsIgnoreCase(table)) {
                return name;
            }
        }
        return null;
    }

    List<StoreColumn> columns(String table) throws SQLException {
        List<StoreColumn> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, schema, escape(table), "%")) {
            while (rs.next()) {
                String typeName = rs.getString("TYPE_NAME");
                columns.add(new StoreColumn(rs.getString("COLUMN_NAME"), typeName,
                        sqlite ? null : TYPES.get(typeName.toLowerCase(Locale.ROOT))));
            }
        }
        return columns;
    }

    /** The primary key's columns in key order; empty when the table has none. */
    List<String> primaryKey(String table) throws SQLException {
        Map<Integer, String> bySeq = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) {
                bySeq.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(bySeq.values());
    }

    /** Table names go to getColumns as LIKE patterns, in which analytics_events's underscore matches any character. */
    private String escape(String name) throws SQLException {
        String escape = meta.getSearchStringEscape();
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }
}
