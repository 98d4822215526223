package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import tandem.core.mirror.Key;
import tandem.core.mirror.RepairLog;
import tandem.core.mirror.RepairKeys;

/**
 * The repair log of a PostgreSQL primary: {@code tandem.repair_log}. The write rewriter adds
 * entries in the client's own transaction ({@code INSERT INTO tandem.repair_log (token,
 * table_name, key) SELECT pg_current_xact_id()::text, 'users', jsonb_build_array(id) ...}), so
 * they commit or roll back with its rows; this class reads and retires them.
 */
final class PostgresRepairLog implements RepairLog {

    static final String TABLE = "tandem.repair_log";
    private static final int MAX_ERROR = 2000;

    private final String store;
    private final DataSource pool;
    private final RepairKeys keys;

    /**
     * Due entries, each table's in the order they became due, the tables taking turns (the
     * {@code turn} of an entry is its place in its table's queue).
     */
    private static final String DUE = "SELECT id, token, table_name, key::text, enqueued_at, attempts FROM (SELECT *, "
            + "coalesce(next_attempt_at, enqueued_at) AS due_since, row_number() OVER (PARTITION BY table_name "
            + "ORDER BY coalesce(next_attempt_at, enqueued_at), id) AS turn FROM " + TABLE + " WHERE CASE WHEN failed "
            + "THEN next_attempt_at IS NULL OR next_attempt_at <= ? ELSE enqueued_at < now() - make_interval(secs => ?) "
            + "END) due ORDER BY turn, due_since, id LIMIT ?";

    PostgresRepairLog(String store, DataSource pool, RepairKeys keys) {
        this.store = store;
        this.pool = pool;
        this.keys = keys;
    }

    @Override
    public void ensureCreated() {
        ControlTables.create(store, pool, TABLE,
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigserial PRIMARY KEY, token text NOT NULL, "
                        + "table_name text NOT NULL, key jsonb NOT NULL, enqueued_at timestamptz NOT NULL DEFAULT now(), "
                        + "attempts int NOT NULL DEFAULT 0, failed boolean NOT NULL DEFAULT false, last_error text, "
                        + "next_attempt_at timestamptz)",
                // a log made by tandem before the back-off was kept in it
                "ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS next_attempt_at timestamptz",
                "CREATE INDEX IF NOT EXISTS repair_log_token ON " + TABLE + " (token)",
                "CREATE INDEX IF NOT EXISTS repair_log_due ON " + TABLE + " (failed, enqueued_at)");
    }

    @Override
    public List<Entry> due(int limit, Duration olderThan, Instant now) {
        List<Entry> entries = new ArrayList<>();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(DUE)) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setDouble(2, olderThan.toMillis() / 1000.0);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(3);
                    Key key = keys.decode(table, rs.getString(4));
                    entries.add(new Entry(rs.getLong(1), rs.getString(2), table, key,
                            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getInt(6)));
                }
            }
        } catch (SQLException e) {
            throw PgErrors.translate(store, "reading due entries of the repair log", e);
        }
        return entries;
    }

    @Override
    public void removeToken(String token) {
        update("removing synced entries from the repair log", "DELETE FROM " + TABLE + " WHERE token = ?", ps ->
                ps.setString(1, token));
    }

    @Override
    public void removeTokens(Collection<String> tokens) {
        if (tokens.isEmpty()) {
            return;
        }
        update("removing synced entries from the repair log", "DELETE FROM " + TABLE + " WHERE token = ANY (?)", ps ->
                ps.setArray(1, ps.getConnection().createArrayOf("text", tokens.toArray())));
    }

    @Override
    public void remove(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        update("removing drained entries from the repair log", "DELETE FROM " + TABLE + " WHERE id = ANY (?)", ps ->
                ps.setArray(1, ps.getConnection().createArrayOf("int8", ids.toArray())));
    }

    @Override
    public void markFailed(String token, String error) {
        update("marking entries failed in the repair log", "UPDATE " + TABLE + " SET failed = true, last_error = ?, "
                + "next_attempt_at = NULL WHERE token = ?", ps -> {
                    ps.setString(1, truncate(error));
                    ps.setString(2, token);
                });
    }

    @Override
    public void recordAttempt(Collection<Long> ids, String error, Instant nextAttempt) {
        if (ids.isEmpty()) {
            return;
        }
        update("recording a repair attempt", "UPDATE " + TABLE + " SET attempts = attempts + 1, failed = true, "
                + "last_error = ?, next_attempt_at = ? WHERE id = ANY (?)", ps -> {
                    ps.setString(1, truncate(error));
                    ps.setObject(2, OffsetDateTime.ofInstant(nextAttempt, ZoneOffset.UTC));
                    ps.setArray(3, ps.getConnection().createArrayOf("int8", ids.toArray()));
                });
    }

    @Override
    public Backlog backlog() {
        List<TableBacklog> tables = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name, count(*), min(enqueued_at), max(attempts), (SELECT "
                        + "e.last_error FROM " + TABLE + " e WHERE e.table_name = g.table_name AND e.last_error IS NOT "
                        + "NULL ORDER BY e.next_attempt_at DESC NULLS LAST, e.id DESC LIMIT 1) FROM " + TABLE + " g "
                        + "GROUP BY table_name ORDER BY table_name")) {
            while (rs.next()) {
                tables.add(new TableBacklog(rs.getString(1), rs.getLong(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw PgErrors.translate(store, "reading the repair log's backlog", e);
        }
        return Backlog.of(tables);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String doing, String sql, Binder binder) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.translate(store, doing, e);
        }
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 3) + "...";
    }
}
