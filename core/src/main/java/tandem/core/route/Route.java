package tandem.core.route;

/** Where one batch of a client's statements runs. */
public enum Route {
    /** The store the application writes to: the old store until cutover. */
    PRIMARY,
    /** The store being migrated to, for reads only. */
    SECONDARY
}
