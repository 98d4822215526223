package tandem.loadtest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo application's schema, from the same files the demo uses: users, their content and
 * analytics events, typed as SQLite has them in the old store and as PostgreSQL has them in the new.
 */
public final class DemoSchema {

    /** The tables in an order in which rows can be inserted (referenced tables first). */
    public static final List<String> TABLES = List.of("users", "content", "analytics_events");

    private DemoSchema() {
    }

    /** Creates the tables as the new store has them; tables that exist are left as they are. */
    public static void createPostgres(Connection c) throws SQLException {
        run(c, "postgres-schema.sql");
    }

    /** Creates the tables as the old store has them, in an empty SQLite database. */
    public static void createSqlite(Connection c) throws SQLException {
        run(c, "sqlite-schema.sql");
    }

    private static void run(Connection c, String file) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements(resource(file))) {
                s.execute(statement);
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = DemoSchema.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("/demo/" + name + " is not on the class path; the build copies it "
                        + "from proxy/src/main/resources/demo");
            }
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
