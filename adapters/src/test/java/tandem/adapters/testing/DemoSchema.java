package tandem.adapters.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's schemas, read from the proxy module's resources (the files {@code bin/tandem demo}
 * creates its stores from), split into statements: tests of introspection and mirroring run on
 * exactly the schema users first see.
 */
public final class DemoSchema {

    private static final Path DIR = locate();

    private DemoSchema() {
    }

    private static Path locate() {
        for (Path p : List.of(Path.of("..", "proxy", "src", "main", "resources", "demo"),
                Path.of("proxy", "src", "main", "resources", "demo"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("the demo schemas (proxy/src/main/resources/demo) are not found from "
                + Path.of("").toAbsolutePath() + "; run the tests from the adapters module or the project root");
    }

    /** The SQLite (old store) schema: users, content, analytics_events. */
    public static String[] sqlite() {
        return statements("sqlite-schema.sql");
    }

    /** The PostgreSQL (new store) schema: the same tables with uuid, jsonb, identity. */
    public static String[] postgres() {
        return statements("postgres-schema.sql");
    }

    private static String[] statements(String file) {
        try {
            String text = Files.readString(DIR.resolve(file));
            StringBuilder withoutComments = new StringBuilder();
            for (String line : text.split("\n")) {
                if (!line.strip().startsWith("--")) {
                    withoutComments.append(line).append('\n');
                }
            }
            return Arrays.stream(withoutComments.toString().split(";")).map(String::strip).filter(s -> !s.isEmpty())
                    .toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
