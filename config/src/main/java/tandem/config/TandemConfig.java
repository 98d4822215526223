package tandem.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything tandem is configured with. Read from YAML by {@link ConfigLoader}, or built in code
 * with {@link #builder()}. Every instance is valid: the constructor fills in defaults for null
 * components, checks the whole tree and throws a {@link ConfigException} listing every problem.
 *
 * @param listen where clients connect; default 127.0.0.1:6432
 * @param database the database name clients connect to; default the old store's (its PostgreSQL
 *     database, or its SQLite file name without the extension)
 * @param admin the admin HTTP server
 * @param users the users clients log in as; empty means trust authentication, which is allowed only
 *     when {@code listen} is a loopback address
 * @param stores the old store and, optionally, the new one
 * @param limits limits on clients
 * @param schema how {@code tandem schema} types the new store's tables
 */
public record TandemConfig(
        HostPort listen,
        String database,
        AdminConfig admin,
        List<UserConfig> users,
        StoresConfig stores,
        LimitsConfig limits,
        int ioThreads,
        MigrationConfig migration,
        SchemaConfig schema) {

    public static final HostPort DEFAULT_LISTEN = HostPort.loopback(6432);

    public TandemConfig {
        listen = listen != null ? listen : DEFAULT_LISTEN;
        admin = admin != null ? admin : AdminConfig.defaults();
        users = users != null ? List.copyOf(users) : List.of();
        stores = stores != null ? stores : new StoresConfig(null, null);
        limits = limits != null ? limits : LimitsConfig.defaults();
        migration = migration != null ? migration : MigrationConfig.defaults();
        schema = schema != null ? schema : SchemaConfig.defaults();
        if (database == null && stores.oldStore() != null) {
            database = stores.oldStore().databaseName();
        }
        List<ConfigProblem> problems = ConfigRules.check(listen, database, admin, users, stores, limits, ioThreads,
                migration, schema);
        if (!problems.isEmpty()) {
            throw new ConfigException(null, problems);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Event loop threads for client and store connections: {@code ioThreads}, or with 0 (the
     * default) half the machine's cores and at least one. A proxy shares its machine with clients
     * or a database more often than not, and on few cores one thread handling many sessions beats
     * several threads waking each other.
     */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Whether clients connect without a password (no users configured). */
    public boolean trustsClients() {
        return users.isEmpty();
    }

    public StoreConfig oldStore() {
        return stores.oldStore();
    }

    /** The new store, or null when tandem passes everything to the old one. */
    public StoreConfig newStore() {
        return stores.newStore();
    }

    /** Builds a configuration in code: tests, and the demo with its SQLite file and embedded PostgreSQL. */
    public static final class Builder {

        private HostPort listen;
        private String database;
        private AdminConfig admin;
        private final List<UserConfig> users = new ArrayList<>();
        private StoreConfig oldStore;
        private StoreConfig newStore;
        private LimitsConfig limits;
        private int ioThreads;
        private MigrationConfig migration;
        private SchemaConfig schema;

        private Builder() {
        }

        public Builder listen(HostPort listen) {
            this.listen = listen;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder admin(AdminConfig admin) {
            this.admin = admin;
            return this;
        }

        public Builder user(String name, String password) {
            users.add(new UserConfig(name, password));
            return this;
        }

        /** The store the application uses today; required. */
        public Builder oldStore(StoreConfig store) {
            this.oldStore = store;
            return this;
        }

        /** The PostgreSQL store to move to; without one tandem passes everything to the old store. */
        public Builder newStore(StoreConfig store) {
            this.newStore = store;
            return this;
        }

        public Builder limits(LimitsConfig limits) {
            this.limits = limits;
            return this;
        }

        public Builder migration(MigrationConfig migration) {
            this.migration = migration;
            return this;
        }

        public Builder schema(SchemaConfig schema) {
            this.schema = schema;
            return this;
        }

        /** 0 picks a number from the machine's cores. */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /** @throws ConfigException listing every problem */
        public TandemConfig build() {
            return new TandemConfig(listen, database, admin, users, new StoresConfig(oldStore, newStore), limits,
                    ioThreads, migration, schema);
        }
    }
}
