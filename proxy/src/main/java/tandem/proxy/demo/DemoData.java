package tandem.proxy.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.function.Consumer;

/**
 * The demo's sample application: users, their content and analytics events, shaped like the
 * schema in the seed documents, generated from a fixed seed so every demo starts alike.
 */
public final class DemoData {

    public static final int USERS = 5_000;
    public static final int CONTENT = 20_000;
    public static final int EVENTS = 50_000;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime EPOCH = LocalDateTime.of(2023, 1, 1, 0, 0);
    private static final String[] FIRST = {"Ada", "Bao", "Chidi", "Dana", "Émile", "Farah", "Goran", "Hana", "Ines",
        "Jun", "Kofi", "Lena", "Mateo", "Noor", "Olga", "Priya", "Quinn", "Rafael", "Sofia", "Tomás", "Uma", "Viktor",
        "Wen", "Ximena", "Yusuf", "Zoë"};
    private static final String[] LAST = {"Abe", "Banerjee", "Castillo", "Dubois", "Eriksen", "Fischer", "García",
        "Hoang", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Müller", "Nakamura", "Okafor", "Petrov", "Quispe",
        "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Wójcik", "Yilmaz", "Zhang"};
    private static final String[] WORDS = {"viral", "growth", "launch", "guide", "secrets", "data", "story", "tips",
        "review", "weekly", "edge", "database", "migration", "zero", "downtime", "scale", "creator", "trend", "deep",
        "dive", "behind", "scenes", "how", "why", "ultimate", "checklist"};
    private static final String[] CONTENT_TYPES = {"article", "video", "image", "thread", "podcast"};
    private static final String[] EVENT_TYPES = {"page_view", "page_view", "page_view", "click", "click", "like",
        "share", "comment", "signup"};

    private DemoData() {
    }

    /** Creates the old store's database file with schema and rows. */
    public static void createSqlite(Path file, Consumer<String> progress) throws SQLException {
        Random random = new Random(20_261_122L);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                for (String statement : statements(resource("sqlite-schema.sql"))) {
                    s.execute(statement);
                }
            }
            c.setAutoCommit(false);
            List<String> userIds = insertUsers(c, random);
            progress.accept(USERS + " users");
            List<String> contentIds = insertContent(c, random, userIds);
            progress.accept(CONTENT + " content items");
            insertEvents(c, random, userIds, contentIds);
            progress.accept(EVENTS + " analytics events");
            c.commit();
        }
    }

    /** Creates the new store's (empty) tables. */
    public static void createPostgresSchema(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String statement : statements(resource("postgres-schema.sql"))) {
                s.execute(statement);
            }
        }
    }

    private static List<String> insertUsers(Connection c, Random random) throws SQLException {
        List<String> ids = new ArrayList<>(USERS);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (id, email, display_name, password_hash, "
                + "is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= USERS; i++) {
                String id = uuid(random);
                ids.add(id);
                String first = pick(random, FIRST);
                String last = pick(random, LAST);
                LocalDateTime created = moment(random, 0);
                insert.setString(1, id);
                insert.setString(2, ascii(first).toLowerCase() + "." + ascii(last).toLowerCase() + i + "@example.com");
                insert.setString(3, first + " " + last);
                insert.setString(4, "$2b$10$" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
                insert.setInt(5, random.nextInt(10) == 0 ? 0 : 1);
                insert.setString(6, TIMESTAMP.format(created));
                insert.setString(7, TIMESTAMP.format(created.plusMinutes(random.nextInt(60 * 24 * 90))));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return ids;
    }

    private static List<String> insertContent(Connection c, Random random, List<String> users) throws SQLException {
        List<String> ids = new ArrayList<>(CONTENT);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO content (id, user_id, title, content_type, "
                + "body, metadata, view_count, score, published, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < CONTENT; i++) {
                String id = uuid(random);
                ids.add(id);
                String title = capitalize(pick(random, WORDS)) + " " + pick(random, WORDS) + " " + pick(random, WORDS);
                insert.setString(1, id);
                insert.setString(2, users.get(random.nextInt(users.size())));
                insert.setString(3, title);
                insert.setString(4, pick(random, CONTENT_TYPES));
                insert.setString(5, random.nextInt(5) == 0 ? null : "About " + title.toLowerCase() + ".");
                insert.setString(6, "{\"tags\": [\"" + pick(random, WORDS) + "\", \"" + pick(random, WORDS)
                        + "\"], \"lang\": \"en\", \"words\": " + (100 + random.nextInt(3000)) + "}");
                insert.setInt(7, random.nextInt(100_000));
                insert.setDouble(8, Math.round(random.nextDouble() * 10_000) / 100.0);
                insert.setInt(9, random.nextInt(10) < 7 ? 1 : 0);
                insert.setString(10, TIMESTAMP.format(moment(random, 30)));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return ids;
    }

    private static void insertEvents(Connection c, Random random, List<String> users, List<String> content)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO analytics_events (user_id, content_id, "
                + "event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < EVENTS; i++) {
                String contentId = random.nextInt(5) == 0 ? null : content.get(random.nextInt(content.size()));
                insert.setString(1, users.get(random.nextInt(users.size())));
                insert.setString(2, contentId);
                insert.setString(3, pick(random, EVENT_TYPES));
                insert.setString(4, "{\"path\": \"/" + (contentId == null ? "home" : "c/" + contentId.substring(0, 8))
                        + "\", \"ms\": " + random.nextInt(5000) + "}");
                insert.setString(5, TIMESTAMP.format(moment(random, 60)));
                insert.addBatch();
                if (i % 10_000 == 9_999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private static LocalDateTime moment(Random random, int afterDays) {
        return EPOCH.plusDays(afterDays).plusSeconds((long) (random.nextDouble() * 900 * 24 * 3600));
    }

    private static String uuid(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static String ascii(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "");
    }

    private static String resource(String name) {
        try (InputStream in = DemoData.class.getResourceAsStream("/demo/" + name)) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema files hold plain statements separated by semicolons at line ends, and comments. */
    private static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                statements.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return statements;
    }
}
