package tandem.adapters.sqlite;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.type.PgSessionSettings;

/**
 * One emulated session's run-time parameters: startup values, SET, SET LOCAL, RESET and SHOW,
 * none of which touches SQLite. The client's startup values are the session's reset values, as in
 * PostgreSQL: RESET, RESET ALL and DISCARD ALL return to them, not to the server's defaults.
 *
 * <p>As in PostgreSQL, SET is transactional: a SET inside a transaction that rolls back (or a
 * savepoint rolled back to) is undone, and SET LOCAL lasts until the transaction ends. The state
 * is a few small maps, so each transaction or savepoint keeps a copy to return to.
 */
final class SessionParameters {

    /** What to return to at ROLLBACK or ROLLBACK TO; {@code savepoint} is null for the transaction's start. */
    private record Frame(String savepoint, Map<String, String> values, Map<String, String> local) {
    }

    private final String user;
    private final Map<String, String> defaults = new HashMap<>();
    private Map<String, String> values = new HashMap<>();
    private Map<String, String> local = new HashMap<>();
    private final Deque<Frame> frames = new ArrayDeque<>();
    private PgSessionSettings settings;
    private Map<String, String> lastReported = Map.of();

    /**
     * @param startup the client's startup parameters (application_name, TimeZone, options, ...);
     *     a bad one fails the session as PostgreSQL fails the connection
     */
    SessionParameters(String user, String serverVersion, Map<String, String> startup) {
        this.user = user;
        defaults.put("server_version", serverVersion);
        defaults.put("session_authorization", user);
        // as PostgreSQL takes them: the -c settings of options first, then the named parameters over them
        if (startup.containsKey("options")) {
            options(startup.get("options"));
        }
        for (Map.Entry<String, String> e : startup.entrySet()) {
            String name = e.getKey();
            if (!List.of("options", "user", "database", "replication", "fallback_application_name").contains(name)
                    && !name.startsWith("_pq_.")) {
                startup(name, e.getValue());
            }
        }
        if (!startup.containsKey("application_name") && startup.containsKey("fallback_application_name")) {
            startup("application_name", startup.get("fallback_application_name"));
        }
        lastReported = reported();
    }

    private void startup(String name, String value) {
        KnownParameters.Parameter p = parameter(name);
        if (p.kind() == KnownParameters.Kind.ROLE || p.kind() == KnownParameters.Kind.READ_ONLY) {
            return; // clients (psql) may echo server values back; PostgreSQL ignores what it cannot set
        }
        // a list parameter reads as SET would read it: "app,public" shows as "app, public"; the value
        // becomes the session's reset value, which RESET, RESET ALL and DISCARD ALL return to
        assign(p, key(p).equals("search_path") ? SettingValues.fromSql("search_path", value) : value, defaults);
    }

    /** {@code options=-c name=value --name=value}, as libpq passes them. */
    private void options(String options) {
        String[] words = options.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            String setting = null;
            if (w.equals("-c") && i + 1 < words.length) {
                setting = words[++i];
            } else if (w.startsWith("-c")) {
                setting = w.substring(2);
            } else if (w.startsWith("--")) {
                setting = w.substring(2);
            }
            if (setting != null && setting.contains("=")) {
                int eq = setting.indexOf('=');
                startup(setting.substring(0, eq).replace('-', '_'), setting.substring(eq + 1));
            }
        }
    }

    // ---- SET, RESET, SHOW ----

    /** SET [LOCAL] name = value, the value as the statement wrote it. */
    void set(String name, String rawValue, boolean isLocal) {
        KnownParameters.Parameter p = parameter(name);
        String value = SettingValues.fromSql(key(p), rawValue);
        assign(p, value, isLocal ? local : values);
        if (!isLocal) {
            local.remove(key(p));
        }
    }

    /** SET name TO DEFAULT, RESET name. */
    void reset(String name, boolean isLocal) {
        KnownParameters.Parameter p = parameter(name);
        checkSettable(p);
        if (isLocal) {
            local.put(key(p), defaultOf(p));
        } else {
            values.remove(key(p));
            local.remove(key(p));
        }
        settings = null;
    }

    void resetAll() {
        values.clear();
        local.clear();
        settings = null;
    }

    /**
     * The session-level SETs as statements for a PostgreSQL session, each value as SHOW prints it: a
     * list ({@code search_path}) as SQL's list syntax, which SHOW's form is, anything else quoted.
     */
    Map<String, String> asSql() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : values.keySet()) {
            KnownParameters.Parameter p = parameter(k);
            String shown = show(k);
            out.put(p.name(), "SET " + p.name() + " TO " + (k.equals("search_path") ? shown
                    : "'" + shown.replace("'", "''") + "'"));
        }
        return out;
    }

    /** The value as SHOW prints it. */
    String show(String name) {
        KnownParameters.Parameter p = parameter(name);
        String k = key(p);
        if (p.kind() == KnownParameters.Kind.OUTPUT) {
            return settings().show(k);
        }
        String v = local.containsKey(k) ? local.get(k) : values.get(k);
        if (v == null) {
            if (name.contains(".")) {
                throw unrecognized(name);
            }
            v = defaultOf(p);
        }
        return p.kind() == KnownParameters.Kind.DURATION ? SettingValues.showMillis(Long.parseLong(v)) : v;
    }

    /** The name SHOW gives its column: the parameter's canonical spelling. */
    static String canonicalName(String name) {
        KnownParameters.Parameter p = KnownParameters.lookup(name);
        return p == null ? name.toLowerCase(Locale.ROOT) : p.name();
    }

    private void assign(KnownParameters.Parameter p, String value, Map<String, String> target) {
        checkSettable(p);
        String k = key(p);
        String normalized = switch (p.kind()) {
            case TEXT -> value;
            case BOOL -> SettingValues.bool(p.name(), value);
            case DURATION -> Long.toString(SettingValues.millis(p.name(), value));
            case CHOICE -> {
                String v = value.strip().toLowerCase(Locale.ROOT);
                if (!p.choices().contains(v)) {
                    throw SettingValues.invalid(p.name(), value, "Available values: " + String.join(", ", p.choices())
                            + ".");
                }
                yield v;
            }
            case OUTPUT -> {
                settings().with(k, value); // checks it; the text is kept as given so it reads back the same
                yield value;
            }
            case ENCODING -> encoding(value);
            case ALWAYS_ON -> {
                if (!SettingValues.bool(p.name(), value).equals("on")) {
                    throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "standard_conforming_strings = off is "
                            + "not supported by tandem", null, "write backslash escapes as E'...' strings");
                }
                yield "on";
            }
            case READ_ONLY, ROLE -> throw new IllegalStateException("checked above");
        };
        target.put(k, normalized);
        settings = null;
    }

    private static String encoding(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (v) {
            case "UTF8", "UNICODE" -> "UTF8";
            case "SQLASCII" -> "SQL_ASCII";
            default -> throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "client_encoding \"" + value
                    + "\" is not supported by tandem", null, "tandem speaks UTF8; set client_encoding to UTF8");
        };
    }

    private static void checkSettable(KnownParameters.Parameter p) {
        if (p.kind() == KnownParameters.Kind.READ_ONLY) {
            throw new ProxyException(SqlState.CANT_CHANGE_RUNTIME_PARAM, "parameter \"" + p.name()
                    + "\" cannot be changed");
        }
        if (p.kind() == KnownParameters.Kind.ROLE) {
            throw Refusals.of("SET " + (p.name().equals("role") ? "ROLE" : "SESSION AUTHORIZATION"),
                    "SQLite has no roles; connect as the user you need");
        }
    }

    private KnownParameters.Parameter parameter(String name) {
        KnownParameters.Parameter p = KnownParameters.lookup(name);
        if (p == null) {
            throw unrecognized(name);
        }
        return p;
    }

    private static ProxyException unrecognized(String name) {
        return new ProxyException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \""
                + name.toLowerCase(Locale.ROOT) + "\"");
    }

    private static String key(KnownParameters.Parameter p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    private String defaultOf(KnownParameters.Parameter p) {
        return defaults.getOrDefault(key(p), p.defaultValue());
    }

    private String value(String key) {
        String v = local.get(key);
        if (v == null) {
            v = values.get(key);
        }
        if (v == null) {
            KnownParameters.Parameter p = KnownParameters.lookup(key);
            v = defaults.getOrDefault(key, p == null ? "" : p.defaultValue());
        }
        return v;
    }

    // ---- transactions ----

    /** A transaction starts: remember where a rollback returns to. */
    void begin() {
        frames.clear();
        frames.push(new Frame(null, new HashMap<>(values), new HashMap<>(local)));
    }

    void savepoint(String name) {
        frames.push(new Frame(name, new HashMap<>(values), new HashMap<>(local)));
    }

    /** ROLLBACK TO name: settings return to what they were at the savepoint, which stays. */
    void rollbackTo(String name) {
        while (!frames.isEmpty() && !name.equals(frames.peek().savepoint())) {
            frames.pop();
        }
        if (frames.isEmpty()) {
            return;
        }
        Frame f = frames.peek();
        values = new HashMap<>(f.values());
        local = new HashMap<>(f.local());
        settings = null;
    }

    void release(String name) {
        while (!frames.isEmpty() && frames.peek().savepoint() != null) {
            boolean found = name.equals(frames.pop().savepoint());
            if (found) {
                return;
            }
        }
    }

    void commit() {
        frames.clear();
        if (!local.isEmpty()) {
            local.clear();
            settings = null;
        }
    }

    void rollback() {
        Frame start = frames.peekLast();
        frames.clear();
        if (start != null) {
            values = new HashMap<>(start.values());
        }
        local.clear();
        settings = null;
    }

    // ---- what the session reads ----

    PgSessionSettings settings() {
        PgSessionSettings s = settings;
        if (s == null) {
            s = PgSessionSettings.DEFAULT.with("timezone", value("timezone"))
                    .with("extra_float_digits", value("extra_float_digits"))
                    .with("bytea_output", value("bytea_output"));
            settings = s;
        }
        return s;
    }

    /** statement_timeout, or null for none. */
    Duration statementTimeout() {
        long ms = Long.parseLong(value("statement_timeout"));
        return ms == 0 ? null : Duration.ofMillis(ms);
    }

    boolean defaultReadOnly() {
        return value("default_transaction_read_only").equals("on");
    }

    String defaultIsolation() {
        return value("default_transaction_isolation");
    }

    /** A custom or known parameter for current_setting(); null when unset and unknown. */
    String currentSetting(String name) {
        return show(name);
    }

    String user() {
        return user;
    }

    Map<String, String> reported() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : KnownParameters.REPORTED) {
            out.put(name, show(name));
        }
        return out;
    }

    /** The reported parameters whose value changed since the last call. */
    Map<String, String> changed() {
        Map<String, String> now = reported();
        Map<String, String> changes = new LinkedHashMap<>();
        now.forEach((k, v) -> {
            if (!v.equals(lastReported.get(k))) {
                changes.put(k, v);
            }
        });
        lastReported = now;
        return changes;
    }
}
