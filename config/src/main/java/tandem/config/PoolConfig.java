package tandem.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The backend connections a store keeps for client traffic.
 *
 * @param mode session (the default for PostgreSQL stores) or transaction (the only mode for SQLite
 *     stores, which have one writer connection that clients take turns on)
 * @param maxSize backend connections for client traffic, at least 1; default 20
 * @param minIdle idle connections kept open, 0 to maxSize; default 0
 * @param acquireTimeout how long a client waits for a backend connection; default 5s
 * @param connectTimeout how long opening a backend connection may take; default 5s
 * @param idleTimeout how long a connection above minIdle may sit idle before it is closed, 0 for
 *     never; default 10m
 * @param maxLifetime the age at which a connection is replaced, 0 for never; default 30m
 */
public record PoolConfig(
        PoolMode mode,
        int maxSize,
        int minIdle,
        Duration acquireTimeout,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration maxLifetime) {

    public PoolConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
    }

    /** The defaults, with the given mode. */
    public static PoolConfig defaults(PoolMode mode) {
        return new PoolConfig(mode, 20, 0, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(10),
                Duration.ofMinutes(30));
    }
}
