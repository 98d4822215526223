package tandem.loadtest;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import tandem.adapters.testing.TestDatabase;

/**
 * A pair of stores holding the same demo rows, as a finished migration leaves them: a SQLite file
 * with the values as SQLite keeps them (text ids and timestamps, 0/1 booleans, json text with
 * spaces) and a PostgreSQL schema with them typed (uuid, timestamp, boolean, jsonb), generated
 * like the demo's DemoData from a fixed seed, only smaller.
 */
final class DemoStores {

    static final int USERS = 200;
    static final int CONTENT = 600;
    static final int EVENTS = 1_500;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime EPOCH = LocalDateTime.of(2023, 1, 1, 0, 0);
    private static final String[] WORDS = {"viral", "growth", "launch", "guide", "data", "story", "tips", "edge",
        "database", "migration", "zero", "downtime"};
    private static final String[] CONTENT_TYPES = {"article", "video", "image", "thread", "podcast"};
    private static final String[] EVENT_TYPES = {"page_view", "click", "like", "share", "comment"};

    final Path sqliteFile;
    final String postgresUrl;
    final TestDatabase db;
    final List<UUID> users = new ArrayList<>();
    final List<UUID> content = new ArrayList<>();

    private DemoStores(Path sqliteFile, String postgresUrl, TestDatabase db) {
        this.sqliteFile = sqliteFile;
        this.postgresUrl = postgresUrl;
        this.db = db;
    }

    /** A new pair: {@code name}.db in {@code dir}, and schema {@code name} in the test database. */
    static DemoStores create(TestDatabase db, Path dir, String name) throws SQLException {
        db.execute("CREATE SCHEMA " + name);
        DemoStores stores = new DemoStores(dir.resolve(name + ".db"), db.jdbcUrl() + "?currentSchema=" + name, db);
        try (Connection sqlite = stores.sqlite(); Connection pg = stores.postgres()) {
            DemoSchema.createSqlite(sqlite);
            DemoSchema.createPostgres(pg);
            sqlite.setAutoCommit(false);
            pg.setAutoCommit(false);
            stores.fill(sqlite, pg, new Random(20_261_122L));
            sqlite.commit();
            pg.commit();
        }
        return stores;
    }

    Connection sqlite() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
    }

    Connection postgres() throws SQLException {
        return DriverManager.getConnection(postgresUrl, db.user(), db.password());
    }

    StoreEndpoint oldEndpoint() {
        return StoreEndpoint.of("jdbc:sqlite:" + sqliteFile);
    }

    StoreEndpoint newEndpoint() {
        return new StoreEndpoint(postgresUrl, db.user(), db.password());
    }

    AuditResult audit(String... tables) {
        return Audit.compare(oldEndpoint(), newEndpoint(), List.of(tables));
    }

    void sqlite(String... statements) throws SQLException {
        try (Connection c = sqlite(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    void postgres(String... statements) throws SQLException {
        try (Connection c = postgres(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private void fill(Connection sqlite, Connection pg, Random random) throws SQLException {
        try (PreparedStatement o = sqlite.prepareStatement("INSERT INTO users (id, email, display_name, password_hash, "
                + "is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement n = pg.prepareStatement("INSERT INTO users (id, email, display_name, password_hash, "
                        + "is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= USERS; i++) {
                UUID id = uuid(random);
                users.add(id);
                String name = pick(random, WORDS) + " " + pick(random, WORDS);
                LocalDateTime created = moment(random);
                LocalDateTime updated = created.plusMinutes(random.nextInt(60 * 24 * 90));
                String hash = "$2b$10$" + Long.toHexString(random.nextLong());
                boolean active = random.nextInt(10) != 0;
                String email = "user" + i + "@example.com";
                bind(o, id.toString(), email, name, hash, active ? 1 : 0, TIMESTAMP.format(created),
                        TIMESTAMP.format(updated));
                bind(n, id, email, name, hash, active, created, updated);
            }
            o.executeBatch();
            n.executeBatch();
        }
        try (PreparedStatement o = sqlite.prepareStatement("INSERT INTO content (id, user_id, title, content_type, "
                + "body, metadata, view_count, score, published, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement n = pg.prepareStatement("INSERT INTO content (id, user_id, title, content_type, body, "
                        + "metadata, view_count, score, published, created_at) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), "
                        + "?, ?, ?, ?)")) {
            for (int i = 0; i < CONTENT; i++) {
                UUID id = uuid(random);
                content.add(id);
                UUID user = users.get(random.nextInt(users.size()));
                String title = pick(random, WORDS) + " " + pick(random, WORDS);
                String body = random.nextInt(5) == 0 ? null : "About " + title + ".";
                String metadata = "{\"tags\": [\"" + pick(random, WORDS) + "\"], \"lang\": \"en\", \"words\": "
                        + (100 + random.nextInt(3000)) + "}";
                int views = random.nextInt(100_000);
                Double score = random.nextInt(8) == 0 ? null : Math.round(random.nextDouble() * 10_000) / 100.0;
                boolean published = random.nextInt(10) < 7;
                LocalDateTime created = moment(random);
                String type = pick(random, CONTENT_TYPES);
                bind(o, id.toString(), user.toString(), title, type, body, metadata, views, score, published ? 1 : 0,
                        TIMESTAMP.format(created));
                bind(n, id, user, title, type, body, metadata, views, score, published, created);
            }
            o.executeBatch();
            n.executeBatch();
        }
        try (PreparedStatement o = sqlite.prepareStatement("INSERT INTO analytics_events (id, user_id, content_id, "
                + "event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement n = pg.prepareStatement("INSERT INTO analytics_events (id, user_id, content_id, "
                        + "event_type, event_data, timestamp) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?)")) {
            for (long id = 1; id <= EVENTS; id++) {
                UUID user = users.get(random.nextInt(users.size()));
                UUID item = random.nextInt(5) == 0 ? null : content.get(random.nextInt(content.size()));
                String type = pick(random, EVENT_TYPES);
                String data = "{\"path\": \"/" + (item == null ? "home" : "c/" + item.toString().substring(0, 8))
                        + "\", \"ms\": " + random.nextInt(5000) + "}";
                LocalDateTime at = moment(random).plusNanos(random.nextInt(1000) * 1000L);
                bind(o, id, user.toString(), item == null ? null : item.toString(), type, data,
                        at.toString().replace('T', ' '));
                bind(n, id, user, item, type, data, at);
            }
            o.executeBatch();
            n.executeBatch();
        }
        // identity columns given explicit ids must be moved past them, as a migration's copy does
        try (Statement s = pg.createStatement()) {
            s.execute("SELECT setval(pg_get_serial_sequence('analytics_events', 'id'), " + EVENTS + ")");
        }
    }

    private static void bind(PreparedStatement s, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            s.setObject(i + 1, values[i]);
        }
        s.addBatch();
    }

    private static LocalDateTime moment(Random random) {
        return EPOCH.plusSeconds((long) (random.nextDouble() * 900 * 24 * 3600));
    }

    private static UUID uuid(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }
}
