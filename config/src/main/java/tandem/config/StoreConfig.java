package tandem.config;

import java.nio.file.Path;

/**
 * One store: the old one the application uses today, or the new one it moves to.
 *
 * @param role {@value #OLD} or {@value #NEW}, set by {@link StoresConfig} from the store's place;
 *     names the store in problems, logs and metrics
 * @param url {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST:PORT/DATABASE}; the new store
 *     must be PostgreSQL
 * @param user the PostgreSQL user, or null to take it from the url; SQLite stores have none
 * @param password the PostgreSQL password, or null; SQLite stores have none
 * @param pool the backend connections for client traffic; null means the defaults for the store's
 *     kind (transaction pooling for SQLite, session pooling for PostgreSQL)
 * @param sqlite for SQLite stores how the file is opened (null means the defaults); null for
 *     PostgreSQL stores
 */
public record StoreConfig(String role, String url, String user, String password, PoolConfig pool, SqliteConfig sqlite) {

    public static final String OLD = "old";
    public static final String NEW = "new";

    public StoreConfig {
        if (pool == null) {
            pool = PoolConfig.defaults(JdbcUrls.isSqlite(url) ? PoolMode.TRANSACTION : PoolMode.SESSION);
        }
        if (sqlite == null && JdbcUrls.isSqlite(url)) {
            sqlite = SqliteConfig.defaults();
        }
    }

    /** A SQLite store on {@code file}, with the defaults. */
    public static StoreConfig sqlite(Path file) {
        return new StoreConfig(null, JdbcUrls.SQLITE + file, null, null, null, null);
    }

    /** A PostgreSQL store, with the defaults; {@code user} and {@code password} may be null. */
    public static StoreConfig postgres(String url, String user, String password) {
        return new StoreConfig(null, url, user, password, null, null);
    }

    public StoreConfig withPool(PoolConfig newPool) {
        return new StoreConfig(role, url, user, password, newPool, sqlite);
    }

    public StoreConfig withSqlite(SqliteConfig newSqlite) {
        return new StoreConfig(role, url, user, password, pool, newSqlite);
    }

    StoreConfig withRole(String newRole) {
        return newRole.equals(role) ? this : new StoreConfig(newRole, url, user, password, pool, sqlite);
    }

    public boolean isSqlite() {
        return JdbcUrls.isSqlite(url);
    }

    public boolean isPostgres() {
        return JdbcUrls.isPostgres(url);
    }

    /**
     * The database name the url names: the PostgreSQL database, or the SQLite file name without its
     * extension; null when it names none.
     */
    public String databaseName() {
        return JdbcUrls.databaseName(url);
    }

    @Override
    public String toString() {
        return "StoreConfig[role=" + role + ", url=" + JdbcUrls.redact(url) + ", user=" + user
                + ", password=" + Secrets.mask(password) + ", pool=" + pool + ", sqlite=" + sqlite + "]";
    }
}
