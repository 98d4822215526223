package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

import javax.sql.DataSource;

import tandem.core.verify.VerificationLog;
import tandem.core.verify.Verifier;

/**
 * The outcomes of verifications in {@code tandem.verification} of the new store, one row each,
 * next to the backfill's checkpoints.
 */
final class PostgresVerificationLog implements VerificationLog {

    /** undefined_column: a column a newer tandem adds at its first record(). */
    private static final String OLDER_TABLE = "42703";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final String store;
    private final DataSource pool;

    PostgresVerificationLog(String store, DataSource pool) {
        this.store = store;
        this.pool = pool;
    }

    @Override
    public void record(Verifier.Report report, boolean wholeStore) {
        ControlTables.create(store, pool, "tandem.verification", """
                CREATE TABLE IF NOT EXISTS tandem.verification (id bigserial PRIMARY KEY,
                  finished_at timestamptz NOT NULL, whole_store boolean NOT NULL, clean boolean NOT NULL,
                  rows_compared bigint NOT NULL, tables int NOT NULL)""",
                // older tandems kept no start: their rows count from their finish
                "ALTER TABLE tandem.verification ADD COLUMN IF NOT EXISTS started_at timestamptz",
                "ALTER TABLE tandem.verification ADD COLUMN IF NOT EXISTS report jsonb");
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tandem.verification (started_at, finished_at, whole_store, clean, rows_compared, tables, "
                        + "report) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setTimestamp(1, Timestamp.from(report.startedAt()));
            ps.setTimestamp(2, Timestamp.from(report.startedAt().plus(report.took())));
            ps.setBoolean(3, wholeStore);
            ps.setBoolean(4, report.clean());
            ps.setLong(5, report.compared());
            ps.setInt(6, report.tables().size());
            ps.setString(7, JSON.writeValueAsString(report.document()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.translate(store, "recording a verification", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Outcome latest() {
        return read("reading the latest verification", c -> outcome(c, "SELECT coalesce(started_at, finished_at), "
                + "finished_at, whole_store, clean, rows_compared FROM tandem.verification ORDER BY id DESC LIMIT 1"));
    }

    @Override
    public Outcome latestClean() {
        return read("reading the latest clean verification", c -> outcome(c, "SELECT coalesce(started_at, finished_at), "
                + "finished_at, whole_store, clean, rows_compared FROM tandem.verification WHERE whole_store AND clean "
                + "ORDER BY id DESC LIMIT 1"));
    }

    @Override
    public String latestReport() {
        return read("reading the latest verification's report", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT report::text FROM tandem.verification WHERE report IS NOT NULL ORDER BY id DESC LIMIT 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            } catch (SQLException e) {
                if (!OLDER_TABLE.equals(e.getSQLState())) {
                    throw e;
                }
                return null; // kept by an older tandem, without reports
            }
        });
    }

    /** The outcome {@code sql} selects, also from a table an older tandem created without started_at. */
    private static Outcome outcome(Connection c, String sql) throws SQLException {
        try {
            return first(c, sql);
        } catch (SQLException e) {
            if (!OLDER_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            // started_at comes with the next record()
            return first(c, sql.replace("coalesce(started_at, finished_at)", "finished_at"));
        }
    }

    private static Outcome first(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Outcome(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(),
                    rs.getBoolean(3), rs.getBoolean(4), rs.getLong(5)) : null;
        }
    }

    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** What {@code query} reads from tandem.verification; null before the table exists. */
    private <T> T read(String what, Query<T> query) {
        try (Connection c = pool.getConnection();
                PreparedStatement exists = c.prepareStatement("SELECT to_regclass('tandem.verification') IS NOT NULL")) {
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return null;
                }
            }
            return query.run(c);
        } catch (SQLException e) {
            throw PgErrors.translate(store, what, e);
        }
    }
}
