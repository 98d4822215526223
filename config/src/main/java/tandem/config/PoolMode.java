package tandem.config;

/** How client connections share a store's backend connections; written in lower case in YAML. */
public enum PoolMode {
    /**
     * A client holds one backend connection for its whole session, so session state (SET, temporary
     * tables, prepared statements) behaves as on a direct connection.
     */
    SESSION,
    /**
     * A client holds a backend connection only for the length of a transaction, so many clients share
     * few connections.
     */
    TRANSACTION
}
