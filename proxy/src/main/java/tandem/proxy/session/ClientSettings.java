package tandem.proxy.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tandem.core.sql.SetCommand;

/**
 * The settings a client expects of its server session: those from its startup packet and those it
 * changed with SET since, in committed transactions only (PostgreSQL undoes a SET whose
 * transaction rolls back). With transaction pooling a client meets many server connections;
 * {@link #diff} says what to run on one to make it the client's.
 *
 * <p>Settings are kept as the SQL that establishes them: startup values through {@code set_config},
 * which parses a value exactly as the startup packet would, and SETs verbatim as the client wrote
 * them, so list values such as {@code search_path} keep their meaning.
 */
public final class ClientSettings {

    private final Map<String, String> startup;
    private final Map<String, String> current;
    private final List<SetCommand> tentative = new ArrayList<>();
    private long version;

    public ClientSettings(Map<String, String> startupValues) {
        this.startup = new LinkedHashMap<>();
        startupValues.forEach((name, value) -> startup.put(name.toLowerCase(Locale.ROOT), setConfig(name, value)));
        this.current = new LinkedHashMap<>(startup);
    }

    /** Name to the SQL that sets it. */
    public Map<String, String> current() {
        return current;
    }

    /** Changes each time the committed settings change. */
    public long version() {
        return version;
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

    /** RESET ALL, or DISCARD ALL: back to the startup values; the connection back to its own defaults. */
    public void resetAll(Map<String, String> connection) {
        current.clear();
        current.putAll(startup);
        connection.clear();
        version++;
    }

    private void apply(SetCommand set, Map<String, String> connection) {
        if (set.resetAll()) {
            current.clear();
            current.putAll(startup);
            connection.clear();
            return;
        }
        String name = set.name();
        if (set.reset() || set.isDefault()) {
            // the server resets to its own connection default, which is not the client's startup value
            connection.remove(name);
            String initial = startup.get(name);
            if (initial == null) {
                current.remove(name);
            } else {
                current.put(name, initial);
            }
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

    static String setConfig(String name, String value) {
        return "SELECT pg_catalog.set_config(" + literal(name.toLowerCase(Locale.ROOT)) + ", " + literal(value)
                + ", false)";
    }

    /** A dollar-quoted literal: immune to standard_conforming_strings and to quotes in the value. */
    static String literal(String value) {
        String tag = "$tandem$";
        for (int n = 0; value.contains(tag); n++) {
            tag = "$tandem" + n + "$";
        }
        return tag + value + tag;
    }
}
