package tandem.core.type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns the Java value a store handed over into the one form each type is written from, taking
 * the loose values SQLite's dynamic typing produces (a Long in an int4 column, 0/1 for a boolean, a
 * String for a date) as long as the value survives exactly. What would change on the way is refused.
 */
final class Coerce {

    private Coerce() {
    }

    static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return parseBool(s);
        }
        if (isIntegral(v)) {
            long n = ((Number) v).longValue();
            if (n == 0 || n == 1) {
                return n == 1;
            }
            throw TypeErrors.notRepresentable(PgType.BOOL, v, "only 0 and 1 stand for false and true");
        }
        throw TypeErrors.mismatch(PgType.BOOL, v);
    }

    /** boolin: any unique prefix of true/false/yes/no/on/off, and 1/0, in any case, trimmed. */
    static boolean parseBool(String input) {
        String s = Ascii.trim(input).toLowerCase(Locale.ROOT);
        int n = s.length();
        if (n > 0) {
            switch (s.charAt(0)) {
                case 't' -> {
                    if ("true".startsWith(s)) {
                        return true;
                    }
                }
                case 'f' -> {
                    if ("false".startsWith(s)) {
                        return false;
                    }
                }
                case 'y' -> {
                    if ("yes".startsWith(s)) {
                        return true;
                    }
                }
                case 'n' -> {
                    if ("no".startsWith(s)) {
                        return false;
                    }
                }
                case 'o' -> {
                    // "o" alone is ambiguous
                    if (n >= 2 && "on".startsWith(s)) {
                        return true;
                    }
                    if (n >= 2 && "off".startsWith(s)) {
                        return false;
                    }
                }
                case '1' -> {
                    if (n == 1) {
                        return true;
                    }
                }
                case '0' -> {
                    if (n == 1) {
                        return false;
                    }
                }
                default -> {
                }
            }
        }
        throw TypeErrors.invalidText(PgType.BOOL, input);
    }

    static long integer(PgType type, Object v, long min, long max) {
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s) {
            return Ascii.parseInteger(type, s, min, max);
        } else if (v instanceof BigInteger b) {
            if (b.bitLength() > 63) {
                throw TypeErrors.outOfRange(type, v);
            }
            n = b.longValue();
        } else if (v instanceof BigDecimal d) {
            try {
                n = d.longValueExact();
            } catch (ArithmeticException e) {
                if (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0) {
                    throw TypeErrors.outOfRange(type, v);
                }
                throw TypeErrors.notRepresentable(type, v, "it has a fractional part");
            }
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw TypeErrors.notRepresentable(type, v, "it is not a whole number");
            }
            if (d < -0x1p63 || d >= 0x1p63) {
                throw TypeErrors.outOfRange(type, v);
            }
            n = (long) d;
        } else {
            throw TypeErrors.mismatch(type, v);
        }
        if (n < min || n > max) {
            throw TypeErrors.outOfRange(type, v);
        }
        return n;
    }

    /** oid is unsigned: 0..4294967295; text input also takes negatives down to -2^31, wrapping them as oidin does. */
    static long oid(Object v) {
        if (v instanceof String s) {
            return Ascii.parseInteger(PgType.OID, s, Integer.MIN_VALUE, 0xFFFFFFFFL) & 0xFFFFFFFFL;
        }
        return integer(PgType.OID, v, 0, 0xFFFFFFFFL);
    }

    static double float8(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            // as PostgreSQL's int8 to float8 cast: the nearest double
            return ((Number) v).doubleValue();
        }
        if (v instanceof String s) {
            return FloatText.parseFloat8(s);
        }
        if (v instanceof BigDecimal || v instanceof BigInteger) {
            double d = ((Number) v).doubleValue();
            if (Double.isInfinite(d) || (d == 0 && signum(v) != 0)) {
                throw TypeErrors.outOfRange(PgType.FLOAT8, v);
            }
            return d;
        }
        throw TypeErrors.mismatch(PgType.FLOAT8, v);
    }

    static float float4(Object v) {
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof String s) {
            return FloatText.parseFloat4(s);
        }
        double d = float8(v);
        float f = (float) d;
        // as PostgreSQL's float8 to float4 cast: overflow and underflow are errors, rounding is not
        if ((Float.isInfinite(f) && !Double.isInfinite(d)) || (f == 0 && d != 0)) {
            throw TypeErrors.outOfRange(PgType.FLOAT4, v);
        }
        return f;
    }

    /** A normalized BigDecimal, or Double NaN/±Infinity. */
    static Object numeric(Object v) {
        if (v instanceof BigDecimal d) {
            return NumericCodec.normalize(d, v);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger b) {
            return NumericCodec.normalize(new BigDecimal(b), v);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return d;
            }
            // the shortest decimal that reads back as the same binary value, not its long exact expansion
            String shortest = v instanceof Float f ? Float.toString(f) : Double.toString(d);
            return NumericCodec.normalize(new BigDecimal(shortest), v);
        }
        if (v instanceof String s) {
            return NumericCodec.parse(s);
        }
        throw TypeErrors.mismatch(PgType.NUMERIC, v);
    }

    /**
     * The UTF-8 text of a value for text, varchar, bpchar, name and unknown: a String as it is, and
     * other values as PostgreSQL's cast to text prints them (true, 42, 1.5, 2024-01-15).
     */
    static byte[] text(PgType type, Object v, PgSessionSettings s) {
        if (v instanceof String str) {
            return Utf8.encode(str);
        }
        if (v instanceof byte[] b) {
            Utf8.validate(b);
            return b;
        }
        if (v instanceof CharSequence || v instanceof Character) {
            return Utf8.encode(v.toString());
        }
        if (v instanceof Boolean b) {
            return (b ? "true" : "false").getBytes(StandardCharsets.US_ASCII);
        }
        PgType natural = naturalType(v);
        if (natural == null) {
            throw TypeErrors.mismatch(type, v);
        }
        return PgValues.encodeText(natural, v, s);
    }

    /** json and jsonb: text passed through as it is; tandem does not parse or normalize JSON. */
    static byte[] json(PgType type, Object v) {
        if (v instanceof String str) {
            return Utf8.encode(str);
        }
        if (v instanceof byte[] b) {
            Utf8.validate(b);
            return b;
        }
        if (v instanceof CharSequence) {
            return Utf8.encode(v.toString());
        }
        throw TypeErrors.mismatch(type, v);
    }

    /**
     * bytea: a byte[] or ByteBuffer as it is. A String counts as its UTF-8 bytes (as SQLite's
     * CAST(x AS BLOB) reads it), not as bytea input syntax.
     */
    static byte[] bytea(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof ByteBuffer buf) {
            byte[] b = new byte[buf.remaining()];
            buf.duplicate().get(b);
            return b;
        }
        if (v instanceof String s) {
            return Utf8.encode(s);
        }
        throw TypeErrors.mismatch(PgType.BYTEA, v);
    }

    /** The single byte of a "char", or -1 for the empty value. Chars up to U+00FF stand for their byte. */
    static int charByte(Object v) {
        String s = v instanceof Character c ? String.valueOf(c) : v instanceof String str ? str : null;
        if (s == null) {
            throw TypeErrors.mismatch(PgType.CHAR, v);
        }
        if (s.isEmpty()) {
            return -1;
        }
        if (s.length() > 1 || s.charAt(0) > 0xFF) {
            throw TypeErrors.notRepresentable(PgType.CHAR, v, "\"char\" holds a single byte");
        }
        return s.charAt(0);
    }

    static UUID uuid(Object v) {
        if (v instanceof UUID u) {
            return u;
        }
        if (v instanceof String s) {
            return UuidText.parse(s);
        }
        if (v instanceof byte[] b && b.length == 16) {
            return UuidText.fromBinary(b);
        }
        throw TypeErrors.mismatch(PgType.UUID, v);
    }

    static int date(Object v) {
        if (v instanceof LocalDate d) {
            return DateTimes.days(d);
        }
        if (v instanceof String s) {
            return DateTimeParser.date(s);
        }
        throw TypeErrors.mismatch(PgType.DATE, v);
    }

    static long time(Object v) {
        if (v instanceof LocalTime t) {
            return DateTimes.micros(t);
        }
        if (v instanceof String s) {
            return DateTimeParser.time(s);
        }
        throw TypeErrors.mismatch(PgType.TIME, v);
    }

    static long timestamp(Object v) {
        if (v instanceof LocalDateTime t) {
            return DateTimes.micros(t);
        }
        if (v instanceof LocalDate d) {
            return d.equals(LocalDate.MAX) ? DateTimes.TIMESTAMP_NOEND
                    : d.equals(LocalDate.MIN) ? DateTimes.TIMESTAMP_NOBEGIN : DateTimes.micros(d.atStartOfDay());
        }
        if (v instanceof String s) {
            return DateTimeParser.timestamp(s);
        }
        throw TypeErrors.mismatch(PgType.TIMESTAMP, v);
    }

    /**
     * Microseconds since 2000 UTC. A LocalDateTime or LocalDate, like a zone-less String, is read in
     * the session's zone, as PostgreSQL's cast from timestamp to timestamptz does.
     */
    static long timestamptz(Object v, ZoneId sessionZone) {
        if (v instanceof OffsetDateTime t) {
            return DateTimes.micros(t);
        }
        if (v instanceof Instant t) {
            return DateTimes.micros(t);
        }
        if (v instanceof ZonedDateTime t) {
            return DateTimes.micros(t.toInstant());
        }
        if (v instanceof String s) {
            return DateTimeParser.timestamptz(s, sessionZone);
        }
        if (v instanceof LocalDateTime || v instanceof LocalDate) {
            long local = timestamp(v);
            if (local == DateTimes.TIMESTAMP_NOEND || local == DateTimes.TIMESTAMP_NOBEGIN) {
                return local;
            }
            long utc = local - DateTimeParser.offsetOfLocal(sessionZone, local) * 1_000_000L;
            if (utc < DateTimes.MIN_TIMESTAMP || utc >= DateTimes.END_TIMESTAMP) {
                throw TypeErrors.datetimeOutOfRange(PgType.TIMESTAMPTZ, v);
            }
            return utc;
        }
        throw TypeErrors.mismatch(PgType.TIMESTAMPTZ, v);
    }

    /** The type whose text output a value of this class has when cast to text; null if none. */
    static PgType naturalType(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return PgType.INT4;
        }
        if (v instanceof Long) {
            return PgType.INT8;
        }
        if (v instanceof BigDecimal || v instanceof BigInteger) {
            return PgType.NUMERIC;
        }
        if (v instanceof Double) {
            return PgType.FLOAT8;
        }
        if (v instanceof Float) {
            return PgType.FLOAT4;
        }
        if (v instanceof LocalDate) {
            return PgType.DATE;
        }
        if (v instanceof LocalTime) {
            return PgType.TIME;
        }
        if (v instanceof LocalDateTime) {
            return PgType.TIMESTAMP;
        }
        if (v instanceof OffsetDateTime || v instanceof Instant || v instanceof ZonedDateTime) {
            return PgType.TIMESTAMPTZ;
        }
        if (v instanceof UUID) {
            return PgType.UUID;
        }
        if (v instanceof Duration) {
            return PgType.INTERVAL;
        }
        return null;
    }

    private static boolean isIntegral(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
    }

    private static int signum(Object v) {
        return v instanceof BigDecimal d ? d.signum() : ((BigInteger) v).signum();
    }
}
