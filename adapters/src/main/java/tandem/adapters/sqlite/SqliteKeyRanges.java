package tandem.adapters.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import tandem.core.mirror.Table;
import tandem.core.verify.KeyRanges;

/**
 * A SQLite table by ranges of its integer key, on a reader connection (WAL: it never waits for
 * the writer). SQLite cannot compute PostgreSQL's hashes, so the rows come to tandem, which does.
 */
final class SqliteKeyRanges implements KeyRanges {

    private final SqliteStore store;

    SqliteKeyRanges(SqliteStore store) {
        this.store = store;
    }

    @Override
    public Extent extent(Table table) {
        String key = SqliteSchemaReader.quote(table.key().get(0));
        // a key of another storage class (text in a column without integer affinity) sorts outside every integer range
        String sql = "SELECT count(*), min(" + key + "), max(" + key + "), coalesce(sum(typeof(" + key
                + ") <> 'integer'), 0) FROM " + SqliteSchemaReader.quote(table.name());
        Lease lease = store.acquire(false);
        try (PreparedStatement ps = lease.pooled.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Extent(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4) == 0);
        } catch (SQLException e) {
            throw store.failure("measuring " + table.name() + "'s keys", e);
        } finally {
            lease.release();
        }
    }

    @Override
    public List<Object[]> rows(Table table, long after, long upTo) {
        String key = SqliteSchemaReader.quote(table.key().get(0));
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < table.columns().size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(SqliteSchemaReader.quote(table.columns().get(i).name()));
        }
        sql.append(" FROM ").append(SqliteSchemaReader.quote(table.name())).append(" WHERE ").append(key)
                .append(" > ? AND ").append(key).append(" <= ?");
        ColumnType[] types = SqliteRowReader.declaredTypes(table);
        Lease lease = store.acquire(false);
        try (PreparedStatement ps = lease.pooled.prepareStatement(sql.toString())) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(SqliteRowReader.row(rs, table, types));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw store.failure("reading a key range of " + table.name(), e);
        } finally {
            lease.release();
        }
    }
}
