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
                  rows_compared bigint NOT NULL, tables int NOT NULL)""");
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tandem.verification (finished_at, whole_store, clean, rows_compared, tables) "
                        + "VALUES (?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(report.startedAt().plus(report.took())));
            ps.setBoolean(2, wholeStore);
            ps.setBoolean(3, report.clean());
            ps.setLong(4, report.compared());
            ps.setInt(5, report.tables().size());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.translate(store, "recording a verification", e);
        }
    }

    @Override
    public Outcome latest() {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT finished_at, whole_store, clean, rows_compared FROM tandem.verification ORDER BY id DESC LIMIT 1");
                PreparedStatement exists = c.prepareStatement("SELECT to_regclass('tandem.verification') IS NOT NULL")) {
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return null;
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Outcome(rs.getTimestamp(1).toInstant(), rs.getBoolean(2), rs.getBoolean(3),
                        rs.getLong(4)) : null;
            }
        } catch (SQLException e) {
            throw PgErrors.translate(store, "reading the latest verification", e);
        }
    }
}
