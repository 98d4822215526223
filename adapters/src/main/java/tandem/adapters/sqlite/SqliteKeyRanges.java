package tandem.adapters.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.verify.KeyRanges;
import tandem.core.verify.RowFingerprint;

/**
 * A SQLite table by ranges of its integer key, on a reader connection (WAL: it never waits for
 * the writer). SQLite cannot compute PostgreSQL's hashes, so the rows come to tandem, which does.
 */
final class SqliteKeyRanges implements KeyRanges {

    /** Columns whose storage-class bits share one number. */
    private static final int BITS = 62;

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

    /**
     * Computed here as the rows stream by, never held: ahead of the values, each row says in bits
     * ({@value #BITS} to a number) which of them have the storage class their column's shortcut
     * reads, so that each is read with one call ({@link StoredValueHash}).
     */
    @Override
    public Optional<RowFingerprint.Fingerprint> fingerprint(Table table, Table as, long after, long upTo) {
        int n = as.columns().size();
        StoredValueHash[] hashes = new StoredValueHash[n];
        int[] bit = new int[n];
        List<String> expected = new ArrayList<>();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Column target = as.columns().get(i);
            Column source = table.column(target.name());
            hashes[i] = new StoredValueHash(table, source, target);
            String quoted = SqliteSchemaReader.quote(source.name());
            String sql = hashes[i].expectedSql(quoted);
            bit[i] = sql == null ? -1 : expected.size();
            if (sql != null) {
                expected.add(sql);
            }
            values.append(", ").append(quoted);
        }
        int words = Math.max(1, (expected.size() + BITS - 1) / BITS);
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int w = 0; w < words; w++) {
            StringBuilder word = new StringBuilder();
            for (int e = w * BITS; e < Math.min(expected.size(), (w + 1) * BITS); e++) {
                word.append(word.isEmpty() ? "" : " | ").append("((").append(expected.get(e)).append(") << ")
                        .append(e - w * BITS).append(")");
            }
            sql.append(w == 0 ? "" : ", ").append(word.isEmpty() ? "0" : word);
        }
        String key = SqliteSchemaReader.quote(table.key().get(0));
        sql.append(values).append(" FROM ").append(SqliteSchemaReader.quote(table.name())).append(" WHERE ").append(key)
                .append(" > ? AND ").append(key).append(" <= ?");
        long[] word = new long[words];
        Lease lease = store.acquire(false);
        try (PreparedStatement ps = lease.pooled.prepareStatement(sql.toString())) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            long rows = 0;
            long sum = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int w = 0; w < words; w++) {
                        word[w] = rs.getLong(w + 1);
                    }
                    long row = 0;
                    for (int i = 0; i < n; i++) {
                        boolean shortcut = bit[i] >= 0 && (word[bit[i] / BITS] & (1L << (bit[i] % BITS))) != 0;
                        row = RowFingerprint.chain(row, hashes[i].hash(rs, words + i + 1, shortcut));
                    }
                    rows++;
                    sum += row;
                }
            }
            return Optional.of(new RowFingerprint.Fingerprint(rows, sum));
        } catch (SQLException e) {
            throw store.failure("fingerprinting a key range of " + table.name(), e);
        } finally {
            lease.release();
        }
    }
}
