package tandem.core.store;

import java.util.Map;

/**
 * Where tandem reaches a PostgreSQL store with its own protocol client: client traffic to a
 * PostgreSQL store is relayed message by message rather than translated through JDBC, so that
 * every tag, error field, notice and COPY stream arrives as the server wrote it.
 */
public record WireEndpoint(String host, int port, String database, String user, String password,
        Map<String, String> startupParameters) {

    public WireEndpoint {
        startupParameters = Map.copyOf(startupParameters);
    }

    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "WireEndpoint[" + user + "@" + address() + "/" + database + "]";
    }
}
