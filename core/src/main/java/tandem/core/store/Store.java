package tandem.core.store;

import java.util.Optional;

/**
 * A database tandem serves or copies to, as {@code core} sees it: implemented in {@code adapters}
 * for each database. A PostgreSQL store is reached by client traffic through the wire relay
 * ({@link #wireEndpoint()}); a SQLite store through an emulated PostgreSQL session
 * ({@link #openSession(SessionSettings)}).
 */
public interface Store extends AutoCloseable {

    /** The role name from the config, {@code old} or {@code new}. */
    String name();

    StoreKind kind();

    /** The version string to report as server_version: the server's own, or a compatible one. */
    String serverVersion();

    /** Checks within a short timeout that the store answers; throws ProxyException (08006) if not. */
    void ping();

    /** For PostgreSQL stores: where the relay connects. */
    Optional<WireEndpoint> wireEndpoint();

    /** For stores tandem emulates PostgreSQL over: a new client session. */
    SqlSession openSession(SessionSettings settings);

    @Override
    void close();
}
