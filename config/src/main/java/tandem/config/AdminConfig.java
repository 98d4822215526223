package tandem.config;

import java.util.Objects;

/**
 * The admin HTTP server: {@code /api}, {@code /metrics}, {@code /health/live}, {@code /health/ready}.
 *
 * @param listen where it listens; default 127.0.0.1:9090
 * @param token the bearer token {@code /api} requires, or null for none; required when listen is not
 *     a loopback address, because {@code /api} can shift reads and cut over
 */
public record AdminConfig(HostPort listen, String token) {

    public static final HostPort DEFAULT_LISTEN = HostPort.loopback(9090);

    public AdminConfig {
        Objects.requireNonNull(listen, "listen");
    }

    public static AdminConfig defaults() {
        return new AdminConfig(DEFAULT_LISTEN, null);
    }

    public boolean hasToken() {
        return token != null;
    }

    @Override
    public String toString() {
        return "AdminConfig[listen=" + listen + ", token=" + Secrets.mask(token) + "]";
    }
}
