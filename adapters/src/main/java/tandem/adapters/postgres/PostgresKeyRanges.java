package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.verify.KeyRanges;
import tandem.core.verify.RowFingerprint;

/**
 * A PostgreSQL table by ranges of its integer key ({@code WHERE k > ? AND k <= ?}, which the key's
 * index answers), its fingerprints computed by the server: only a count and a sum cross the network.
 */
final class PostgresKeyRanges implements KeyRanges {

    private final String store;
    private final DataSource pool;
    private final PostgresCatalog catalog;

    PostgresKeyRanges(String store, DataSource pool, PostgresCatalog catalog) {
        this.store = store;
        this.pool = pool;
        this.catalog = catalog;
    }

    @Override
    public Extent extent(Table table) {
        String key = PostgresCatalog.quote(table.key().get(0));
        String name = PostgresCatalog.quote(table.name());
        // the planner's estimate where there is one: counting a large table could outlast the socket timeout
        String sql = "SELECT CASE WHEN c.reltuples > 0 THEN c.reltuples::bigint ELSE (SELECT count(*) FROM " + name
                + ") END, (SELECT min(" + key + ") FROM " + name + "), (SELECT max(" + key + ") FROM " + name
                + ") FROM pg_class c WHERE c.oid = to_regclass(?)";
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Extent(rs.getLong(1), rs.getLong(2), rs.getLong(3), true);
            }
        } catch (SQLException e) {
            catalog.invalidate();
            throw PgErrors.translate(store, "measuring " + table.name() + "'s keys", e);
        }
    }

    @Override
    public List<Object[]> rows(Table table, long after, long upTo) {
        String sql = "SELECT " + PostgresRowReader.columnList(table) + " FROM " + PostgresCatalog.quote(table.name())
                + where(table);
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(PgJdbcValues.row(rs, table));
                }
            }
            return rows;
        } catch (SQLException e) {
            catalog.invalidate();
            throw PgErrors.translate(store, "reading a key range of " + table.name(), e);
        }
    }

    @Override
    public Optional<RowFingerprint.Fingerprint> fingerprint(Table table, Table as, long after, long upTo) {
        if (!sameColumns(table, as)) {
            return Optional.empty(); // the server hashes its own types; converting first is left to tandem
        }
        String sql = "SELECT count(*), sum(" + RowFingerprint.sql(table, PostgresCatalog::quote) + ") FROM "
                + PostgresCatalog.quote(table.name()) + where(table);
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long rows = rs.getLong(1);
                java.math.BigDecimal sum = rs.getBigDecimal(2);
                // the sum modulo 2^64, as Java's long arithmetic wraps
                return Optional.of(new RowFingerprint.Fingerprint(rows, sum == null ? 0 : sum.toBigInteger().longValue()));
            }
        } catch (SQLException e) {
            catalog.invalidate();
            throw PgErrors.translate(store, "fingerprinting a key range of " + table.name(), e);
        }
    }

    private static boolean sameColumns(Table table, Table as) {
        List<Column> ours = table.columns();
        List<Column> theirs = as.columns();
        if (ours.size() != theirs.size()) {
            return false;
        }
        for (int i = 0; i < ours.size(); i++) {
            if (!ours.get(i).name().equals(theirs.get(i).name()) || ours.get(i).type() != theirs.get(i).type()) {
                return false;
            }
        }
        return true;
    }

    private static String where(Table table) {
        String key = PostgresCatalog.quote(table.key().get(0));
        return " WHERE " + key + " > ? AND " + key + " <= ?";
    }
}
