package tandem.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How a SQLite store is opened.
 *
 * @param busyTimeout how long a connection waits on SQLite's lock before it fails with "database is
 *     locked"; default 5s
 * @param readers pooled read connections beside the one writer, 0 to read through the writer;
 *     default 4
 */
public record SqliteConfig(Duration busyTimeout, int readers) {

    public SqliteConfig {
        Objects.requireNonNull(busyTimeout, "busyTimeout");
    }

    public static SqliteConfig defaults() {
        return new SqliteConfig(Duration.ofSeconds(5), 4);
    }
}
