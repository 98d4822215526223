package tandem.adapters.sqlite;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The run-time parameters an emulated session knows: PostgreSQL's names, defaults, how each value
 * is checked, and which ones are reported to clients with ParameterStatus. Parameters that change
 * nothing on SQLite (planner settings, memory sizes, logging) are accepted and remembered so that
 * SET and SHOW behave; a name PostgreSQL would not know is refused with 42704.
 */
final class KnownParameters {

    enum Kind {
        /** Any text. */
        TEXT,
        /** on/off, as PostgreSQL's parse_bool reads it. */
        BOOL,
        /** A duration in milliseconds, with an optional unit (100, '5s', '1min'). */
        DURATION,
        /** A value from a fixed list. */
        CHOICE,
        /** TimeZone, DateStyle, IntervalStyle, extra_float_digits, bytea_output: checked by PgSessionSettings. */
        OUTPUT,
        /** client_encoding: UTF8 (or SQL_ASCII, which passes bytes through). */
        ENCODING,
        /** standard_conforming_strings: only on. */
        ALWAYS_ON,
        /** Shown, never set: server_version, integer_datetimes, ... */
        READ_ONLY,
        /** SET ROLE, SET SESSION AUTHORIZATION: refused; SQLite has no roles. */
        ROLE
    }

    /**
     * @param name the canonical spelling, as SHOW names its column and ParameterStatus reports it
     * @param defaultValue the value before any SET
     * @param reported whether PostgreSQL reports it at login and on change (GUC_REPORT)
     */
    record Parameter(String name, String defaultValue, Kind kind, boolean reported, Set<String> choices) {
    }

    private static final Map<String, Parameter> BY_NAME = new LinkedHashMap<>();

    /** Reported at login, in the order PostgreSQL sends them. */
    static final String[] REPORTED = {"application_name", "client_encoding", "DateStyle",
        "default_transaction_read_only", "in_hot_standby", "integer_datetimes", "IntervalStyle", "is_superuser",
        "server_encoding", "server_version", "session_authorization", "standard_conforming_strings", "TimeZone"};

    static {
        reported("application_name", "", Kind.TEXT);
        reported("client_encoding", "UTF8", Kind.ENCODING);
        reported("DateStyle", "ISO, MDY", Kind.OUTPUT);
        reported("default_transaction_read_only", "off", Kind.BOOL);
        reported("in_hot_standby", "off", Kind.READ_ONLY);
        reported("integer_datetimes", "on", Kind.READ_ONLY);
        reported("IntervalStyle", "postgres", Kind.OUTPUT);
        reported("is_superuser", "off", Kind.READ_ONLY);
        reported("server_encoding", "UTF8", Kind.READ_ONLY);
        reported("server_version", "", Kind.READ_ONLY);
        reported("session_authorization", "", Kind.ROLE);
        reported("standard_conforming_strings", "on", Kind.ALWAYS_ON);
        reported("TimeZone", "UTC", Kind.OUTPUT);

        add("extra_float_digits", "1", Kind.OUTPUT);
        add("bytea_output", "hex", Kind.OUTPUT);
        add("statement_timeout", "0", Kind.DURATION);
        add("lock_timeout", "0", Kind.DURATION);
        add("idle_in_transaction_session_timeout", "0", Kind.DURATION);
        add("idle_session_timeout", "0", Kind.DURATION);
        add("transaction_timeout", "0", Kind.DURATION);
        add("search_path", "\"$user\", public", Kind.TEXT);
        add("role", "none", Kind.ROLE);
        add("default_transaction_isolation", "read committed", Kind.CHOICE,
                "serializable", "repeatable read", "read committed", "read uncommitted");
        add("transaction_isolation", "read committed", Kind.CHOICE,
                "serializable", "repeatable read", "read committed", "read uncommitted");
        add("default_transaction_deferrable", "off", Kind.BOOL);
        add("transaction_read_only", "off", Kind.BOOL);
        add("transaction_deferrable", "off", Kind.BOOL);
        add("client_min_messages", "notice", Kind.CHOICE,
                "debug5", "debug4", "debug3", "debug2", "debug1", "debug", "log", "notice", "warning", "error");
        add("server_version_num", "150000", Kind.READ_ONLY);
        add("max_identifier_length", "63", Kind.READ_ONLY);
        add("block_size", "8192", Kind.READ_ONLY);
        add("lc_collate", "C", Kind.READ_ONLY);
        add("lc_ctype", "C", Kind.READ_ONLY);
        add("max_connections", "100", Kind.READ_ONLY);
        add("lc_messages", "C", Kind.TEXT);
        add("lc_monetary", "C", Kind.TEXT);
        add("lc_numeric", "C", Kind.TEXT);
        add("lc_time", "C", Kind.TEXT);
        add("synchronous_commit", "on", Kind.TEXT);
        add("work_mem", "4MB", Kind.TEXT);
        add("maintenance_work_mem", "64MB", Kind.TEXT);
        add("temp_buffers", "8MB", Kind.TEXT);
        add("effective_cache_size", "4GB", Kind.TEXT);
        add("jit", "on", Kind.BOOL);
        add("row_security", "on", Kind.BOOL);
        add("check_function_bodies", "on", Kind.BOOL);
        add("escape_string_warning", "on", Kind.BOOL);
        add("array_nulls", "on", Kind.BOOL);
        add("quote_all_identifiers", "off", Kind.BOOL);
        add("transform_null_equals", "off", Kind.BOOL);
        add("xmloption", "content", Kind.TEXT);
        add("backslash_quote", "safe_encoding", Kind.TEXT);
        add("default_text_search_config", "pg_catalog.simple", Kind.TEXT);
        add("timezone_abbreviations", "Default", Kind.TEXT);
        add("session_replication_role", "origin", Kind.TEXT);
        add("plan_cache_mode", "auto", Kind.TEXT);
        add("log_statement", "none", Kind.TEXT);
        add("log_min_duration_statement", "-1", Kind.TEXT);
        add("log_min_messages", "warning", Kind.TEXT);
        add("default_tablespace", "", Kind.TEXT);
        add("temp_tablespaces", "", Kind.TEXT);
        add("default_statistics_target", "100", Kind.TEXT);
        add("random_page_cost", "4", Kind.TEXT);
        add("seq_page_cost", "1", Kind.TEXT);
        add("geqo", "on", Kind.BOOL);
        add("from_collapse_limit", "8", Kind.TEXT);
        add("join_collapse_limit", "8", Kind.TEXT);
        add("max_parallel_workers_per_gather", "2", Kind.TEXT);
        add("constraint_exclusion", "partition", Kind.TEXT);
        add("cursor_tuple_fraction", "0.1", Kind.TEXT);
        add("track_functions", "none", Kind.TEXT);
        add("gin_fuzzy_search_limit", "0", Kind.TEXT);
        add("tcp_keepalives_idle", "0", Kind.TEXT);
        add("tcp_keepalives_interval", "0", Kind.TEXT);
        add("tcp_keepalives_count", "0", Kind.TEXT);
    }

    private KnownParameters() {
    }

    private static void reported(String name, String defaultValue, Kind kind) {
        BY_NAME.put(name.toLowerCase(Locale.ROOT), new Parameter(name, defaultValue, kind, true, Set.of()));
    }

    private static void add(String name, String defaultValue, Kind kind, String... choices) {
        BY_NAME.put(name, new Parameter(name, defaultValue, kind, false, Set.of(choices)));
    }

    /**
     * The parameter named (in any case), or null when PostgreSQL would not know it. Names with a dot
     * are custom parameters ({@code app.user_id}) and planner switches ({@code enable_*}) are
     * accepted as text.
     */
    static Parameter lookup(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        Parameter known = BY_NAME.get(lower);
        if (known != null) {
            return known;
        }
        if (lower.contains(".")) {
            return new Parameter(lower, "", Kind.TEXT, false, Set.of());
        }
        if (lower.startsWith("enable_")) {
            return new Parameter(lower, "on", Kind.BOOL, false, Set.of());
        }
        return null;
    }

    /** Every known parameter, for SHOW ALL. */
    static Iterable<Parameter> all() {
        return BY_NAME.values();
    }
}
