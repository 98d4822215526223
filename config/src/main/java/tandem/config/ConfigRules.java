package tandem.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules a whole configuration must follow, checked on the typed values so that a configuration
 * built in code is held to the same rules as one read from a file. Each rule adds a problem naming
 * the key it is about; the file's syntax and types are checked earlier, while binding.
 */
final class ConfigRules {

    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigRules() {
    }

    static List<ConfigProblem> check(HostPort listen, String database, AdminConfig admin, List<UserConfig> users,
            StoresConfig stores, LimitsConfig limits, int ioThreads, MigrationConfig migration, SchemaConfig schema) {
        ConfigRules rules = new ConfigRules();
        rules.database(database, stores.oldStore());
        rules.admin(admin, listen);
        rules.users(users, listen);
        rules.store(StoreConfig.OLD, stores.oldStore());
        rules.store(StoreConfig.NEW, stores.newStore());
        rules.distinct(stores);
        rules.limits(limits);
        rules.atLeast("ioThreads", ioThreads, 0);
        rules.migration(migration);
        rules.schema(schema);
        return rules.problems;
    }

    private void database(String database, StoreConfig oldStore) {
        if (database == null) {
            if (oldStore != null && (oldStore.isSqlite() || oldStore.isPostgres())) {
                add("database", "stores.old.url names no database to take the name from; set database: to the"
                        + " name clients connect with");
            }
        } else if (database.isBlank()) {
            add("database", "is empty; set the name clients connect with, or remove the key to use the old store's");
        }
    }

    private void admin(AdminConfig admin, HostPort listen) {
        if (admin.listen().equals(listen) && listen.port() != 0) {
            add("admin.listen", admin.listen() + " is also where clients connect (listen); give the admin API"
                    + " a port of its own");
        }
        if (admin.token() != null && admin.token().isEmpty()) {
            add("admin.token", "is empty; set a token, or remove the key to leave /api without one on a loopback"
                    + " address");
        } else if (admin.token() == null && !admin.listen().isLoopback()) {
            add("admin.token", "is required because admin.listen (" + admin.listen() + ") is not a loopback"
                    + " address and /api can shift reads and cut over; set a token, or listen on 127.0.0.1");
        }
    }

    private void users(List<UserConfig> users, HostPort listen) {
        if (users.isEmpty()) {
            if (!listen.isLoopback()) {
                add("users", "none are configured, so clients would connect without a password (trust), which is"
                        + " allowed only on a loopback address and listen is " + listen + "; add users with a name"
                        + " and password, or listen on 127.0.0.1");
            }
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < users.size(); i++) {
            UserConfig user = users.get(i);
            String path = KeyPaths.index("users", i);
            if (user.name() == null) {
                add(path + ".name", "is required");
            } else if (user.name().isBlank()) {
                add(path + ".name", "is empty");
            } else {
                Integer first = seen.putIfAbsent(user.name(), i);
                if (first != null) {
                    add(path + ".name", "'" + user.name() + "' is already the name of users[" + first
                            + "]; user names must be unique");
                }
            }
            if (user.password() == null) {
                add(path + ".password", "is required");
            } else if (user.password().isEmpty()) {
                add(path + ".password", "is empty; every user needs a password");
            }
        }
    }

    private void store(String role, StoreConfig store) {
        String path = "stores." + role;
        if (store == null) {
            if (role.equals(StoreConfig.OLD)) {
                add(path, "is required; it is the store the application uses today, e.g. url:"
                        + " jdbc:sqlite:/var/lib/app/app.db or url: jdbc:postgresql://127.0.0.1:5432/app");
            }
            return;
        }
        String url = store.url();
        if (url == null) {
            add(path + ".url", "is required (" + JdbcUrls.SQLITE + "FILE or " + JdbcUrls.POSTGRES + "//HOST:PORT/DATABASE)");
            return;
        }
        if (!store.isSqlite() && !store.isPostgres()) {
            add(path + ".url", "'" + JdbcUrls.redact(url) + "' is not a store tandem knows; the url must start with "
                    + JdbcUrls.SQLITE + " or " + JdbcUrls.POSTGRES);
            return;
        }
        if (store.isSqlite()) {
            sqliteStore(path, store);
        } else {
            postgresStore(path, store);
        }
        pool(path + ".pool", store.pool());
    }

    private void sqliteStore(String path, StoreConfig store) {
        if (store.role().equals(StoreConfig.NEW)) {
            add(path + ".url", "the new store must be PostgreSQL (" + JdbcUrls.POSTGRES + "//HOST:PORT/DATABASE),"
                    + " not SQLite");
            return;
        }
        if (JdbcUrls.isSqliteInMemory(store.url())) {
            add(path + ".url", "an in-memory SQLite database lives inside one connection and tandem opens several"
                    + " (a writer and readers); name a file, e.g. " + JdbcUrls.SQLITE + "/var/lib/app/app.db");
        }
        if (store.user() != null) {
            add(path + ".user", "a SQLite store has no users; remove the key");
        }
        if (store.password() != null) {
            add(path + ".password", "a SQLite store has no password; remove the key");
        }
        if (store.pool().mode() == PoolMode.SESSION) {
            add(path + ".pool.mode", "a SQLite store pools by transaction, because SQLite has one writer connection"
                    + " that clients take turns on between transactions; set transaction or remove the key");
        }
        SqliteConfig sqlite = store.sqlite();
        notNegative(path + ".sqlite.busyTimeout", sqlite.busyTimeout());
        atLeast(path + ".sqlite.readers", sqlite.readers(), 0);
    }

    private void postgresStore(String path, StoreConfig store) {
        if (store.sqlite() != null) {
            add(path + ".sqlite", "only SQLite stores take a sqlite block, and " + path + " is PostgreSQL; remove it");
        }
        if (store.user() != null && store.user().isBlank()) {
            add(path + ".user", "is empty; set the user, or remove the key to take it from the url");
        }
        if (store.password() != null && store.password().isEmpty()) {
            add(path + ".password", "is empty; set the password, or remove the key if the server asks for none");
        }
    }

    /** Mirroring a store into itself would report every write as mirrored while keeping one copy. */
    private void distinct(StoresConfig stores) {
        StoreConfig old = stores.oldStore();
        StoreConfig neu = stores.newStore();
        if (old != null && neu != null && old.url() != null && old.url().equals(neu.url())) {
            add("stores.new.url", "is the same as stores.old.url; the new store must be another database");
        }
    }

    private void pool(String path, PoolConfig pool) {
        atLeast(path + ".maxSize", pool.maxSize(), 1);
        if (pool.minIdle() < 0 || pool.minIdle() > Math.max(pool.maxSize(), 0)) {
            add(path + ".minIdle", pool.minIdle() + " is out of range (expected: 0 to maxSize, " + pool.maxSize() + ")");
        }
        positive(path + ".acquireTimeout", pool.acquireTimeout());
        positive(path + ".connectTimeout", pool.connectTimeout());
        notNegative(path + ".idleTimeout", pool.idleTimeout());
        notNegative(path + ".maxLifetime", pool.maxLifetime());
        Duration idle = pool.idleTimeout();
        Duration lifetime = pool.maxLifetime();
        if (idle.isPositive() && lifetime.isPositive() && idle.compareTo(lifetime) >= 0) {
            add(path + ".idleTimeout", Units.format(idle) + " must be shorter than maxLifetime (" + Units.format(lifetime)
                    + "), or connections are replaced for age before they ever count as idle");
        }
    }

    private void migration(MigrationConfig migration) {
        if (migration.readPercent() < 0 || migration.readPercent() > 100) {
            add("migration.reads.percent", migration.readPercent() + " is out of range (expected: 0 to 100)");
        }
        if (migration.mirrorTimeout().isNegative() || migration.mirrorTimeout().isZero()) {
            add("migration.mirror.timeout", "must be longer than 0");
        }
        for (String table : migration.exclude()) {
            if (migration.tables().stream().anyMatch(t -> t.equalsIgnoreCase(table))) {
                add("migration.exclude", "'" + table + "' is also listed in migration.tables; a table is mirrored or not");
            }
        }
    }

    private void schema(SchemaConfig schema) {
        schema.columns().forEach((column, type) -> {
            String path = "schema.columns." + column;
            int dot = column.indexOf('.');
            if (dot <= 0 || dot == column.length() - 1 || column.indexOf('.', dot + 1) >= 0) {
                add(path, "'" + column + "' does not name a column as table.column (e.g. users.created_at)");
            }
            if (type == null || type.isBlank()) {
                add(path, "names no type; give a PostgreSQL type such as timestamptz, or remove the key");
            }
        });
    }

    private void limits(LimitsConfig limits) {
        atLeast("limits.maxClientConnections", limits.maxClientConnections(), 1);
        long size = limits.maxMessageSize();
        if (size < LimitsConfig.MIN_MESSAGE_SIZE || size > LimitsConfig.MAX_MESSAGE_SIZE) {
            add("limits.maxMessageSize", Units.formatSize(size) + " is out of range (expected: "
                    + Units.formatSize(LimitsConfig.MIN_MESSAGE_SIZE) + " to " + Units.formatSize(LimitsConfig.MAX_MESSAGE_SIZE) + ")");
        }
        notNegative("limits.clientIdleTimeout", limits.clientIdleTimeout());
    }

    private void atLeast(String path, int value, int min) {
        if (value < min) {
            add(path, value + " is too small (expected: at least " + min + ")");
        }
    }

    private void positive(String path, Duration d) {
        if (!d.isPositive()) {
            add(path, Units.format(d) + " is too short (expected: longer than 0)");
        }
    }

    private void notNegative(String path, Duration d) {
        if (d.isNegative()) {
            add(path, Units.format(d) + " is negative (expected: 0 or longer)");
        }
    }

    private void add(String path, String message) {
        problems.add(new ConfigProblem(path, message));
    }
}
