package tandem.adapters.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import tandem.core.backfill.Cursors;
import tandem.core.backfill.PageReader;
import tandem.core.mirror.Table;

/**
 * Reads a SQLite table in primary-key order on a reader connection (WAL: it never waits for the
 * writer), a page per statement: {@code WHERE (k1, k2) > (?, ?) ORDER BY k1, k2 LIMIT ?}, which
 * the key's index answers without a sort. The cursor is the last row's key as SQLite stored it,
 * each value tagged with its storage class ({@code i:42}, {@code r:1.5}, {@code t:abc}, {@code
 * b:00ff}), so the next page compares exactly as SQLite ordered this one, whatever the column's
 * declared type.
 */
final class SqlitePageReader implements PageReader {

    private final SqliteStore store;

    SqlitePageReader(SqliteStore store) {
        this.store = store;
    }

    @Override
    public Page read(Table table, String after, int limit) {
        List<String> key = table.key().stream().map(SqliteSchemaReader::quote).toList();
        String keyList = String.join(", ", key);
        StringBuilder sql = new StringBuilder("SELECT ");
        table.columns().forEach(c -> sql.append(SqliteSchemaReader.quote(c.name())).append(", "));
        sql.append(keyList).append(" FROM ").append(SqliteSchemaReader.quote(table.name()));
        List<Object> from = after == null ? List.of() : decode(after);
        if (!from.isEmpty()) {
            sql.append(" WHERE (").append(keyList).append(") > (")
                    .append(String.join(", ", Collections.nCopies(key.size(), "?"))).append(')');
        }
        sql.append(" ORDER BY ").append(keyList).append(" LIMIT ?");
        ColumnType[] types = SqliteRowReader.declaredTypes(table);
        Lease lease = store.acquire(false);
        try (PreparedStatement ps = lease.pooled.prepareStatement(sql.toString())) {
            int p = 1;
            for (Object v : from) {
                ParameterBinder.bind(ps, p++, v);
            }
            ps.setInt(p, limit);
            List<Object[]> rows = new ArrayList<>();
            List<Object> last = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(SqliteRowReader.row(rs, table, types));
                    last = new ArrayList<>(key.size());
                    for (int k = 0; k < key.size(); k++) {
                        last.add(rs.getObject(types.length + k + 1));
                    }
                }
            }
            return new Page(rows, last == null ? null : encode(last));
        } catch (SQLException e) {
            throw store.failure("reading " + table.name() + " in key order", e);
        } finally {
            lease.release();
        }
    }

    @Override
    public long count(Table table) {
        Lease lease = store.acquire(false);
        try (Statement s = lease.pooled.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SqliteSchemaReader.quote(table.name()))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw store.failure("counting the rows of " + table.name(), e);
        } finally {
            lease.release();
        }
    }

    static String encode(List<Object> values) {
        List<String> parts = new ArrayList<>(values.size());
        for (Object v : values) {
            parts.add(switch (v) {
                case null -> "n:";
                case Integer i -> "i:" + i;
                case Long l -> "i:" + l;
                case Double d -> "r:" + Double.doubleToRawLongBits(d);
                case byte[] b -> "b:" + HexFormat.of().formatHex(b);
                default -> "t:" + v;
            });
        }
        return Cursors.join(parts);
    }

    static List<Object> decode(String cursor) {
        List<Object> values = new ArrayList<>();
        for (String tagged : Cursors.split(cursor)) {
            String v = tagged.substring(2);
            values.add(switch (tagged.charAt(0)) {
                case 'n' -> null;
                case 'i' -> Long.parseLong(v);
                case 'r' -> Double.longBitsToDouble(Long.parseLong(v));
                case 'b' -> HexFormat.of().parseHex(v);
                default -> v;
            });
        }
        return values;
    }
}
