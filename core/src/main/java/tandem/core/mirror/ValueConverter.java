package tandem.core.mirror;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * Turns a value of a column in one store into the value of the same-named column in the other:
 * SQLite's text uuid into a UUID, an int8 into an int4 that can hold it, text into jsonb, text
 * timestamps into LocalDateTime, a float into the numeric of its shortest decimal.
 *
 * <p>The conversion goes through the target type's binary form ({@link PgValues}), which takes a
 * value only if the type holds it exactly: a value that would change on the way (an int8 past
 * int4's range, 1.5 for an integer, text that is no uuid) fails with an error naming the table,
 * the column, the value and both types, never a silently different value. Two rules are tandem's
 * own, for SQLite's convention that zone-less times are UTC: a timestamp becomes a timestamptz at
 * UTC and a timestamptz a timestamp at UTC. Floats round as PostgreSQL's casts round them
 * (float8 to float4, int8 past 2^53 to float8), as the new store would itself on an insert.
 */
public final class ValueConverter {

    /** UTC, shortest exact floats: the settings every conversion runs under, so none depends on a session. */
    private static final PgSessionSettings UTC = PgSessionSettings.DEFAULT;

    private static final Set<PgType> TEXTS = EnumSet.of(PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.NAME,
            PgType.UNKNOWN);
    private static final Set<PgType> INTEGERS = EnumSet.of(PgType.INT2, PgType.INT4, PgType.INT8);
    private static final Set<PgType> NUMBERS = EnumSet.of(PgType.INT2, PgType.INT4, PgType.INT8, PgType.NUMERIC,
            PgType.FLOAT4, PgType.FLOAT8);

    private ValueConverter() {
    }

    /**
     * {@code value}, of {@code source}'s type in tandem's Java value model, as a value of
     * {@code target}'s type.
     *
     * @throws ProxyException when the target type cannot hold the value exactly
     */
    public static Object convert(String table, Column source, Column target, Object value) {
        if (value == null) {
            return null;
        }
        PgType to = target.type();
        try {
            return to(to, value);
        } catch (ProxyException | IllegalArgumentException | ClassCastException e) {
            String why = e instanceof ProxyException p ? p.getMessage() : e.toString();
            SqlState state = e instanceof ProxyException p ? p.state() : SqlState.DATATYPE_MISMATCH;
            throw new ProxyException(state, "table " + table + ", column " + source.name() + ": value " + describe(value)
                    + " (" + typeName(source) + " in the primary) cannot be written as " + typeName(target)
                    + " in the secondary: " + why, null, "correct the row in the primary, change the secondary's column "
                            + "type to one that holds it, or exclude the table", false, e);
        }
    }

    /**
     * A value as the model of type {@code to} holds it (a read served by another store, shown as
     * the primary described it).
     *
     * @throws ProxyException (or IllegalArgumentException) when it cannot be held exactly
     */
    public static Object as(PgType to, Object value) {
        return value == null ? null : to(to, value);
    }

    private static Object to(PgType to, Object value) {
        if (PgValues.isExact(to, value)) {
            return value; // already as the type holds it: the round trip below would give it back
        }
        switch (to) {
            case UNKNOWN:
                return value;
            case INTERVAL:
                // tandem keeps intervals as PostgreSQL's text; the store parses it
                return value instanceof String s ? s : new String(PgValues.encodeText(PgType.INTERVAL, value, UTC),
                        StandardCharsets.UTF_8);
            case TIMESTAMP:
                if (value instanceof OffsetDateTime t) {
                    return t.equals(OffsetDateTime.MAX) ? LocalDateTime.MAX : t.equals(OffsetDateTime.MIN)
                            ? LocalDateTime.MIN : t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
                }
                break;
            case TIMESTAMPTZ:
                if (value instanceof LocalDateTime t) {
                    return t.equals(LocalDateTime.MAX) ? OffsetDateTime.MAX : t.equals(LocalDateTime.MIN)
                            ? OffsetDateTime.MIN : t.atOffset(ZoneOffset.UTC);
                }
                break;
            default:
                if (to.isArray() && value instanceof String s) {
                    return PgValues.decodeText(to, s, UTC);
                }
                break;
        }
        return PgValues.decodeBinary(to, PgValues.encodeBinary(to, value, UTC));
    }

    /**
     * Why values of type {@code from} can never become values of type {@code to}, or null when
     * they can (then each value is still checked as it is converted).
     */
    public static String incompatibility(PgType from, PgType to) {
        if (from == to || from == PgType.UNKNOWN || to == PgType.UNKNOWN) {
            return null;
        }
        if (TEXTS.contains(from)) {
            return null; // parsed value by value, as PostgreSQL's input functions read text
        }
        if (from.isArray() || to.isArray()) {
            if (from.isArray() && to.isArray()) {
                String element = incompatibility(from.elementType(), to.elementType());
                return element == null ? null : "elements: " + element;
            }
            return "an array and a scalar";
        }
        if (TEXTS.contains(to)) {
            return null; // as the cast to text prints it
        }
        boolean ok = switch (from) {
            case INT2, INT4, INT8 -> NUMBERS.contains(to) || to == PgType.BOOL;
            case NUMERIC, FLOAT4, FLOAT8 -> NUMBERS.contains(to);
            case JSON, JSONB -> to == PgType.JSON || to == PgType.JSONB;
            case DATE -> to == PgType.TIMESTAMP || to == PgType.TIMESTAMPTZ;
            case TIMESTAMP, TIMESTAMPTZ -> to == PgType.TIMESTAMP || to == PgType.TIMESTAMPTZ;
            default -> false;
        };
        return ok ? null : "there is no exact conversion from " + from.sqlName() + " to " + to.sqlName();
    }

    static boolean isInteger(PgType type) {
        return INTEGERS.contains(type);
    }

    private static String typeName(Column column) {
        String declared = column.declaredType();
        return declared == null || declared.isBlank() || declared.equalsIgnoreCase(column.type().sqlName())
                ? column.type().sqlName() : declared + " (" + column.type().sqlName() + ")";
    }

    static String describe(Object v) {
        String text = switch (v) {
            case byte[] b -> "a BLOB of " + b.length + " bytes";
            case String s -> "\"" + (s.length() <= 64 ? s : s.substring(0, 61) + "...") + "\"";
            default -> "\"" + v + "\"";
        };
        return v instanceof String || v instanceof byte[] ? text : text + " (" + v.getClass().getSimpleName() + ")";
    }
}
