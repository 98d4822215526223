package tandem.adapters.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import tandem.core.mirror.Key;
import tandem.core.mirror.RepairKeys;
import tandem.core.mirror.RepairLog;

/**
 * The repair log of a SQLite primary: table {@code tandem_repair_log}, with the columns of
 * PostgreSQL's {@code tandem.repair_log}: the key as the JSON text {@code KeyCodec.encode} writes,
 * times as ISO text in UTC ({@code 2024-01-15T10:30:00.123Z}, which sorts as it reads). The
 * emulated session adds entries in the client's own transaction; this class reads and retires
 * them, writing on the store's one writer connection and reading on a reader.
 */
final class SqliteRepairLog implements RepairLog {

    static final String TABLE = "tandem_repair_log";
    private static final String NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
    private static final int MAX_ERROR = 2000;

    /** As {@code strftime('%Y-%m-%dT%H:%M:%fZ')} writes times: always with milliseconds, so text order is time order. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Due entries, as PostgreSQL's log takes them: each table's in the order they became due, the tables taking turns. */
    private static final String DUE = "SELECT id, token, table_name, key, enqueued_at, attempts FROM (SELECT *, "
            + "coalesce(next_attempt_at, enqueued_at) AS due_since, row_number() OVER (PARTITION BY table_name "
            + "ORDER BY coalesce(next_attempt_at, enqueued_at), id) AS turn FROM " + TABLE + " WHERE CASE WHEN failed "
            + "<> 0 THEN next_attempt_at IS NULL OR next_attempt_at <= ? ELSE enqueued_at <= strftime("
            + "'%Y-%m-%dT%H:%M:%fZ', 'now', ?) END) ORDER BY turn, due_since, id LIMIT ?";

    private final SqliteStore store;
    private final RepairKeys keys;

    SqliteRepairLog(SqliteStore store, RepairKeys keys) {
        this.store = store;
        this.keys = keys;
    }

    /** SQLite runs one writer at a time, so IF NOT EXISTS is enough against concurrent callers. */
    @Override
    public void ensureCreated() {
        write("creating the repair log " + TABLE, lease -> {
            lease.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                    + "token TEXT NOT NULL, table_name TEXT NOT NULL, key TEXT NOT NULL, "
                    + "enqueued_at TEXT NOT NULL DEFAULT (" + NOW + "), attempts INTEGER NOT NULL DEFAULT 0, "
                    + "failed BOOLEAN NOT NULL DEFAULT 0, last_error TEXT, next_attempt_at TEXT)");
            if (!hasColumn(lease, "next_attempt_at")) { // a log made by tandem before the back-off was kept in it
                lease.execute("ALTER TABLE " + TABLE + " ADD COLUMN next_attempt_at TEXT");
            }
            lease.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_token ON " + TABLE + " (token)");
            lease.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_due ON " + TABLE + " (failed, enqueued_at)");
        });
    }

    private static boolean hasColumn(Lease lease, String column) throws SQLException {
        try (Statement s = lease.pooled.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM pragma_table_info('" + TABLE + "') WHERE name = '" + column
                        + "'")) {
            return rs.next();
        }
    }

    /** Times have milliseconds only, hence {@code <=}: with {@code olderThan} zero, an entry of this millisecond is due. */
    @Override
    public List<Entry> due(int limit, Duration olderThan, Instant now) {
        List<Entry> entries = new ArrayList<>();
        read("reading due entries of the repair log", lease -> {
            try (PreparedStatement ps = lease.pooled.prepareStatement(DUE)) {
                ps.setString(1, TIME.format(now));
                ps.setString(2, String.format(Locale.ROOT, "-%.3f seconds", olderThan.toMillis() / 1000.0));
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String table = rs.getString(3);
                        Key key = keys.decode(table, rs.getString(4));
                        entries.add(new Entry(rs.getLong(1), rs.getString(2), table, key, Instant.parse(rs.getString(5)),
                                rs.getInt(6)));
                    }
                }
            }
        });
        return entries;
    }

    @Override
    public void removeToken(String token) {
        removeTokens(List.of(token));
    }

    @Override
    public void removeTokens(Collection<String> tokens) {
        if (tokens.isEmpty()) {
            return;
        }
        write("removing synced entries from the repair log", lease -> {
            try (PreparedStatement ps = lease.pooled.prepareStatement("DELETE FROM " + TABLE + " WHERE token = ?")) {
                for (String token : tokens) {
                    ps.setString(1, token);
                    ps.executeUpdate();
                }
            }
        });
    }

    @Override
    public void remove(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        write("removing drained entries from the repair log", lease -> {
            try (PreparedStatement ps = lease.pooled.prepareStatement("DELETE FROM " + TABLE + " WHERE id IN (SELECT "
                    + "value FROM json_each(?))")) {
                ps.setString(1, ids.toString());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void markFailed(String token, String error) {
        write("marking entries failed in the repair log", lease -> {
            try (PreparedStatement ps = lease.pooled.prepareStatement("UPDATE " + TABLE + " SET failed = 1, "
                    + "last_error = ?, next_attempt_at = NULL WHERE token = ?")) {
                ps.setString(1, truncate(error));
                ps.setString(2, token);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void recordAttempt(Collection<Long> ids, String error, Instant nextAttempt) {
        if (ids.isEmpty()) {
            return;
        }
        write("recording a repair attempt", lease -> {
            try (PreparedStatement ps = lease.pooled.prepareStatement("UPDATE " + TABLE + " SET attempts = attempts + 1, "
                    + "failed = 1, last_error = ?, next_attempt_at = ? WHERE id IN (SELECT value FROM json_each(?))")) {
                ps.setString(1, truncate(error));
                ps.setString(2, TIME.format(nextAttempt));
                ps.setString(3, ids.toString());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public Backlog backlog() {
        List<TableBacklog> tables = new ArrayList<>();
        read("reading the repair log's backlog", lease -> {
            try (Statement s = lease.pooled.createStatement(); ResultSet rs = s.executeQuery("SELECT table_name, "
                    + "count(*), min(enqueued_at), max(attempts), (SELECT e.last_error FROM " + TABLE + " e WHERE "
                    + "e.table_name = g.table_name AND e.last_error IS NOT NULL ORDER BY e.next_attempt_at DESC NULLS "
                    + "LAST, e.id DESC LIMIT 1) FROM " + TABLE + " g GROUP BY table_name ORDER BY table_name")) {
                while (rs.next()) {
                    tables.add(new TableBacklog(rs.getString(1), rs.getLong(2), Instant.parse(rs.getString(3)),
                            rs.getInt(4), rs.getString(5)));
                }
            }
        });
        return Backlog.of(tables);
    }

    private interface Work {
        void run(Lease lease) throws SQLException;
    }

    private void write(String doing, Work work) {
        on(true, doing, work);
    }

    private void read(String doing, Work work) {
        on(false, doing, work);
    }

    private void on(boolean writer, String doing, Work work) {
        Lease lease = store.acquire(writer);
        try {
            work.run(lease);
        } catch (SQLException e) {
            throw store.failure(doing, e);
        } finally {
            lease.release();
        }
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 3) + "...";
    }
}
