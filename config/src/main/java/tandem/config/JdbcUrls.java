package tandem.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** What the configuration needs to know about a store's JDBC url, without a driver. */
final class JdbcUrls {

    static final String SQLITE = "jdbc:sqlite:";
    static final String POSTGRES = "jdbc:postgresql:";

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");

    private JdbcUrls() {
    }

    static boolean isSqlite(String url) {
        return url != null && url.startsWith(SQLITE);
    }

    static boolean isPostgres(String url) {
        return url != null && url.startsWith(POSTGRES);
    }

    /**
     * An in-memory SQLite database exists inside one connection, and a SQLite store has several (the
     * writer and the readers), each of which would see an empty database of its own.
     */
    static boolean isSqliteInMemory(String url) {
        String rest = sqlitePath(url);
        return rest.isEmpty() || rest.equals(":memory:") || url.toLowerCase(Locale.ROOT).contains("mode=memory");
    }

    /**
     * The database name clients connect with by default: for PostgreSQL the database in the url
     * ({@code jdbc:postgresql://host:5432/app} and {@code jdbc:postgresql:app} give {@code app}); for
     * SQLite the file name without its extension ({@code jdbc:sqlite:/var/lib/app/app.db} gives
     * {@code app}). Null when the url names none.
     */
    static String databaseName(String url) {
        String name;
        if (isPostgres(url)) {
            String rest = url.substring(POSTGRES.length());
            if (rest.startsWith("//")) {
                int slash = rest.indexOf('/', 2);
                rest = slash < 0 ? "" : rest.substring(slash + 1);
            }
            name = URLDecoder.decode(beforeQuery(rest), StandardCharsets.UTF_8);
        } else if (isSqlite(url)) {
            if (isSqliteInMemory(url)) {
                return null;
            }
            String path = beforeQuery(sqlitePath(url));
            String file = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
            int dot = file.lastIndexOf('.');
            name = dot > 0 ? file.substring(0, dot) : file;
        } else {
            return null;
        }
        return name.isEmpty() ? null : name;
    }

    /** The url with any {@code password=} parameter's value hidden, for messages and toString. */
    static String redact(String url) {
        return url == null ? null : PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    }

    private static String sqlitePath(String url) {
        String rest = url.substring(SQLITE.length());
        return rest.startsWith("file:") ? rest.substring("file:".length()) : rest;
    }

    private static String beforeQuery(String s) {
        int query = s.indexOf('?');
        return query < 0 ? s : s.substring(0, query);
    }
}
