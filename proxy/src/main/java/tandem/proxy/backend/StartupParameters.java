package tandem.proxy.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import tandem.core.store.WireEndpoint;

/**
 * The parameters of a client's startup packet that a server connection is opened with on its
 * behalf: every setting the client sent (DateStyle, TimeZone, application_name, client_encoding,
 * {@code options} with its {@code -c} settings, ...), but not who it is or which database it wants,
 * which are tandem's to choose. The server then treats them exactly as it would from the client
 * itself: they are the session's reset values, with source {@code client} in {@code pg_settings},
 * so RESET, RESET ALL and DISCARD ALL return to them as on a direct connection.
 *
 * <p>Connections are pooled by these parameters: a client gets a connection opened with its own
 * (clients of one application, sending the same, share them).
 */
public final class StartupParameters {

    /** A connection for no client in particular (tandem's defaults only). */
    public static final StartupParameters NONE = new StartupParameters(Map.of());

    private final Map<String, String> values;

    private StartupParameters(Map<String, String> values) {
        this.values = values;
    }

    /** What of a client's startup packet its server connections are opened with. */
    public static StartupParameters ofClient(Map<String, String> client) {
        Map<String, String> values = new LinkedHashMap<>();
        client.forEach((name, value) -> {
            switch (name) {
                case "user", "database", "replication" -> {
                }
                default -> {
                    if (!name.startsWith("_pq_.")) {
                        values.put(name, value);
                    }
                }
            }
        });
        return values.isEmpty() ? NONE : new StartupParameters(Collections.unmodifiableMap(values));
    }

    public Map<String, String> values() {
        return values;
    }

    /**
     * The startup packet for {@code endpoint}: tandem's login, UTF8 unless the client chose, the
     * store's own settings from its URL, then the client's. Options of both are given, the client's
     * last, so that its {@code -c} settings win as they would. No application_name of tandem's: a
     * client that gave none has none, as on a direct connection (tandem's own connections, for
     * syncs and its reads, are named "tandem").
     */
    Map<String, String> packet(WireEndpoint endpoint) {
        Map<String, String> packet = new LinkedHashMap<>();
        packet.put("user", endpoint.user());
        packet.put("database", endpoint.database());
        packet.put("client_encoding", "UTF8");
        packet.putAll(endpoint.startupParameters());
        values.forEach((name, value) -> packet.merge(name, value, (store, client) ->
                name.equals("options") ? store + " " + client : client));
        return packet;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StartupParameters other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
