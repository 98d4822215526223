package tandem.core.type;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * Values between Java and PostgreSQL's wire formats, byte for byte as a PostgreSQL 18 server
 * writes and reads them, so that a SQLite store behind tandem looks like PostgreSQL to a client.
 *
 * <h2>Java values</h2>
 * <table>
 * <tr><th>type</th><th>decoded as</th><th>also taken when encoding</th></tr>
 * <tr><td>bool</td><td>Boolean</td><td>integers 0 and 1; String as boolin reads it</td></tr>
 * <tr><td>int2, int4, int8</td><td>Short, Integer, Long</td><td>any integral Number in range; a whole
 * Double or BigDecimal; String</td></tr>
 * <tr><td>oid</td><td>Long (unsigned)</td><td>as the integers, 0..4294967295</td></tr>
 * <tr><td>float4, float8</td><td>Float, Double</td><td>any Number (rounded to nearest, as PostgreSQL's
 * casts round; overflow is an error); String</td></tr>
 * <tr><td>numeric</td><td>BigDecimal, scale = display scale; Double NaN/±Infinity for the special
 * values</td><td>any Number (a Double by its shortest decimal); String</td></tr>
 * <tr><td>text, varchar, bpchar, name, unknown</td><td>String</td><td>byte[] of valid UTF-8; other values
 * as their cast to text prints them</td></tr>
 * <tr><td>json, jsonb</td><td>String</td><td>byte[] of valid UTF-8</td></tr>
 * <tr><td>"char"</td><td>String of one char (U+0000..U+00FF stand for the byte), or ""</td><td>Character</td></tr>
 * <tr><td>bytea</td><td>byte[]</td><td>ByteBuffer; a String as its UTF-8 bytes</td></tr>
 * <tr><td>uuid</td><td>UUID</td><td>String; byte[16]</td></tr>
 * <tr><td>date</td><td>LocalDate; MAX/MIN for ±infinity</td><td>String</td></tr>
 * <tr><td>time</td><td>LocalTime; MAX for 24:00:00</td><td>String</td></tr>
 * <tr><td>timestamp</td><td>LocalDateTime; MAX/MIN for ±infinity</td><td>LocalDate; String (a zone in it is
 * ignored)</td></tr>
 * <tr><td>timestamptz</td><td>OffsetDateTime in UTC; MAX/MIN for ±infinity</td><td>Instant,
 * ZonedDateTime; LocalDateTime, LocalDate and zone-less Strings in the session's zone</td></tr>
 * <tr><td>interval</td><td>String, IntervalStyle postgres</td><td>Duration</td></tr>
 * <tr><td>arrays</td><td>List (nested for more dimensions; null elements allowed)</td><td>Object[],
 * primitive arrays</td></tr>
 * </table>
 * A value that the type cannot hold exactly is refused with a {@link ProxyException}: 22003 out of
 * range, 22P02/22007/22008 bad text, 22P03 bad binary, 42804 a Java value of the wrong kind. A
 * null value encodes and decodes to null (SQL NULL).
 *
 * <h2>What passes through unchanged</h2>
 * json and jsonb text is sent as stored: PostgreSQL would print jsonb normalized (key order,
 * spacing), which tandem does not reproduce for values a SQLite store keeps as text. Interval text
 * is not parsed either. Encoded arrays are new unless noted: bytea and valid UTF-8 byte[] values
 * come back as the same array, so large values are not copied.
 */
public final class PgValues {

    private PgValues() {
    }

    // ---------------------------------------------------------------- text

    /** The value as PostgreSQL's output function prints it, in UTF-8; null for null. */
    public static byte[] encodeText(PgType type, Object value, PgSessionSettings s) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case BOOL -> new byte[] {(byte) (Coerce.bool(value) ? 't' : 'f')};
            case INT2 -> Ascii.of(Coerce.integer(type, value, Short.MIN_VALUE, Short.MAX_VALUE));
            case INT4 -> Ascii.of(Coerce.integer(type, value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT8 -> Ascii.of(Coerce.integer(type, value, Long.MIN_VALUE, Long.MAX_VALUE));
            case OID -> Ascii.of(Coerce.oid(value));
            case FLOAT4 -> FloatText.float4(Coerce.float4(value), s.extraFloatDigits());
            case FLOAT8 -> FloatText.float8(Coerce.float8(value), s.extraFloatDigits());
            case NUMERIC -> Coerce.numeric(value) instanceof java.math.BigDecimal d ? NumericCodec.text(d)
                    : NumericCodec.specialText((Double) Coerce.numeric(value));
            case TEXT, VARCHAR, BPCHAR, NAME, UNKNOWN -> Coerce.text(type, value, s);
            case JSON -> Coerce.json(type, value);
            case JSONB -> JsonbText.canonical(Coerce.json(type, value)); // a store may keep the text as written
            case CHAR -> charText(Coerce.charByte(value));
            case BYTEA -> s.byteaOutput() == PgSessionSettings.ByteaOutput.HEX ? ByteaText.hex(Coerce.bytea(value))
                    : ByteaText.escape(Coerce.bytea(value));
            case UUID -> UuidText.text(Coerce.uuid(value));
            case DATE -> DateTimes.dateText(Coerce.date(value));
            case TIME -> DateTimes.timeText(Coerce.time(value));
            case TIMESTAMP -> DateTimes.timestampText(Coerce.timestamp(value));
            case TIMESTAMPTZ -> DateTimes.timestamptzText(Coerce.timestamptz(value, s.timeZone()), s.timeZone());
            case INTERVAL -> intervalText(value);
            default -> ArrayCodec.encodeText(type, value, s);
        };
    }

    /** The value of text a client sent (as the type's input function reads it); null for null. */
    public static Object decodeText(PgType type, byte[] bytes, PgSessionSettings s) {
        if (bytes == null) {
            return null;
        }
        return switch (type) {
            case BYTEA -> ByteaText.parse(bytes);
            default -> decodeText(type, Utf8.decode(bytes), s);
        };
    }

    /** As {@link #decodeText(PgType, byte[], PgSessionSettings)}, from text already decoded. */
    /**
     * Microseconds since 2000-01-01 00:00 of a timestamp written {@code yyyy-mm-dd hh:mm:ss} (or
     * with a T), up to six fraction digits, no offset, as the timestamp input function reads it;
     * {@link Long#MIN_VALUE} for any other text, which only the full parser reads. For a caller that
     * has the text's characters without a String (bytes a store keeps).
     */
    public static long plainTimestamp(CharSequence text) {
        return DateTimeParser.plainTimestamp(text);
    }

    public static Object decodeText(PgType type, String text, PgSessionSettings s) {
        if (text == null) {
            return null;
        }
        return switch (type) {
            case BOOL -> Coerce.parseBool(text);
            case INT2 -> (short) Ascii.parseInteger(type, text, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT4 -> (int) Ascii.parseInteger(type, text, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT8 -> Ascii.parseInteger(type, text, Long.MIN_VALUE, Long.MAX_VALUE);
            case OID -> Coerce.oid(text);
            case FLOAT4 -> FloatText.parseFloat4(text);
            case FLOAT8 -> FloatText.parseFloat8(text);
            case NUMERIC -> NumericCodec.parse(text);
            case TEXT, VARCHAR, BPCHAR, NAME, UNKNOWN, JSON, JSONB, INTERVAL -> text;
            case CHAR -> charFromText(text);
            case BYTEA -> ByteaText.parse(text.getBytes(StandardCharsets.UTF_8));
            case UUID -> UuidText.parse(text);
            case DATE -> DateTimes.toLocalDate(DateTimeParser.date(text));
            case TIME -> DateTimes.toLocalTime(DateTimeParser.time(text));
            case TIMESTAMP -> DateTimes.toLocalDateTime(type, DateTimeParser.timestamp(text));
            case TIMESTAMPTZ -> DateTimes.toOffsetDateTime(DateTimeParser.timestamptz(text, s.timeZone()));
            default -> ArrayCodec.decodeText(type, text, s);
        };
    }

    // ---------------------------------------------------------------- binary

    /** As {@link #encodeBinary(PgType, Object, PgSessionSettings)} with the default settings (UTC). */
    public static byte[] encodeBinary(PgType type, Object value) {
        return encodeBinary(type, value, PgSessionSettings.DEFAULT);
    }

    /**
     * The value as the type's send function writes it; null for null. The settings matter only
     * where a zone-less value must become a timestamptz.
     */
    public static byte[] encodeBinary(PgType type, Object value, PgSessionSettings s) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case BOOL -> new byte[] {(byte) (Coerce.bool(value) ? 1 : 0)};
            case INT2 -> ByteBuffer.allocate(2).putShort((short) Coerce.integer(type, value, Short.MIN_VALUE,
                    Short.MAX_VALUE)).array();
            case INT4 -> int4(Coerce.integer(type, value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT8 -> int8(Coerce.integer(type, value, Long.MIN_VALUE, Long.MAX_VALUE));
            case OID -> int4(Coerce.oid(value));
            case FLOAT4 -> int4(Float.floatToIntBits(Coerce.float4(value)));
            case FLOAT8 -> int8(Double.doubleToLongBits(Coerce.float8(value)));
            case NUMERIC -> Coerce.numeric(value) instanceof java.math.BigDecimal d ? NumericCodec.binary(d)
                    : NumericCodec.specialBinary((Double) Coerce.numeric(value));
            case TEXT, VARCHAR, BPCHAR, NAME, UNKNOWN -> Coerce.text(type, value, s);
            case JSON -> Coerce.json(type, value);
            case JSONB -> jsonb(JsonbText.canonical(Coerce.json(type, value)));
            case CHAR -> {
                int b = Coerce.charByte(value);
                yield new byte[] {(byte) (b < 0 ? 0 : b)};
            }
            case BYTEA -> Coerce.bytea(value);
            case UUID -> UuidText.binary(Coerce.uuid(value));
            case DATE -> int4(Coerce.date(value));
            case TIME -> int8(Coerce.time(value));
            case TIMESTAMP -> int8(Coerce.timestamp(value));
            case TIMESTAMPTZ -> int8(Coerce.timestamptz(value, s.timeZone()));
            case INTERVAL -> {
                if (value instanceof Duration d) {
                    yield IntervalText.binary(d);
                }
                throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED,
                        "tandem cannot send an interval kept as text in binary format", null,
                        "Request interval results in text format.");
            }
            default -> ArrayCodec.encodeBinary(type, value, s);
        };
    }

    /**
     * Whether {@code value} is already what {@link #decodeBinary} gives back for its binary form as
     * {@code type}, so that a conversion to the type may keep it as it is: a Long as int8, a String
     * PostgreSQL can store as text or json, a timestamp in PostgreSQL's range at whole microseconds.
     * False only means the round trip must decide.
     */
    public static boolean isExact(PgType type, Object value) {
        return switch (type) {
            case BOOL -> value instanceof Boolean;
            case INT2 -> value instanceof Short;
            case INT4 -> value instanceof Integer;
            case INT8 -> value instanceof Long;
            case FLOAT4 -> value instanceof Float;
            case FLOAT8 -> value instanceof Double;
            case TEXT, VARCHAR, JSON, JSONB -> value instanceof String s && Utf8.storable(s);
            case UUID -> value instanceof java.util.UUID;
            case DATE -> value instanceof java.time.LocalDate d && inCommonRange(d.getYear());
            case TIMESTAMP -> value instanceof java.time.LocalDateTime t && t.getNano() % 1000 == 0
                    && inCommonRange(t.getYear());
            default -> false;
        };
    }

    /** Years both PostgreSQL's timestamp (4713 BC to 294276 AD) and date hold, with a year's margin. */
    private static boolean inCommonRange(int year) {
        return year > -4712 && year < 294276;
    }

    /** The value of binary data a client sent, as the type's receive function reads it; null for null. */
    public static Object decodeBinary(PgType type, byte[] b) {
        if (b == null) {
            return null;
        }
        return switch (type) {
            case BOOL -> {
                length(type, b, 1);
                yield b[0] != 0;
            }
            case INT2 -> {
                length(type, b, 2);
                yield (short) ((b[0] << 8) | (b[1] & 0xFF));
            }
            case INT4 -> {
                length(type, b, 4);
                yield ByteBuffer.wrap(b).getInt();
            }
            case INT8 -> {
                length(type, b, 8);
                yield ByteBuffer.wrap(b).getLong();
            }
            case OID -> {
                length(type, b, 4);
                yield Integer.toUnsignedLong(ByteBuffer.wrap(b).getInt());
            }
            case FLOAT4 -> {
                length(type, b, 4);
                yield Float.intBitsToFloat(ByteBuffer.wrap(b).getInt());
            }
            case FLOAT8 -> {
                length(type, b, 8);
                yield Double.longBitsToDouble(ByteBuffer.wrap(b).getLong());
            }
            case NUMERIC -> NumericCodec.fromBinary(b);
            case TEXT, VARCHAR, BPCHAR, NAME, UNKNOWN, JSON -> Utf8.decode(b);
            case JSONB -> {
                if (b.length == 0 || b[0] != 1) {
                    throw TypeErrors.invalidBinary(type, "unsupported jsonb version number "
                            + (b.length == 0 ? "(none)" : Integer.toString(b[0])));
                }
                yield Utf8.decode(java.util.Arrays.copyOfRange(b, 1, b.length));
            }
            case CHAR -> {
                length(type, b, 1);
                yield b[0] == 0 ? "" : String.valueOf((char) (b[0] & 0xFF));
            }
            case BYTEA -> b.clone();
            case UUID -> UuidText.fromBinary(b);
            case DATE -> {
                length(type, b, 4);
                yield DateTimes.toLocalDate(ByteBuffer.wrap(b).getInt());
            }
            case TIME -> {
                length(type, b, 8);
                yield DateTimes.toLocalTime(ByteBuffer.wrap(b).getLong());
            }
            case TIMESTAMP -> {
                length(type, b, 8);
                yield DateTimes.toLocalDateTime(type, ByteBuffer.wrap(b).getLong());
            }
            case TIMESTAMPTZ -> {
                length(type, b, 8);
                yield DateTimes.toOffsetDateTime(ByteBuffer.wrap(b).getLong());
            }
            case INTERVAL -> IntervalText.fromBinary(b);
            default -> ArrayCodec.decodeBinary(type, b);
        };
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] int4(long v) {
        int i = (int) v;
        return new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
    }

    private static byte[] int8(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] jsonb(byte[] text) {
        byte[] out = new byte[text.length + 1];
        out[0] = 1;
        System.arraycopy(text, 0, out, 1, text.length);
        return out;
    }

    private static void length(PgType type, byte[] b, int expected) {
        if (b.length != expected) {
            throw TypeErrors.binaryLength(type, expected, b.length);
        }
    }

    /** charout: the byte itself, or \ooo for one with the high bit set, or nothing for 0. */
    private static byte[] charText(int b) {
        if (b <= 0) {
            return new byte[0];
        }
        if (b >= 0x80) {
            return new byte[] {'\\', (byte) ('0' + (b >> 6)), (byte) ('0' + ((b >> 3) & 7)), (byte) ('0' + (b & 7))};
        }
        return new byte[] {(byte) b};
    }

    /** charin: \ooo for a byte written in octal, else the first byte of the text. */
    private static String charFromText(String text) {
        if (text.length() == 4 && text.charAt(0) == '\\' && isOctal(text.charAt(1), '3') && isOctal(text.charAt(2), '7')
                && isOctal(text.charAt(3), '7')) {
            return String.valueOf((char) Integer.parseInt(text.substring(1), 8));
        }
        if (text.isEmpty()) {
            return "";
        }
        byte first = text.getBytes(StandardCharsets.UTF_8)[0];
        return String.valueOf((char) (first & 0xFF));
    }

    private static boolean isOctal(char c, char max) {
        return c >= '0' && c <= max;
    }

    private static byte[] intervalText(Object value) {
        if (value instanceof String s) {
            return Utf8.encode(s);
        }
        if (value instanceof Duration d) {
            return IntervalText.text(d);
        }
        throw TypeErrors.mismatch(PgType.INTERVAL, value);
    }
}
