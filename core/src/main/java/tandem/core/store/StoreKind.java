package tandem.core.store;

/** The database behind a store. */
public enum StoreKind {
    POSTGRES("PostgreSQL"),
    SQLITE("SQLite");

    private final String displayName;

    StoreKind(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
