package tandem.loadtest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The rows clients share. Who may touch what is chosen so that clients contend without
 * deadlocking and without foreign-key races, which a correct store would still report as errors,
 * and so that a row vanishing is noticed. The workload must therefore be alone on its database.
 * <ul>
 * <li>shared users are never deleted, so content and events may reference them at any time;
 * <li>the hot rows (content of one hot user) are updated by every client, one row per transaction,
 * and never deleted;
 * <li>shared content and events (those of shared users) are updated by anyone and deleted only by
 * whoever takes them out of the pool, so a delete that finds no row means a committed row was lost;
 * <li>a client's own users, with their content and events, are touched by no other client: only
 * they may be deleted, and only they are updated several rows per statement.
 * </ul>
 */
final class Keys {

    private static final int POOL_CAPACITY = 100_000;
    private static final int PRELOAD = 1_000;

    final KeyPool<UUID> users = new KeyPool<>(POOL_CAPACITY);
    final KeyPool<UUID> content = new KeyPool<>(POOL_CAPACITY);
    final KeyPool<Long> events = new KeyPool<>(POOL_CAPACITY);
    final UUID hotUser;
    final List<UUID> hotContent;

    private Keys(UUID hotUser, List<UUID> hotContent) {
        this.hotUser = hotUser;
        this.hotContent = List.copyOf(hotContent);
    }

    /**
     * Reads a sample of the rows already there, so that updates and reads find rows from the first
     * operation on, and creates the hot user with its hot rows.
     */
    static Keys prepare(Connection c, int hotRows, String runId, Random random) throws SQLException {
        UUID hotUser = UUID.randomUUID();
        List<UUID> hot = new ArrayList<>();
        try (PreparedStatement user = c.prepareStatement(
                "INSERT INTO users (id, email, display_name) VALUES (?, ?, ?)");
                PreparedStatement content = c.prepareStatement(
                        "INSERT INTO content (id, user_id, title, content_type) VALUES (?, ?, ?, ?)")) {
            user.setObject(1, hotUser);
            user.setString(2, "hot-" + runId + "@loadtest.example");
            user.setString(3, "Hot user of run " + runId);
            user.executeUpdate();
            for (int i = 0; i < hotRows; i++) {
                UUID id = UUID.randomUUID();
                content.setObject(1, id);
                content.setObject(2, hotUser);
                content.setString(3, "Hot row " + i + " of run " + runId);
                content.setString(4, "article");
                content.executeUpdate();
                hot.add(id);
            }
        }
        Keys keys = new Keys(hotUser, hot);
        keys.users.add(hotUser, random);
        try (Statement s = c.createStatement()) {
            for (UUID id : uuids(s, "SELECT id FROM users LIMIT " + PRELOAD)) {
                keys.users.add(id, random);
            }
            for (UUID id : uuids(s, "SELECT id FROM content LIMIT " + PRELOAD)) {
                if (!hot.contains(id)) {
                    keys.content.add(id, random);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id FROM analytics_events ORDER BY id DESC LIMIT " + PRELOAD)) {
                while (rs.next()) {
                    keys.events.add(rs.getLong(1), random);
                }
            }
        }
        return keys;
    }

    /** Ids read as text, which both PostgreSQL's uuid and SQLite's TEXT give; ids that are no uuid are skipped. */
    private static List<UUID> uuids(Statement s, String sql) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                try {
                    ids.add(UUID.fromString(rs.getString(1)));
                } catch (IllegalArgumentException notAUuid) {
                    // a row the workload cannot address by a uuid parameter; others will do
                }
            }
        }
        return ids;
    }

    UUID hotContent(Random random) {
        return hotContent.get(random.nextInt(hotContent.size()));
    }
}
