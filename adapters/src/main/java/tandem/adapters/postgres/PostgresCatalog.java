package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * What tandem's reads and writes by key need to know about a table beyond its {@code Table}: each
 * column's type name to cast parameters to (without a modifier, so that the column's own
 * {@code varchar(255)} or {@code numeric(10,2)} checks the value on assignment rather than a cast
 * truncating it), whether it is {@code GENERATED ALWAYS AS IDENTITY} (inserts need
 * {@code OVERRIDING SYSTEM VALUE}) or a generated column (never written), and the sequence behind
 * a serial or identity column.
 *
 * <p>Read once per table and kept; {@link #invalidate()} drops everything after a failed write,
 * so a table altered under tandem is read again.
 */
final class PostgresCatalog {

    record ColumnInfo(String name, String castType, boolean identityAlways, boolean generated, String sequence) {
    }

    private final Map<String, Map<String, ColumnInfo>> tables = new ConcurrentHashMap<>();

    /** The table's columns by name (as the catalog spells them). */
    Map<String, ColumnInfo> columns(Connection c, String table) throws SQLException {
        Map<String, ColumnInfo> known = tables.get(table);
        if (known != null) {
            return known;
        }
        Map<String, ColumnInfo> columns = new LinkedHashMap<>();
        // format_type(bpchar, NULL) is "character", which is char(1): a cast to it would cut 'ab' to 'a'
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, CASE a.atttypid WHEN 'bpchar'::regtype "
                + "THEN 'bpchar' WHEN '_bpchar'::regtype THEN 'bpchar[]' ELSE format_type(a.atttypid, NULL) END, "
                + "a.attidentity = 'a', a.attgenerated <> '', pg_get_serial_sequence(quote_ident(?), a.attname) "
                + "FROM pg_attribute a WHERE a.attrelid = quote_ident(?)::regclass AND a.attnum > 0 "
                + "AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, table);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), new ColumnInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                            rs.getBoolean(4), rs.getString(5)));
                }
            }
        }
        Map<String, ColumnInfo> result = Map.copyOf(columns);
        tables.put(table, result);
        return result;
    }

    ColumnInfo column(Connection c, String table, String column) throws SQLException {
        ColumnInfo info = columns(c, table).get(column);
        if (info == null) {
            throw new ProxyException(SqlState.UNDEFINED_COLUMN, "column " + column + " of table " + table
                    + " is no longer in the store", null, "the table changed while tandem ran; restart tandem so it "
                            + "plans the tables again");
        }
        return info;
    }

    void invalidate() {
        tables.clear();
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
