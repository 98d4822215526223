package tandem.config;

/**
 * The two stores tandem moves an application between. Each store's role is set from its place here,
 * so a store built with {@link StoreConfig#sqlite} or {@link StoreConfig#postgres} needs none.
 *
 * @param oldStore the store the application uses today; required
 * @param newStore the PostgreSQL store it moves to, or null: tandem then passes everything to the
 *     old store, which is how it is put in front of an application before a migration is planned
 */
public record StoresConfig(StoreConfig oldStore, StoreConfig newStore) {

    public StoresConfig {
        oldStore = oldStore == null ? null : oldStore.withRole(StoreConfig.OLD);
        newStore = newStore == null ? null : newStore.withRole(StoreConfig.NEW);
    }

    public boolean isPassThrough() {
        return newStore == null;
    }
}
