package tandem.proxy.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tandem.core.sql.SetCommand;

/**
 * The settings a client changed with SET since it connected, in committed transactions only
 * (PostgreSQL undoes a SET whose transaction rolls back). Its startup settings are not among them:
 * every server connection it gets was opened with those ({@link
 * tandem.proxy.backend.StartupParameters}), so they are the connection's own reset values, as on a
 * direct connection. With transaction pooling a client meets many server connections; {@link #diff}
 * says what to run on one to make it the client's.
 *
 * <p>Settings are kept as the SQL that establishes them, SETs verbatim as the client wrote them, so
 * list values such as {@code search_path} keep their meaning.
 */
public final class ClientSettings {

    private final Map<String, String> current = new LinkedHashMap<>();
    private final List<SetCommand> tentative = new ArrayList<>();
    private long version;

    /** Name to the SQL that sets it. */
    public Map<String, String> current() {
        return current;
    }

    /** Changes each time the committed settings change. */
    public long version() {
        return version;
    }

    /**
     * Settings the client made where tandem did not see them as SETs (the emulation, before a session
     * moved to the relay at a cutover): name to the SQL that sets it.
     */
    public void adopt(Map<String, String> settings) {
        if (!settings.isEmpty()) {
            current.putAll(settings);
            version++;
        }
    }

    /** A SET or RESET ran in the client's open (implicit or explicit) transaction. */
    public void recordTentative(SetCommand set) {
        tentative.add(set);
    }

    public boolean hasTentative() {
        return !tentative.isEmpty();
    }

    public void discardTentative() {
        tentative.clear();
    }

    /**
     * The transaction committed: its SETs become the client's settings, and {@code connection}'s
     * applied settings follow, since they ran there.
     */
    public void commitTentative(Map<String, String> connection) {
        if (tentative.isEmpty()) {
            return;
        }
        for (SetCommand set : tentative) {
            apply(set, connection);
        }
        tentative.clear();
        version++;
    }

    /** RESET ALL, or DISCARD ALL: the client and the connection back to the connection's own values. */
    public void resetAll(Map<String, String> connection) {
        current.clear();
        connection.clear();
        version++;
    }

    private void apply(SetCommand set, Map<String, String> connection) {
        if (set.resetAll()) {
            current.clear();
            connection.clear();
            return;
        }
        String name = set.name();
        if (set.reset() || set.isDefault()) {
            // the server goes back to the connection's startup value, which is the client's own
            connection.remove(name);
            current.remove(name);
            return;
        }
        String sql = "SET " + name + " TO " + set.value();
        current.put(name, sql);
        connection.put(name, sql);
    }

    /**
     * The statements that bring a connection whose applied settings are {@code applied} to this
     * client's settings, or null if it already has them.
     */
    public String diff(Map<String, String> applied) {
        StringBuilder sql = null;
        for (Map.Entry<String, String> wanted : current.entrySet()) {
            if (!wanted.getValue().equals(applied.get(wanted.getKey()))) {
                sql = append(sql, wanted.getValue());
            }
        }
        for (String name : applied.keySet()) {
            if (!current.containsKey(name)) {
                sql = append(sql, "RESET " + name);
            }
        }
        return sql == null ? null : sql.toString();
    }

    /** The connection ran {@link #diff}: it now holds exactly the client's settings. */
    public void synced(Map<String, String> applied) {
        applied.clear();
        applied.putAll(current);
    }

    private static StringBuilder append(StringBuilder sql, String statement) {
        if (sql == null) {
            return new StringBuilder(statement);
        }
        return sql.append("; ").append(statement);
    }
}
