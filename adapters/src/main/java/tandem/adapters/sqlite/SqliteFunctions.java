package tandem.adapters.sqlite;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import org.sqlite.SQLiteConnection;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.type.PgType;

/**
 * The SQL functions tandem registers on every SQLite connection: PostgreSQL's clock and uuid
 * functions under their own names, and the {@code tandem_*} functions the translator calls for
 * casts, ILIKE, division and {@code ->>}. Registering beats rewriting text: {@code now()} works
 * anywhere an expression does, with the session's transaction time and zone.
 *
 * <p>No built-in SQLite function is replaced: views, triggers and indexes in the file keep
 * meaning what they meant (an index on {@code lower(email)} stays valid). A function that fails
 * leaves its PostgreSQL error with the connection ({@link ConnectionState#functionFailed}), so the
 * client gets PostgreSQL's SQLSTATE instead of a generic SQLite error.
 */
final class SqliteFunctions {

    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_TEXT = 3;
    private static final int SQLITE_BLOB = 4;

    private SqliteFunctions() {
    }

    static void register(ConnectionState state, String serverVersion) throws SQLException {
        SQLiteConnection c = state.connection;
        int deterministic = org.sqlite.Function.FLAG_DETERMINISTIC;
        // PostgreSQL's own names
        create(c, state, "now", 0, 0, a -> timestamptz(state.session().transactionStart(), -1));
        create(c, state, "transaction_timestamp", 0, 0, a -> timestamptz(state.session().transactionStart(), -1));
        create(c, state, "statement_timestamp", 0, 0, a -> timestamptz(state.session().statementStart(), -1));
        create(c, state, "clock_timestamp", 0, 0, a -> timestamptz(state.session().now(), -1));
        create(c, state, "gen_random_uuid", 0, 0, a -> UUID.randomUUID().toString());
        create(c, state, "uuid_generate_v4", 0, 0, a -> UUID.randomUUID().toString());
        create(c, state, "greatest", -1, deterministic, a -> extreme(a, 1));
        create(c, state, "least", -1, deterministic, a -> extreme(a, -1));
        create(c, state, "current_setting", 1, 0, a -> state.session().setting(text(a[0])));
        create(c, state, "current_setting", 2, 0, a -> currentSetting(state, a));
        create(c, state, "current_database", 0, 0, a -> state.session().database());
        create(c, state, "current_schema", 0, 0, a -> "public");
        create(c, state, "version", 0, 0, a -> "PostgreSQL " + serverVersion + " on x86_64-pc-linux-gnu, emulated by "
                + "tandem over SQLite");
        // the translator's
        create(c, state, "tandem_now", 1, 0, a -> timestamptz(state.session().transactionStart(), precision(a[0])));
        create(c, state, "tandem_localtimestamp", 0, 0, a -> localTimestamp(state, -1));
        create(c, state, "tandem_localtimestamp", 1, 0, a -> localTimestamp(state, precision(a[0])));
        create(c, state, "tandem_localtime", 0, 0, a -> StorageFormat.time(local(state, -1).toLocalTime()));
        create(c, state, "tandem_localtime", 1, 0,
                a -> StorageFormat.time(local(state, precision(a[0])).toLocalTime()));
        create(c, state, "tandem_current_date", 0, 0, a -> StorageFormat.date(local(state, -1).toLocalDate()));
        create(c, state, "tandem_current_user", 0, 0, a -> state.session().user());
        create(c, state, "tandem_random", 0, 0, a -> ThreadLocalRandom.current().nextDouble());
        create(c, state, "tandem_int", 2, deterministic, a -> CastFunctions.toInteger(a[0], (int) (long) (Long) a[1]));
        create(c, state, "tandem_float", 2, deterministic, a -> CastFunctions.toFloat(a[0], (int) (long) (Long) a[1]));
        create(c, state, "tandem_numeric", 3, deterministic,
                a -> CastFunctions.toNumeric(a[0], (int) (long) (Long) a[1], (int) (long) (Long) a[2]));
        create(c, state, "tandem_text", 3, deterministic,
                a -> CastFunctions.toText(a[0], (int) (long) (Long) a[1], (Long) a[2] != 0));
        create(c, state, "tandem_bool", 1, deterministic, a -> CastFunctions.toBoolean(a[0]));
        create(c, state, "tandem_date", 1, deterministic, a -> CastFunctions.toDate(a[0]));
        create(c, state, "tandem_time", 1, deterministic, a -> CastFunctions.toTime(a[0]));
        create(c, state, "tandem_timestamp", 2, deterministic,
                a -> CastFunctions.toTimestamp(a[0], (int) (long) (Long) a[1]));
        // reads zone-less text in the session's zone, so not deterministic
        create(c, state, "tandem_timestamptz", 2, 0,
                a -> CastFunctions.toTimestamptz(a[0], (int) (long) (Long) a[1], state.session().settings()));
        create(c, state, "tandem_uuid", 1, deterministic, a -> CastFunctions.toUuid(a[0]));
        create(c, state, "tandem_json", 1, deterministic, a -> CastFunctions.toJson(a[0], PgType.JSON));
        create(c, state, "tandem_bytea", 1, deterministic, a -> CastFunctions.toBytea(a[0]));
        create(c, state, "tandem_ilike", 2, deterministic, a -> ilike(a[0], a[1], null));
        create(c, state, "tandem_ilike", 3, deterministic, a -> ilike(a[0], a[1], a[2] == null ? null : text(a[2])));
        create(c, state, "tandem_divide", 2, deterministic, a -> Arithmetic.divide(a[0], a[1]));
        create(c, state, "tandem_modulo", 2, deterministic, a -> Arithmetic.modulo(a[0], a[1]));
        create(c, state, "tandem_json_text", 1, deterministic, a -> jsonText(a[0]));
        create(c, state, "tandem_one_row", 1, deterministic, a -> oneRow(a[0]));
        create(c, state, "tandem_oid", 1, deterministic, a -> SqliteCatalogs.oid(text(a[0])));
        create(c, state, "pg_get_userbyid", 1, 0, a -> a[0] instanceof Long oid && oid == 10 ? state.session().user()
                : "unknown (OID=" + a[0] + ")");
        create(c, state, "pg_table_is_visible", 1, 0, a -> a[0] instanceof Long oid && SqliteCatalogs.visible(oid) ? 1L : 0L);
        create(c, state, "tandem_column_type", 3, deterministic, a -> SqliteCatalogs.columnType(
                a[0] == null ? null : text(a[0]), a[1] == null ? null : text(a[1]), text(a[2])));
        create(c, state, "tandem_column_default", 1, deterministic,
                a -> a[0] == null ? null : SqliteCatalogs.columnDefault(text(a[0])));
        create(c, state, "tandem_regex", 3, deterministic,
                a -> a[0] == null || a[1] == null ? null : Regex.matches(text(a[0]), text(a[1]), (Long) a[2] != 0) ? 1L : 0L);
        create(c, state, "regexp_replace", 3, deterministic,
                a -> a[0] == null || a[1] == null || a[2] == null ? null : Regex.replace(text(a[0]), text(a[1]), text(a[2]), ""));
        create(c, state, "regexp_replace", 4, deterministic, a -> a[0] == null || a[1] == null || a[2] == null
                ? null : Regex.replace(text(a[0]), text(a[1]), text(a[2]), a[3] == null ? "" : text(a[3])));
    }

    /** The LIMIT of a LATERAL subquery tandem inlined ({@link LateralJoins}): at most one row, or an error. */
    private static Object oneRow(Object limit) {
        long n;
        try {
            n = limit instanceof Number number ? number.longValue() : Long.parseLong(String.valueOf(limit).strip());
        } catch (NumberFormatException e) {
            n = Long.MAX_VALUE;
        }
        if (n <= 1) {
            return n;
        }
        throw Refusals.of("a LATERAL subquery with LIMIT " + limit, "SQLite has no LATERAL: tandem reads a lateral "
                + "subquery of at most one row where it is used; give a LIMIT of 1, or aggregate the rows (json_agg)");
    }

    private static void create(SQLiteConnection c, ConnectionState state, String name, int arguments, int flags,
            Function<Object[], Object> body) throws SQLException {
        org.sqlite.Function.create(c, name, new Bridge(state, body), arguments, flags);
    }

    /** Moves values between SQLite and Java and turns a PostgreSQL error into a SQLite one, keeping it. */
    private static final class Bridge extends org.sqlite.Function {
        private final ConnectionState state;
        private final Function<Object[], Object> body;

        Bridge(ConnectionState state, Function<Object[], Object> body) {
            this.state = state;
            this.body = body;
        }

        @Override
        protected void xFunc() throws SQLException {
            int n = args();
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                values[i] = switch (value_type(i)) {
                    case SQLITE_INTEGER -> value_long(i);
                    case SQLITE_FLOAT -> value_double(i);
                    case SQLITE_TEXT -> value_text(i);
                    case SQLITE_BLOB -> value_blob(i);
                    default -> null;
                };
            }
            Object out;
            try {
                out = body.apply(values);
            } catch (ProxyException e) {
                state.functionFailed(e);
                error(e.getMessage());
                return;
            } catch (RuntimeException e) {
                ProxyException wrapped = new ProxyException(SqlState.INTERNAL_ERROR, "tandem function failed: " + e,
                        null, null, false, e);
                state.functionFailed(wrapped);
                error(wrapped.getMessage());
                return;
            }
            switch (out) {
                case null -> result();
                case Long l -> result(l);
                case Integer i -> result((long) i);
                case Double d -> result(d);
                case Boolean b -> result(b ? 1 : 0);
                case byte[] b -> result(b);
                default -> result(out.toString());
            }
        }
    }

    private static String timestamptz(Instant t, int precision) {
        LocalDateTime utc = LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        return StorageFormat.timestamp(StorageFormat.round(utc, precision));
    }

    private static LocalDateTime local(ConnectionState state, int precision) {
        Instant t = state.session().transactionStart().truncatedTo(ChronoUnit.MICROS);
        return StorageFormat.round(LocalDateTime.ofInstant(t, state.session().settings().timeZone()), precision);
    }

    private static String localTimestamp(ConnectionState state, int precision) {
        return StorageFormat.timestamp(local(state, precision));
    }

    private static int precision(Object p) {
        if (!(p instanceof Long l) || l < 0) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "timestamp precision must be a number from 0 to 6");
        }
        return (int) Math.min(6, l);
    }

    private static Object currentSetting(ConnectionState state, Object[] a) {
        boolean missingOk = a[1] instanceof Long l ? l != 0 : a[1] instanceof String s && s.startsWith("t");
        try {
            return state.session().setting(text(a[0]));
        } catch (ProxyException e) {
            if (missingOk && e.state() == SqlState.UNDEFINED_OBJECT) {
                return null;
            }
            throw e;
        }
    }

    private static Object ilike(Object value, Object pattern, String escape) {
        if (value == null || pattern == null) {
            return null;
        }
        return LikePattern.matchesIgnoreCase(text(value), text(pattern), escape) ? 1L : 0L;
    }

    /** SQLite's {@code ->} gives JSON text; PostgreSQL's {@code ->>} gives a string's contents, and NULL for null. */
    private static Object jsonText(Object v) {
        if (!(v instanceof String s)) {
            return v;
        }
        if (s.equals("null")) {
            return null;
        }
        if (s.length() >= 2 && s.charAt(0) == '"') {
            return unescapeJsonString(s);
        }
        return s;
    }

    private static String unescapeJsonString(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    /** greatest/least: NULLs ignored, NULL only when all are; SQLite's order across storage classes. */
    private static Object extreme(Object[] values, int sign) {
        Object best = null;
        for (Object v : values) {
            if (v != null && (best == null || sign * compare(v, best) > 0)) {
                best = v;
            }
        }
        return best;
    }

    private static int compare(Object a, Object b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (a) {
            case Long x when b instanceof Long y -> Long.compare(x, y);
            case Number x -> Double.compare(x.doubleValue(), ((Number) b).doubleValue());
            case String x -> java.util.Arrays.compare(x.getBytes(StandardCharsets.UTF_8),
                    ((String) b).getBytes(StandardCharsets.UTF_8));
            default -> java.util.Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        };
    }

    private static int rank(Object v) {
        return v instanceof Number ? 0 : v instanceof String ? 1 : 2;
    }

    private static String text(Object v) {
        return switch (v) {
            case Double d -> StorageFormat.float8(d);
            case byte[] b -> new String(b, StandardCharsets.UTF_8);
            default -> String.valueOf(v);
        };
    }

}
