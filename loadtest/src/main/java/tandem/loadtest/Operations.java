package tandem.loadtest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The SQL of each {@link Operation}, over the demo schema, written so that PostgreSQL and tandem's
 * SQLite emulation both take it: {@code ?} parameters, RETURNING, {@code CAST(? AS jsonb)}, and of
 * functions only {@code now()}, {@code gen_random_uuid()}, {@code count}, {@code sum}, {@code max}
 * and {@code coalesce}. Keys a write creates enter the shared pools only once committed, so no
 * client ever picks a row that a rollback took away.
 */
final class Operations {

    private static final String[] WORDS = {"migration", "zero", "downtime", "edge", "replica", "cutover", "shadow",
        "read", "write", "mirror", "backfill", "verify", "guide", "story", "tips"};
    private static final String[] CONTENT_TYPES = {"article", "video", "image", "thread", "podcast"};
    private static final String[] EVENT_TYPES = {"page_view", "click", "like", "share", "comment"};
    // own users beyond this become shared, so that a long run keeps most users shareable
    private static final int MAX_OWN_USERS = 20;

    /** A user only this client touches, with the content it created for it. */
    private record OwnUser(UUID id, List<UUID> content) {
    }

    private final Random random;
    private final Keys keys;
    private final ClientStats stats;
    private final String emailPrefix;
    private final List<OwnUser> own = new ArrayList<>();
    private Connection c;
    private long counter;

    Operations(Random random, Keys keys, ClientStats stats, String emailPrefix) {
        this.random = random;
        this.keys = keys;
        this.stats = stats;
        this.emailPrefix = emailPrefix;
    }

    void connection(Connection connection) {
        this.c = connection;
    }

    /**
     * Runs {@code op}, or the operation it needs first when there is nothing to run it on (a delete
     * of a user when the client owns none inserts one), and returns the operation that ran.
     */
    Operation perform(Operation op) throws SQLException {
        return switch (op) {
            case INSERT_USER -> insertUser();
            case INSERT_USER_GENERATED_ID -> insertUserWithGeneratedId();
            case INSERT_CONTENT -> insertContent();
            case INSERT_EVENT_RETURNING -> insertEventReturning();
            case INSERT_EVENT_GENERATED_KEYS -> insertEventWithGeneratedKeys();
            case UPDATE_USER -> updateUser();
            case UPDATE_CONTENT -> updateContent();
            case UPDATE_CONTENT_OF_USER -> updateContentOfUser();
            case DELETE_EVENT -> deleteEvent();
            case DELETE_CONTENT -> deleteContent();
            case DELETE_USER -> deleteUser();
            case TRANSACTION -> transaction();
            case ROLLBACK -> rollback();
            case ROLLBACK_ON_UNIQUE_VIOLATION -> rollbackOnUniqueViolation();
            case READ_BY_KEY -> readByKey();
            case READ_RANGE -> readRange();
            case READ_AGGREGATE -> readAggregate();
        };
    }

    // ---------------------------------------------------------------- inserts

    private Operation insertUser() throws SQLException {
        UUID id = insertUser(nextEmail());
        if (own.size() < 2 || (own.size() < MAX_OWN_USERS && random.nextInt(4) == 0)) {
            own.add(new OwnUser(id, new ArrayList<>()));
        } else {
            keys.users.add(id, random);
        }
        return Operation.INSERT_USER;
    }

    /** A user with the id from the client and is_active, created_at and updated_at from their defaults. */
    private UUID insertUser(String email) throws SQLException {
        UUID id = UUID.randomUUID();
        update("INSERT INTO users (id, email, display_name, password_hash) VALUES (?, ?, ?, ?)",
                id, email, name(), "$2b$10$" + Long.toHexString(random.nextLong()));
        return id;
    }

    private Operation insertUserWithGeneratedId() throws SQLException {
        try (PreparedStatement s = prepare("INSERT INTO users (id, email, display_name, is_active, created_at, "
                + "updated_at) VALUES (gen_random_uuid(), ?, ?, ?, now(), now()) RETURNING id",
                nextEmail(), name(), random.nextInt(10) > 0); ResultSet rs = s.executeQuery()) {
            rs.next();
            keys.users.add(UUID.fromString(rs.getString(1)), random);
        }
        return Operation.INSERT_USER_GENERATED_ID;
    }

    private Operation insertContent() throws SQLException {
        if (random.nextInt(3) == 0) {
            OwnUser user = ownUser();
            user.content().add(insertContent(user.id()));
        } else {
            UUID user = keys.users.pick(random);
            keys.content.add(insertContent(user != null ? user : keys.hotUser), random);
        }
        return Operation.INSERT_CONTENT;
    }

    /** Content with its id from the client, view_count, published and created_at from their defaults. */
    private UUID insertContent(UUID user) throws SQLException {
        UUID id = UUID.randomUUID();
        String title = title();
        update("INSERT INTO content (id, user_id, title, content_type, body, metadata, score) "
                + "VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?)",
                id, user, title, pick(CONTENT_TYPES), random.nextInt(5) == 0 ? null : "About " + title + ".",
                "{\"tags\": [\"" + pick(WORDS) + "\"], \"words\": " + random.nextInt(3000) + ", \"lang\": \"en\"}",
                random.nextInt(4) == 0 ? null : Math.round(random.nextDouble() * 10_000) / 100.0);
        return id;
    }

    private Operation insertEventReturning() throws SQLException {
        keys.events.add(insertEvent(sharedUser(), keys.content.pick(random)), random);
        return Operation.INSERT_EVENT_RETURNING;
    }

    /** An event stamped with now(), its identity id read back through RETURNING. */
    private long insertEvent(UUID user, UUID content) throws SQLException {
        try (PreparedStatement s = prepare("INSERT INTO analytics_events (user_id, content_id, event_type, event_data, "
                + "timestamp) VALUES (?, ?, ?, CAST(? AS jsonb), now()) RETURNING id", user, content, pick(EVENT_TYPES),
                "{\"ms\": " + random.nextInt(5000) + ", \"path\": \"/c/" + (content == null ? "home" : content) + "\"}");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** An event whose timestamp comes from the column default and whose id pgjdbc asks for itself. */
    private Operation insertEventWithGeneratedKeys() throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO analytics_events (user_id, event_type, event_data) "
                + "VALUES (?, ?, CAST(? AS jsonb))", new String[] {"id"})) {
            bind(s, sharedUser(), pick(EVENT_TYPES), random.nextInt(3) == 0 ? null : "{\"source\": \"keys\"}");
            s.executeUpdate();
            try (ResultSet rs = s.getGeneratedKeys()) {
                rs.next();
                keys.events.add(rs.getLong(1), random);
            }
        }
        return Operation.INSERT_EVENT_GENERATED_KEYS;
    }

    // ---------------------------------------------------------------- updates

    private Operation updateUser() throws SQLException {
        UUID user = random.nextInt(4) == 0 ? keys.hotUser : sharedUser();
        expectRow(Operation.UPDATE_USER, update("UPDATE users SET display_name = ?, updated_at = now() WHERE id = ?",
                name(), user));
        return Operation.UPDATE_USER;
    }

    private Operation updateContent() throws SQLException {
        UUID content = random.nextBoolean() ? keys.hotContent(random) : keys.content.pick(random);
        if (content == null) {
            content = keys.hotContent(random);
        }
        expectRow(Operation.UPDATE_CONTENT, update("UPDATE content SET view_count = view_count + 1, score = ? WHERE id = ?",
                Math.round(random.nextDouble() * 10_000) / 100.0, content));
        return Operation.UPDATE_CONTENT;
    }

    /** Several rows in one statement: only the client's own, so that no two clients lock many rows in different orders. */
    private Operation updateContentOfUser() throws SQLException {
        OwnUser user = own.stream().filter(u -> u.content().size() >= 2).findAny().orElse(null);
        if (user == null) {
            OwnUser target = ownUser();
            target.content().add(insertContent(target.id()));
            return Operation.INSERT_CONTENT;
        }
        int rows = update("UPDATE content SET published = ?, view_count = view_count + 1 WHERE user_id = ?",
                random.nextBoolean(), user.id());
        if (rows != user.content().size()) {
            stats.anomaly("a multi-row update changed " + rows + " rows where the client had committed "
                    + user.content().size());
        }
        return Operation.UPDATE_CONTENT_OF_USER;
    }

    // ---------------------------------------------------------------- deletes

    /**
     * Keys to delete are taken out of the pool, and nothing else deletes shared events or content,
     * so a delete that finds no row means a committed row was lost.
     */
    private Operation deleteEvent() throws SQLException {
        Long id = keys.events.take(random);
        if (id == null) {
            return insertEventReturning();
        }
        if (update("DELETE FROM analytics_events WHERE id = ?", id) != 1) {
            stats.anomaly("a committed event was gone before its delete");
        }
        return Operation.DELETE_EVENT;
    }

    private Operation deleteContent() throws SQLException {
        UUID id = keys.content.take(random);
        if (id == null) {
            return insertContent();
        }
        if (update("DELETE FROM content WHERE id = ?", id) != 1) {
            stats.anomaly("a committed content row was gone before its delete");
        }
        return Operation.DELETE_CONTENT;
    }

    /** A user and what references it, in one transaction: a user with content is never deleted alone. */
    private Operation deleteUser() throws SQLException {
        if (own.isEmpty()) {
            return insertUser();
        }
        OwnUser user = own.remove(random.nextInt(own.size()));
        c.setAutoCommit(false);
        update("DELETE FROM analytics_events WHERE user_id = ?", user.id());
        int content = update("DELETE FROM content WHERE user_id = ?", user.id());
        int users = update("DELETE FROM users WHERE id = ?", user.id());
        c.commit();
        c.setAutoCommit(true);
        if (content != user.content().size() || users != 1) {
            stats.anomaly("deleting an own user found " + users + " users and " + content + " content rows where "
                    + "the client had committed 1 and " + user.content().size());
        }
        return Operation.DELETE_USER;
    }

    // ---------------------------------------------------------------- transactions

    /** Writes to four tables' rows, one of them a hot row every client updates, committed together. */
    private Operation transaction() throws SQLException {
        c.setAutoCommit(false);
        OwnUser user = own.isEmpty() ? null : own.get(random.nextInt(own.size()));
        UUID userId = user != null ? user.id() : insertUser(nextEmail());
        UUID content = insertContent(userId);
        expectRow(Operation.TRANSACTION, update("UPDATE content SET view_count = view_count + 1 WHERE id = ?",
                keys.hotContent(random)));
        insertEvent(userId, content);
        update("UPDATE users SET updated_at = now() WHERE id = ?", userId);
        c.commit();
        c.setAutoCommit(true);
        if (user == null) {
            user = new OwnUser(userId, new ArrayList<>());
            own.add(user);
        }
        user.content().add(content);
        // the event is the own user's and goes when the user goes, so it stays out of the shared pool
        return Operation.TRANSACTION;
    }

    /** Writes rolled back: afterwards the user they inserted must not be there. */
    private Operation rollback() throws SQLException {
        String email = nextEmail();
        c.setAutoCommit(false);
        UUID user = insertUser(email);
        insertContent(user);
        update("UPDATE content SET view_count = view_count + 1000000 WHERE id = ?", keys.hotContent(random));
        c.rollback();
        c.setAutoCommit(true);
        checkGone(email);
        return Operation.ROLLBACK;
    }

    /**
     * A transaction that fails mid-way on a unique key, as applications' do: a second user with the
     * first one's email, or content with a hot row's id. The 23505 is expected; the insert
     * succeeding is an anomaly.
     */
    private Operation rollbackOnUniqueViolation() throws SQLException {
        String email = nextEmail();
        c.setAutoCommit(false);
        UUID user = insertUser(email);
        insertContent(user);
        boolean duplicateEmail = random.nextBoolean();
        try {
            if (duplicateEmail) {
                update("INSERT INTO users (id, email) VALUES (?, ?)", UUID.randomUUID(), email);
            } else {
                update("INSERT INTO content (id, user_id, title, content_type) VALUES (?, ?, ?, ?)",
                        keys.hotContent(random), user, "duplicate", "article");
            }
            stats.anomaly(duplicateEmail ? "a duplicate email was accepted" : "a duplicate primary key was accepted");
        } catch (SQLException e) {
            if (!SqlStates.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            stats.expectedError(e.getSQLState());
        }
        c.rollback();
        c.setAutoCommit(true);
        checkGone(email);
        return Operation.ROLLBACK_ON_UNIQUE_VIOLATION;
    }

    private void checkGone(String email) throws SQLException {
        if (count("SELECT count(*) FROM users WHERE email = ?", email) != 0) {
            stats.anomaly("a rolled-back user is visible");
        }
    }

    // ---------------------------------------------------------------- reads

    private Operation readByKey() throws SQLException {
        if (random.nextBoolean()) {
            read("SELECT id, email, display_name, is_active, created_at, updated_at FROM users WHERE id = ?", sharedUser());
        } else {
            UUID content = keys.content.pick(random);
            read("SELECT id, user_id, title, body, metadata, view_count, score, published, created_at FROM content "
                    + "WHERE id = ?", content != null ? content : keys.hotContent(random));
        }
        return Operation.READ_BY_KEY;
    }

    private Operation readRange() throws SQLException {
        if (random.nextBoolean()) {
            read("SELECT id, title, view_count FROM content WHERE user_id = ? ORDER BY id LIMIT 20",
                    random.nextBoolean() ? keys.hotUser : sharedUser());
        } else {
            Long from = keys.events.pick(random);
            read("SELECT id, event_type, timestamp FROM analytics_events WHERE id >= ? ORDER BY id LIMIT 20",
                    from != null ? from : 0L);
        }
        return Operation.READ_RANGE;
    }

    private Operation readAggregate() throws SQLException {
        UUID user = random.nextBoolean() ? keys.hotUser : sharedUser();
        if (random.nextBoolean()) {
            read("SELECT count(*), coalesce(sum(view_count), 0), max(score) FROM content WHERE user_id = ?", user);
        } else {
            read("SELECT event_type, count(*) FROM analytics_events WHERE user_id = ? GROUP BY event_type "
                    + "ORDER BY event_type", user);
        }
        return Operation.READ_AGGREGATE;
    }

    // ---------------------------------------------------------------- helpers

    private OwnUser ownUser() throws SQLException {
        if (own.isEmpty()) {
            own.add(new OwnUser(insertUser(nextEmail()), new ArrayList<>()));
        }
        return own.get(random.nextInt(own.size()));
    }

    private UUID sharedUser() {
        UUID user = keys.users.pick(random);
        return user != null ? user : keys.hotUser;
    }

    private void expectRow(Operation op, int rows) {
        if (rows == 0) {
            stats.noRow(op);
        }
    }

    private int update(String sql, Object... values) throws SQLException {
        try (PreparedStatement s = prepare(sql, values)) {
            return s.executeUpdate();
        }
    }

    private long count(String sql, Object... values) throws SQLException {
        try (PreparedStatement s = prepare(sql, values); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Reads every row and column, so the reads cost what an application's would. */
    private void read(String sql, Object... values) throws SQLException {
        try (PreparedStatement s = prepare(sql, values); ResultSet rs = s.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getString(i);
                }
            }
        }
    }

    private PreparedStatement prepare(String sql, Object... values) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            bind(s, values);
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Nulls go untyped, so the server takes the column's type, as with any typed value the driver sends. */
    private static void bind(PreparedStatement s, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                s.setNull(i + 1, Types.OTHER);
            } else {
                s.setObject(i + 1, values[i]);
            }
        }
    }

    private String nextEmail() {
        return emailPrefix + (++counter) + "@loadtest.example";
    }

    private String name() {
        return capitalize(pick(WORDS)) + " " + capitalize(pick(WORDS));
    }

    private String title() {
        return capitalize(pick(WORDS)) + " " + pick(WORDS) + " " + pick(WORDS);
    }

    private String pick(String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
