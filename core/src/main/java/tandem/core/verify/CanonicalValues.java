package tandem.core.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import tandem.core.error.ProxyException;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * Reads a value as a PostgreSQL type into the one Java form that type is compared in, so that
 * equal meaning becomes {@code equals} (and an equal {@code hashCode}): numbers of every kind as a
 * {@link BigDecimal} without trailing zeros (or a {@link Special}), booleans as Boolean, text as
 * String, json as maps (sorted by key), lists and numbers, bytea as {@link Bytes}, uuid as UUID,
 * dates and times as {@code java.time} locals, timestamptz as Instant. Text is read by
 * PostgreSQL's input function for the type. A value that does not read as the type gives null.
 */
final class CanonicalValues {

    /** SQL NULL: a value of its own, so that nulls meet in a multiset. */
    enum Null { NULL }

    /** JSON's null, which is a value unlike SQL NULL. */
    enum JsonNull { NULL }

    /** The numbers a BigDecimal cannot hold; float NaN and numeric NaN are the same value. */
    enum Special { NAN, POSITIVE_INFINITY, NEGATIVE_INFINITY }

    /** Bytes by content, ordered as PostgreSQL orders bytea (unsigned), printed as bytea hex. */
    record Bytes(byte[] bytes) implements Comparable<Bytes> {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public int compareTo(Bytes o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }

        @Override
        public String toString() {
            return "\\x" + HexFormat.of().formatHex(bytes);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // "{} x" is no json value, as PostgreSQL's json input says
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final PgSessionSettings UTC = PgSessionSettings.DEFAULT;

    private CanonicalValues() {
    }

    /** The canonical form of {@code value} read as {@code type}, or null when it does not read as it. */
    static Object read(PgType type, Object value) {
        if (value == null) {
            return Null.NULL;
        }
        try {
            if (type.isArray()) {
                return array(type, value);
            }
            return switch (type) {
                case BOOL -> bool(value);
                case INT2, INT4, INT8, OID, NUMERIC -> numeric(value);
                case FLOAT8 -> float8(value);
                case FLOAT4 -> float4(value);
                case TEXT, VARCHAR, NAME, CHAR, UNKNOWN, INTERVAL -> text(value);
                case BPCHAR -> value instanceof String s ? s.stripTrailing() : null;
                case JSON, JSONB -> json(value);
                case BYTEA -> bytea(value);
                case UUID -> uuid(value);
                case DATE -> date(value);
                case TIME -> time(value);
                case TIMESTAMP -> timestamp(value);
                case TIMESTAMPTZ -> timestamptz(value);
                default -> null;
            };
        } catch (ProxyException | JsonProcessingException | IllegalArgumentException | ArithmeticException e) {
            return null;
        }
    }

    /**
     * The type a Java value most plainly stands for, as stores and drivers hand values over; TEXT for
     * strings and anything unknown (which is then compared by its text), null for lists.
     */
    static PgType typeOf(Object v) {
        return switch (v) {
            case Boolean b -> PgType.BOOL;
            case Number n -> PgType.NUMERIC;
            case byte[] b -> PgType.BYTEA;
            case ByteBuffer b -> PgType.BYTEA;
            case UUID u -> PgType.UUID;
            case LocalDate d -> PgType.DATE;
            case LocalTime t -> PgType.TIME;
            case LocalDateTime t -> PgType.TIMESTAMP;
            case OffsetDateTime t -> PgType.TIMESTAMPTZ;
            case ZonedDateTime t -> PgType.TIMESTAMPTZ;
            case Instant t -> PgType.TIMESTAMPTZ;
            case JsonNode j -> PgType.JSONB;
            case Map<?, ?> m -> PgType.JSONB;
            case List<?> l -> null;
            case Object[] a -> null;
            default -> PgType.TEXT;
        };
    }

    /**
     * The type in which two values of the given types meet: text takes the other's type (it is read
     * by that type's input function), numbers of any kind meet as numeric, a number meets a boolean
     * as boolean (0 and 1), dates meet timestamps, and a local timestamp meets an instant in UTC.
     * Null when they cannot meet.
     */
    static PgType meet(PgType a, PgType b) {
        if (a == null || b == null) {
            return null;
        }
        if (a == b) {
            return a;
        }
        if (a == PgType.TEXT) {
            return b;
        }
        if (b == PgType.TEXT) {
            return a;
        }
        if (a == PgType.JSONB || b == PgType.JSONB) {
            return PgType.JSONB;
        }
        if (pair(a, b, PgType.BOOL, PgType.NUMERIC)) {
            return PgType.BOOL;
        }
        if (pair(a, b, PgType.DATE, PgType.TIMESTAMP)) {
            return PgType.TIMESTAMP;
        }
        if (pair(a, b, PgType.DATE, PgType.TIMESTAMPTZ) || pair(a, b, PgType.TIMESTAMP, PgType.TIMESTAMPTZ)) {
            return PgType.TIMESTAMPTZ;
        }
        return null;
    }

    private static boolean pair(PgType a, PgType b, PgType x, PgType y) {
        return (a == x && b == y) || (a == y && b == x);
    }

    /** Values of a class this class does not know (a driver's own, such as pgjdbc's PGobject) by their text. */
    static Object known(Object v) {
        return v == null ? null : typeOf(v) == PgType.TEXT && !(v instanceof String) ? v.toString() : v;
    }

    // ---------------------------------------------------------------- per type

    private static Boolean bool(Object v) {
        return switch (v) {
            case Boolean b -> b;
            case String s -> (Boolean) PgValues.decodeText(PgType.BOOL, s, UTC);
            case Number n -> {
                BigDecimal d = decimal(n);
                if (d != null && d.signum() == 0) {
                    yield false;
                }
                yield d != null && d.compareTo(BigDecimal.ONE) == 0 ? true : null;
            }
            default -> null;
        };
    }

    /** Integers and numerics by value; a float by its shortest decimal form, the one PostgreSQL prints. */
    private static Object numeric(Object v) {
        Object n = switch (v) {
            case String s -> PgValues.decodeText(PgType.NUMERIC, s, UTC);
            case Number x -> x;
            default -> null;
        };
        return n == null ? null : number(n);
    }

    /** As float8 holds it: other numbers are rounded to the nearest double first, as a cast to float8 does. */
    private static Object float8(Object v) {
        Double d = switch (v) {
            case Double x -> x;
            // a float4 value means its shortest decimal (0.1f is 0.1), not its binary expansion
            case Float x -> Double.parseDouble(Float.toString(x));
            case Number x -> x.doubleValue();
            case String s -> (Double) PgValues.decodeText(PgType.FLOAT8, s, UTC);
            default -> null;
        };
        return d == null ? null : number(d);
    }

    /** As float4 holds it: other numbers are rounded to the nearest float first. */
    private static Object float4(Object v) {
        Float f = switch (v) {
            case Float x -> x;
            case Number x -> x.floatValue();
            case String s -> (Float) PgValues.decodeText(PgType.FLOAT4, s, UTC);
            default -> null;
        };
        return f == null ? null : number(f);
    }

    private static Object number(Object n) {
        if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return special(d);
        }
        if (n instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return special(f.doubleValue());
        }
        BigDecimal d = decimal((Number) n);
        if (d == null) {
            return null;
        }
        return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }

    private static Special special(double d) {
        return Double.isNaN(d) ? Special.NAN : d > 0 ? Special.POSITIVE_INFINITY : Special.NEGATIVE_INFINITY;
    }

    /** A finite number as a decimal; floats by their shortest round-tripping decimal (Java 19+ prints that). */
    private static BigDecimal decimal(Number n) {
        return switch (n) {
            case BigDecimal d -> d;
            case BigInteger i -> new BigDecimal(i);
            case Double d -> d.isNaN() || d.isInfinite() ? null : new BigDecimal(Double.toString(d));
            case Float f -> f.isNaN() || f.isInfinite() ? null : new BigDecimal(Float.toString(f));
            case Long l -> BigDecimal.valueOf(l);
            case Integer i -> BigDecimal.valueOf(i);
            case Short s -> BigDecimal.valueOf(s);
            case Byte b -> BigDecimal.valueOf(b);
            default -> new BigDecimal(n.toString());
        };
    }

    private static String text(Object v) {
        return switch (v) {
            case String s -> s;
            case Character c -> c.toString();
            default -> null;
        };
    }

    private static Object json(Object v) throws JsonProcessingException {
        JsonNode node = switch (v) {
            case JsonNode n -> n;
            case String s -> JSON.readTree(s);
            case byte[] b -> JSON.readTree(new String(b, StandardCharsets.UTF_8));
            default -> JSON.valueToTree(v);
        };
        // empty text parses as Jackson's missing node, but is no json value
        return node == null || node.isMissingNode() ? null : json(node);
    }

    /** Objects as maps sorted by key (jsonb keeps the last of duplicate keys, as Jackson does), numbers by value. */
    private static Object json(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), json(e.getValue())));
            return fields;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>(node.size());
            node.forEach(item -> items.add(json(item)));
            return items;
        }
        if (node.isNumber()) {
            return number(node.decimalValue());
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull()) {
            return JsonNull.NULL;
        }
        return node.asText();
    }

    /** Bytes, or text as hex: PostgreSQL's {@code \x0a1b} or a bare even run of hex digits as SQLite's hex() prints. */
    private static Bytes bytea(Object v) {
        return switch (v) {
            case byte[] b -> new Bytes(b);
            case ByteBuffer b -> {
                byte[] copy = new byte[b.remaining()];
                b.duplicate().get(copy);
                yield new Bytes(copy);
            }
            case String s when s.startsWith("\\x") -> new Bytes((byte[]) PgValues.decodeText(PgType.BYTEA, s, UTC));
            case String s when s.length() % 2 == 0 -> new Bytes(HexFormat.of().parseHex(s));
            default -> null;
        };
    }

    private static UUID uuid(Object v) {
        return switch (v) {
            case UUID u -> u;
            case String s -> (UUID) PgValues.decodeText(PgType.UUID, s, UTC);
            case byte[] b when b.length == 16 -> {
                ByteBuffer in = ByteBuffer.wrap(b);
                yield new UUID(in.getLong(), in.getLong());
            }
            default -> null;
        };
    }

    private static LocalDate date(Object v) {
        return switch (v) {
            case LocalDate d -> d;
            case LocalDateTime t when t.toLocalTime().equals(LocalTime.MIDNIGHT) -> t.toLocalDate();
            case String s -> (LocalDate) PgValues.decodeText(PgType.DATE, s, UTC);
            default -> null;
        };
    }

    private static LocalTime time(Object v) {
        return switch (v) {
            case LocalTime t -> t;
            case String s -> (LocalTime) PgValues.decodeText(PgType.TIME, s, UTC);
            default -> null;
        };
    }

    /** A local date-time; an instant is taken in UTC, the zone tandem keeps timestamps in. */
    private static LocalDateTime timestamp(Object v) {
        return switch (v) {
            case LocalDateTime t -> t;
            case LocalDate d -> d.atStartOfDay();
            case String s -> (LocalDateTime) PgValues.decodeText(PgType.TIMESTAMP, s, UTC);
            default -> {
                Instant i = instant(v);
                yield i == null ? null : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
            }
        };
    }

    /** An instant; a local date-time or zone-less text is taken in UTC. */
    private static Instant timestamptz(Object v) {
        return switch (v) {
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
            case String s -> ((OffsetDateTime) PgValues.decodeText(PgType.TIMESTAMPTZ, s, UTC)).toInstant();
            default -> instant(v);
        };
    }

    private static Instant instant(Object v) {
        return switch (v) {
            case Instant i -> i;
            case OffsetDateTime t -> t.toInstant();
            case ZonedDateTime t -> t.toInstant();
            default -> null;
        };
    }

    private static List<Object> array(PgType type, Object v) {
        List<?> items = switch (v) {
            case List<?> l -> l;
            case Object[] a -> Arrays.asList(a);
            case String s -> (List<?>) PgValues.decodeText(type, s, UTC);
            default -> null;
        };
        if (items == null) {
            return null;
        }
        List<Object> out = new ArrayList<>(items.size());
        for (Object item : items) {
            Object c = item instanceof List<?> nested ? array(type, nested) : read(type.elementType(), known(item));
            if (c == null) {
                return null;
            }
            out.add(c);
        }
        return out;
    }
}
