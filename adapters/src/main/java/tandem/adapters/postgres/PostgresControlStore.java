package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import tandem.core.lifecycle.ControlStore;
import tandem.core.lifecycle.MigrationEvent;
import tandem.core.lifecycle.MigrationState;
import tandem.core.lifecycle.Phase;

/**
 * The migration's state in {@code tandem.migration} (one row, numbered by {@code version}) and its
 * events in {@code tandem.migration_event}, in the new store next to the backfill's checkpoints.
 * The tandem that leads holds a session-level advisory lock on a connection of its own (outside
 * the pool, which recycles connections): when that tandem dies its connection closes, the lock is
 * released, and another one takes it at its next try.
 */
final class PostgresControlStore implements ControlStore, AutoCloseable {

    private static final String LEADER_LOCK = "SELECT pg_try_advisory_lock(hashtextextended('tandem.migration leader', 0))";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String store;
    private final DataSource pool;
    private final java.util.function.Supplier<Connection> leaderConnections;
    private volatile boolean created;
    private Connection leaderConnection;
    private boolean leading;

    /** @param leaderConnections opens a connection of its own for the leader's lock */
    PostgresControlStore(String store, DataSource pool, java.util.function.Supplier<Connection> leaderConnections) {
        this.store = store;
        this.pool = pool;
        this.leaderConnections = leaderConnections;
    }

    private void create() {
        if (created) {
            return;
        }
        ControlTables.create(store, pool, "tandem.migration", """
                CREATE TABLE IF NOT EXISTS tandem.migration (id int PRIMARY KEY CHECK (id = 1), phase text NOT NULL,
                  read_percent int NOT NULL, stage int NOT NULL, plan text NOT NULL, stage_since timestamptz NOT NULL,
                  changed_at timestamptz NOT NULL, version bigint NOT NULL DEFAULT 1)""");
        ControlTables.create(store, pool, "tandem.migration_event", """
                CREATE TABLE IF NOT EXISTS tandem.migration_event (id bigserial PRIMARY KEY, at timestamptz NOT NULL,
                  kind text NOT NULL, message text NOT NULL, details jsonb NOT NULL)""");
        created = true;
    }

    @Override
    public Optional<MigrationState> load() {
        create();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT phase, read_percent, stage, plan, stage_since, changed_at, version FROM tandem.migration WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new MigrationState(Phase.of(rs.getString(1)), rs.getInt(2), rs.getInt(3),
                    MigrationState.Plan.of(rs.getString(4)), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(),
                    rs.getLong(7)));
        } catch (SQLException e) {
            throw PgErrors.translate(store, "reading the migration's state", e);
        }
    }

    @Override
    public long save(MigrationState s, long expected) {
        create();
        String sql = expected == 0 ? """
                INSERT INTO tandem.migration (phase, read_percent, stage, plan, stage_since, changed_at, id, version)
                VALUES (?, ?, ?, ?, ?, ?, 1, 1) ON CONFLICT (id) DO NOTHING RETURNING version"""
                : """
                UPDATE tandem.migration SET phase = ?, read_percent = ?, stage = ?, plan = ?, stage_since = ?,
                  changed_at = ?, version = version + 1
                WHERE id = 1 AND version = ? RETURNING version""";
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (expected != 0) {
                ps.setLong(7, expected);
            }
            ps.setString(1, s.phase().label());
            ps.setInt(2, s.readPercent());
            ps.setInt(3, s.stage());
            ps.setString(4, s.plan().label());
            ps.setTimestamp(5, Timestamp.from(s.stageSince()));
            ps.setTimestamp(6, Timestamp.from(s.changedAt()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1; // another tandem saved since this one read the state
            }
        } catch (SQLException e) {
            throw PgErrors.translate(store, "saving the migration's state", e);
        }
    }

    @Override
    public synchronized boolean lead() {
        try {
            if (leaderConnection == null || !leaderConnection.isValid(2)) {
                closeLeaderConnection();
                leaderConnection = leaderConnections.get();
                leading = false;
            }
            if (!leading) {
                try (Statement s = leaderConnection.createStatement(); ResultSet rs = s.executeQuery(LEADER_LOCK)) {
                    rs.next();
                    leading = rs.getBoolean(1);
                }
            }
            return leading;
        } catch (SQLException | RuntimeException e) {
            if (leading || leaderConnection != null) {
                org.slf4j.LoggerFactory.getLogger(PostgresControlStore.class).warn(
                        "migration: this tandem stops leading, its lock connection failed: {}", e.getMessage());
            }
            closeLeaderConnection();
            return false; // a tandem that cannot reach the new store does not lead; another may
        }
    }

    private void closeLeaderConnection() {
        leading = false;
        if (leaderConnection != null) {
            try {
                leaderConnection.close();
            } catch (SQLException e) {
                // closing it is what releases the lock; the server ends the session either way
            }
            leaderConnection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeLeaderConnection();
    }

    @Override
    public MigrationEvent append(MigrationEvent e) {
        create();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tandem.migration_event (at, kind, message, details) VALUES (?, ?, ?, ?::jsonb) RETURNING id")) {
            ps.setTimestamp(1, Timestamp.from(e.at()));
            ps.setString(2, e.kind());
            ps.setString(3, e.message());
            ps.setString(4, JSON.writeValueAsString(e.details()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new MigrationEvent(rs.getLong(1), e.at(), e.kind(), e.message(), e.details());
            }
        } catch (SQLException ex) {
            throw PgErrors.translate(store, "recording a migration event", ex);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public List<MigrationEvent> events(long afterId, int limit) {
        create();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, at, kind, message, details::text FROM tandem.migration_event WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            List<MigrationEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> details = JSON.readValue(rs.getString(5), new TypeReference<Map<String, Object>>() {
                    });
                    out.add(new MigrationEvent(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), details));
                }
            }
            return out;
        } catch (SQLException ex) {
            throw PgErrors.translate(store, "reading migration events", ex);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
