package tandem.adapters;

import io.micrometer.core.instrument.MeterRegistry;
import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.sqlite.SqliteStore;
import tandem.config.StoreConfig;
import tandem.core.store.Store;

/** Opens the store a config entry describes. */
public final class StoreFactory {

    /** Connections a PostgreSQL store keeps for tandem's own work (health checks, later copy and verify). */
    private static final int WORK_POOL_SIZE = 4;

    private StoreFactory() {
    }

    public static Store open(StoreConfig config) {
        return open(config, null);
    }

    /** @param registry where the store's JDBC pools publish their metrics (HikariCP's), or null */
    public static Store open(StoreConfig config, MeterRegistry registry) {
        if (config.isPostgres()) {
            return PostgresStore.open(config.role(), config.url(), config.user(), config.password(),
                    config.pool().connectTimeout(), WORK_POOL_SIZE, registry);
        }
        if (config.isSqlite()) {
            return SqliteStore.open(config);
        }
        throw new IllegalArgumentException("stores." + config.role() + ".url is neither jdbc:sqlite: nor "
                + "jdbc:postgresql: (" + config.url() + ")");
    }
}
