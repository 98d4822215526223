package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import tandem.core.backfill.Cursors;
import tandem.core.backfill.PageReader;
import tandem.core.mirror.Table;

/**
 * Reads a PostgreSQL table in primary-key order, a page per statement: {@code WHERE (k1, k2) >
 * (CAST(? AS t1), CAST(? AS t2)) ORDER BY k1, k2 LIMIT ?}, which the key's index answers. The
 * cursor is the last row's key as text ({@link Cursors}), each value cast back to its column's type.
 */
final class PostgresPageReader implements PageReader {

    private final String store;
    private final DataSource pool;
    private final PostgresCatalog catalog;

    PostgresPageReader(String store, DataSource pool, PostgresCatalog catalog) {
        this.store = store;
        this.pool = pool;
        this.catalog = catalog;
    }

    @Override
    public Page read(Table table, String after, int limit) {
        try (Connection c = pool.getConnection()) {
            List<String> key = table.key().stream().map(PostgresCatalog::quote).toList();
            String keyList = String.join(", ", key);
            StringBuilder sql = new StringBuilder("SELECT ").append(PostgresRowReader.columnList(table));
            for (int k = 0; k < key.size(); k++) {
                sql.append(", ").append(key.get(k)).append("::text AS tandem_cursor_").append(k);
            }
            sql.append(" FROM ").append(PostgresCatalog.quote(table.name()));
            List<String> from = after == null ? null : Cursors.split(after);
            if (from != null) {
                sql.append(" WHERE (").append(keyList).append(") > (");
                for (int k = 0; k < key.size(); k++) {
                    sql.append(k == 0 ? "" : ", ").append("CAST(? AS ")
                            .append(catalog.column(c, table.name(), table.key().get(k)).castType()).append(')');
                }
                sql.append(')');
            }
            sql.append(" ORDER BY ").append(keyList).append(" LIMIT ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                if (from != null) {
                    for (String v : from) {
                        ps.setString(p++, v);
                    }
                }
                ps.setInt(p, limit);
                List<Object[]> rows = new ArrayList<>();
                String last = null;
                int width = table.columns().size();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(PgJdbcValues.row(rs, table));
                        List<String> cursor = new ArrayList<>(key.size());
                        for (int k = 0; k < key.size(); k++) {
                            cursor.add(rs.getString(width + k + 1)); // a key column is never null
                        }
                        last = Cursors.join(cursor);
                    }
                }
                return new Page(rows, last);
            }
        } catch (SQLException e) {
            catalog.invalidate();
            throw PgErrors.translate(store, "reading " + table.name() + " in key order", e);
        }
    }

    @Override
    public long count(Table table) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM "
                + PostgresCatalog.quote(table.name())); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw PgErrors.translate(store, "counting the rows of " + table.name(), e);
        }
    }
}
