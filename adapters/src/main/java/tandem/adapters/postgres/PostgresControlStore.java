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

    /** NOTIFY channel on which tandems announce a saved change to each other. */
    private static final String CHANNEL = "tandem_migration";

    private final String store;
    private final DataSource pool;
    private final java.util.function.Supplier<Connection> leaderConnections;
    /** This tandem among others in {@code tandem.member}: host, process and a random part (tests run several in one process). */
    private final String name = System.getenv().getOrDefault("HOSTNAME", "tandem") + ":" + ProcessHandle.current().pid()
            + "/" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000));
    private volatile Thread listener;
    private volatile boolean closed;
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
        ControlTables.create(store, pool, "tandem.member", """
                CREATE TABLE IF NOT EXISTS tandem.member (name text PRIMARY KEY, seen_at timestamptz NOT NULL,
                  holding bigint NOT NULL DEFAULT 0)""");
        ControlTables.create(store, pool, "tandem.request", """
                CREATE TABLE IF NOT EXISTS tandem.request (id bigserial PRIMARY KEY, method text NOT NULL,
                  path text NOT NULL, body text, requested_at timestamptz NOT NULL DEFAULT now(), requested_by text,
                  taken_by text, taken_at timestamptz, finished_at timestamptz, outcome text)""");
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
    public void announce() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("NOTIFY " + CHANNEL);
        } catch (SQLException e) {
            throw PgErrors.translate(store, "telling the other tandems of a change", e);
        }
    }

    /** LISTENs on a connection of its own, on a thread of its own; connects again when it fails. */
    @Override
    public synchronized void onAnnounce(Runnable changed) {
        if (listener != null) {
            return;
        }
        listener = Thread.ofPlatform().daemon().name("tandem-control-listener").start(() -> {
            while (!closed) {
                try (Connection c = leaderConnections.get(); Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
                    changed.run(); // whatever was announced while this was not listening
                    while (!closed) {
                        org.postgresql.PGNotification[] got = pg.getNotifications(500);
                        if (got != null && got.length > 0) {
                            changed.run();
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    if (!closed) {
                        org.slf4j.LoggerFactory.getLogger(PostgresControlStore.class).debug(
                                "migration: listening for other tandems' changes failed ({}); again in a second",
                                e.getMessage());
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException interrupted) {
                            return;
                        }
                    }
                }
            }
        });
    }

    @Override
    public void holding(long version) {
        create();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tandem.member (name, seen_at, holding) VALUES (?, now(), ?)
                ON CONFLICT (name) DO UPDATE SET seen_at = now(), holding = excluded.holding""")) {
            ps.setString(1, name);
            ps.setLong(2, version);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.translate(store, "saying this tandem is alive", e);
        }
    }

    @Override
    public List<String> notHolding(long version, java.time.Duration within) {
        create();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT name FROM tandem.member WHERE name <> ? AND holding <> ?
                  AND seen_at > now() - make_interval(secs => ?) ORDER BY name""")) {
            ps.setString(1, name);
            ps.setLong(2, version);
            ps.setDouble(3, within.toMillis() / 1000.0);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PgErrors.translate(store, "asking which tandems hold their transactions", e);
        }
    }

    @Override
    public void request(String method, String path, String body) {
        create();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tandem.request (method, path, body, requested_by) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, method);
            ps.setString(2, path);
            ps.setString(3, body);
            ps.setString(4, name);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.translate(store, "leaving a request for the leading tandem", e);
        }
    }

    @Override
    public List<Request> takeRequests() {
        create();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE tandem.request SET taken_by = ?, taken_at = now()
                WHERE id IN (SELECT id FROM tandem.request WHERE taken_by IS NULL ORDER BY id FOR UPDATE SKIP LOCKED)
                RETURNING id, method, path, body""")) {
            ps.setString(1, name);
            List<Request> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Request(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            out.sort(java.util.Comparator.comparingLong(Request::id));
            return out;
        } catch (SQLException e) {
            throw PgErrors.translate(store, "taking the requests left for the leading tandem", e);
        }
    }

    @Override
    public void finished(long id, String outcome) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE tandem.request SET finished_at = now(), outcome = ? WHERE id = ?")) {
            ps.setString(1, outcome);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PgErrors.translate(store, "marking a request finished", e);
        }
    }

    @Override
    public boolean pending(String path) {
        create();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT EXISTS (SELECT FROM tandem.request WHERE path = ? AND finished_at IS NULL
                  AND requested_at > now() - interval '1 hour')""")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw PgErrors.translate(store, "asking for requests left for the leading tandem", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        Thread t = listener;
        if (t != null) {
            t.interrupt();
        }
        if (leaderConnection != null) { // not the pool's: a store going away at the same time only fails this
            try (PreparedStatement ps = leaderConnection.prepareStatement("DELETE FROM tandem.member WHERE name = ?")) {
                ps.setString(1, name); // gone: a cutover does not wait for it
                ps.executeUpdate();
            } catch (SQLException | RuntimeException e) {
                // its row ages out of the living within seconds anyway
            }
        }
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
