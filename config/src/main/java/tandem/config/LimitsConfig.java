package tandem.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on what clients may do, so one client can't exhaust the proxy.
 *
 * @param maxClientConnections client connections at once, at least 1; default 1000
 * @param maxMessageSize the largest protocol message a client may send, in bytes, 1kB to 1GB (the
 *     largest PostgreSQL itself accepts); default 64MB
 * @param clientIdleTimeout how long a client connection may sit idle outside a transaction before
 *     it is closed, 0 for never; default 0
 */
public record LimitsConfig(int maxClientConnections, long maxMessageSize, Duration clientIdleTimeout) {

    static final long MIN_MESSAGE_SIZE = 1024;
    static final long MAX_MESSAGE_SIZE = 1024L * 1024 * 1024;

    public LimitsConfig {
        Objects.requireNonNull(clientIdleTimeout, "clientIdleTimeout");
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(1000, 64L * 1024 * 1024, Duration.ZERO);
    }

    public boolean hasClientIdleTimeout() {
        return !clientIdleTimeout.isZero();
    }
}
