package tandem.adapters.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.Column;
import tandem.core.mirror.ForeignKeyOrder;
import tandem.core.mirror.Key;
import tandem.core.mirror.RowWriter;
import tandem.core.mirror.Table;

/**
 * Writes row images by key into a SQLite store: the old store's side of mirroring after a
 * cutover, when the new store is the primary and the old one must keep up so that a rollback
 * loses nothing. One {@code BEGIN IMMEDIATE} transaction per {@link #apply} on the store's writer:
 * SQLite's write lock serializes every writer, which does what PostgreSQL's per-key advisory locks
 * do for {@link tandem.adapters.postgres.PostgresStore}'s writer — the images are read from the
 * primary while it is held, so whichever sync writes last also read last. Values are stored as the
 * emulation stores them ({@link ParameterBinder}).
 */
final class SqliteRowWriter implements RowWriter {

    private final SqliteStore store;

    SqliteRowWriter(SqliteStore store) {
        this.store = store;
    }

    @Override
    public void apply(Map<Table, Set<Key>> keysByTable, ImageSource images, List<Replay> statements) {
        if (!statements.isEmpty()) {
            throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "writes to tables without a primary key cannot be "
                    + "mirrored back to a SQLite store", null, "give the table a primary key, or exclude it "
                            + "(migration.exclude) before the cutover");
        }
        if (keysByTable.values().stream().allMatch(Set::isEmpty)) {
            return;
        }
        List<Table> parentsFirst = ForeignKeyOrder.parentsFirst(keysByTable.keySet());
        Lease lease = store.acquire(true);
        try {
            lease.execute("BEGIN IMMEDIATE");
            Map<Table, Set<Key>> wanted = new LinkedHashMap<>();
            for (Table table : parentsFirst) {
                if (!keysByTable.get(table).isEmpty()) {
                    wanted.put(table, keysByTable.get(table));
                }
            }
            Map<Table, Map<Key, Object[]>> got = images.readAll(wanted);
            for (Table table : parentsFirst) {
                Map<Key, Object[]> image = got.getOrDefault(table, Map.of());
                for (Object[] row : image.values()) {
                    upsert(lease, table, row);
                }
            }
            List<Table> childrenFirst = new ArrayList<>(parentsFirst);
            Collections.reverse(childrenFirst);
            for (Table table : childrenFirst) {
                Map<Key, Object[]> image = got.getOrDefault(table, Map.of());
                for (Key key : wanted.getOrDefault(table, Set.of())) {
                    if (!image.containsKey(key)) {
                        delete(lease, table, key);
                    }
                }
            }
            lease.execute("COMMIT");
        } catch (SQLException e) {
            lease.rollbackQuietly();
            throw store.failure("writing mirrored rows", e);
        } catch (RuntimeException e) {
            lease.rollbackQuietly();
            throw e;
        } finally {
            lease.release();
        }
    }

    private static void upsert(Lease lease, Table table, Object[] row) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(SqliteSchemaReader.quote(table.name())).append(" (");
        StringBuilder values = new StringBuilder();
        StringBuilder updates = new StringBuilder();
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            String column = SqliteSchemaReader.quote(columns.get(i).name());
            sql.append(i == 0 ? "" : ", ").append(column);
            values.append(i == 0 ? "?" : ", ?");
            if (!table.key().contains(columns.get(i).name())) {
                updates.append(updates.isEmpty() ? "" : ", ").append(column).append(" = excluded.").append(column);
            }
        }
        sql.append(") VALUES (").append(values).append(") ON CONFLICT (")
                .append(String.join(", ", table.key().stream().map(SqliteSchemaReader::quote).toList())).append(") DO ")
                .append(updates.isEmpty() ? "NOTHING" : "UPDATE SET " + updates);
        try (PreparedStatement ps = lease.pooled.prepareStatement(sql.toString())) {
            for (int i = 0; i < row.length; i++) {
                ParameterBinder.bind(ps, i + 1, row[i]);
            }
            ps.executeUpdate();
        }
    }

    private static void delete(Lease lease, Table table, Key key) throws SQLException {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(SqliteSchemaReader.quote(table.name())).append(" WHERE ");
        for (int k = 0; k < table.key().size(); k++) {
            sql.append(k == 0 ? "" : " AND ").append(SqliteSchemaReader.quote(table.key().get(k))).append(" = ?");
        }
        try (PreparedStatement ps = lease.pooled.prepareStatement(sql.toString())) {
            for (int k = 0; k < key.values().size(); k++) {
                ParameterBinder.bind(ps, k + 1, key.values().get(k));
            }
            ps.executeUpdate();
        }
    }
}
