package tandem.core.mirror;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * A {@link Key} as JSON, the form repair-log entries keep it in.
 *
 * <p>On a PostgreSQL primary the write rewriter inserts {@code jsonb_build_array(k1, k2, ...)} of
 * the key columns in the client's own transaction, so {@link #decode} reads exactly what PostgreSQL
 * prints for that jsonb: integers and numerics as numbers ({@code 1.50} keeps its scale), text and
 * uuid as strings, timestamps in ISO form with a {@code T} ({@code "2024-01-15T10:30:00.12345"},
 * {@code "2024-01-15T16:00:00+05:30"} in whatever TimeZone the client's session had, {@code " BC"}
 * and {@code "infinity"} as PostgreSQL spells them), booleans as {@code true}/{@code false}, bytea
 * as {@code "\\x0102"}. {@link #encode} writes the same text, with PostgreSQL's {@code ", "}
 * between elements, so the SQLite emulation's entries look like PostgreSQL's (timestamptz in UTC).
 *
 * <p>{@link #canonical} is another form of a key: the text tandem's row writers lock a key by,
 * which must be the same whichever store or replica the key came from.
 */
public final class KeyCodec {

    private static final PgSessionSettings UTC = PgSessionSettings.DEFAULT;

    private KeyCodec() {
    }

    // ---------------------------------------------------------------- encode

    /** The key as PostgreSQL prints {@code jsonb_build_array} of its values. */
    public static String encode(Key key) {
        StringBuilder out = new StringBuilder().append('[');
        for (int i = 0; i < key.values().size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            value(out, key.values().get(i));
        }
        return out.append(']').toString();
    }

    private static void value(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("null");
            case Boolean b -> out.append(b);
            case Short s -> out.append(s);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case BigInteger b -> out.append(b);
            case BigDecimal d -> out.append(d.toPlainString());
            case Double d -> floating(out, d);
            case Float f -> floating(out, Double.parseDouble(Float.toString(f)));
            case String s -> string(out, s);
            case UUID u -> string(out, u.toString());
            case LocalDate d -> string(out, text(PgType.DATE, d));
            case LocalTime t -> string(out, text(PgType.TIME, t));
            case LocalDateTime t -> string(out, isoT(text(PgType.TIMESTAMP, t)));
            case OffsetDateTime t -> string(out, isoOffset(isoT(text(PgType.TIMESTAMPTZ, t))));
            case byte[] b -> string(out, text(PgType.BYTEA, b));
            default -> throw new ProxyException(SqlState.DATATYPE_MISMATCH, "a key value of class "
                    + v.getClass().getName() + " has no JSON form in the repair log", null,
                    "key columns of tandem's value model are integers, numerics, floats, text, uuid, dates and times, "
                            + "booleans and bytea");
        }
    }

    /** PostgreSQL keeps a float in jsonb as the numeric of its shortest text: {@code 1e20} is printed whole. */
    private static void floating(StringBuilder out, double d) {
        if (Double.isNaN(d)) {
            out.append("\"NaN\"");
        } else if (Double.isInfinite(d)) {
            out.append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        } else if (d == 0) {
            out.append('0');
        } else {
            out.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        }
    }

    private static String text(PgType type, Object value) {
        return new String(PgValues.encodeText(type, value, UTC), StandardCharsets.UTF_8);
    }

    /** {@code 2024-01-15 10:30:00} becomes {@code 2024-01-15T10:30:00}; a trailing {@code BC} keeps its space. */
    private static String isoT(String text) {
        int space = text.indexOf(' ');
        return space < 0 || text.endsWith("infinity") ? text : text.substring(0, space) + 'T' + text.substring(space + 1);
    }

    /** PostgreSQL prints a UTC offset in JSON as {@code +00:00}, in its text output as {@code +00}. */
    private static String isoOffset(String text) {
        if (text.endsWith("infinity")) {
            return text;
        }
        int bc = text.endsWith(" BC") ? text.length() - 3 : text.length();
        return text.substring(0, bc) + ":00" + text.substring(bc);
    }

    /** JSON string escapes as PostgreSQL's escape_json writes them: other characters pass as they are. */
    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    // ---------------------------------------------------------------- decode

    /**
     * Reads a key written by {@code jsonb_build_array} (or {@link #encode}) into tandem's Java
     * value model for the key columns' types.
     *
     * @throws ProxyException (22P02) when the text is not a JSON array of as many scalars as there
     *     are key columns, or an element does not fit its column's type
     */
    public static Key decode(String json, List<Column> keyColumns) {
        List<Object> raw = new Parser(json).array();
        if (raw.size() != keyColumns.size()) {
            throw malformed(json, "it has " + raw.size() + " elements for " + keyColumns.size() + " key columns ("
                    + keyColumns.stream().map(Column::name).toList() + ")");
        }
        List<Object> values = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Column column = keyColumns.get(i);
            if (raw.get(i) == null) {
                throw malformed(json, "key column \"" + column.name() + "\" is null, and keys never are");
            }
            try {
                values.add(element(raw.get(i), column.type()));
            } catch (ProxyException | IllegalArgumentException | ArithmeticException e) {
                throw new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION, "repair-log key " + json + ": element "
                        + (i + 1) + " is not a " + column.type().sqlName() + " for key column \"" + column.name() + "\": "
                        + e.getMessage(), null, "the entry was written for another schema; delete it once the row is "
                                + "verified", false, e);
            }
        }
        return new Key(values);
    }

    /** A JSON number as its text, so that no precision is lost before the column's type decides. */
    private record JsonNumber(String text) {
    }

    private static Object element(Object raw, PgType type) {
        if (raw == null) {
            return null;
        }
        return switch (type) {
            case INT2 -> (short) integral(raw, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT4 -> (int) integral(raw, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT8, OID -> integral(raw, Long.MIN_VALUE, Long.MAX_VALUE);
            case NUMERIC -> raw instanceof JsonNumber n ? new BigDecimal(n.text())
                    : PgValues.decodeText(PgType.NUMERIC, string(raw, type), UTC);
            case FLOAT8 -> raw instanceof JsonNumber n ? Double.parseDouble(n.text())
                    : PgValues.decodeText(PgType.FLOAT8, string(raw, type), UTC);
            case FLOAT4 -> raw instanceof JsonNumber n ? Float.parseFloat(n.text())
                    : PgValues.decodeText(PgType.FLOAT4, string(raw, type), UTC);
            case BOOL -> {
                if (raw instanceof Boolean b) {
                    yield b;
                }
                throw new IllegalArgumentException("expected true or false");
            }
            case UNKNOWN -> raw instanceof JsonNumber n ? untyped(n.text()) : raw;
            case TEXT, VARCHAR, BPCHAR, NAME, JSON, JSONB, INTERVAL -> string(raw, type);
            default -> PgValues.decodeText(type, string(raw, type), UTC);
        };
    }

    private static long integral(Object raw, long min, long max) {
        if (!(raw instanceof JsonNumber n)) {
            throw new IllegalArgumentException("expected a number");
        }
        long v = new BigDecimal(n.text()).longValueExact();
        if (v < min || v > max) {
            throw new ArithmeticException("out of range");
        }
        return v;
    }

    /** A SQLite column without a declared type: integers stay Long, other numbers Double, as SQLite keeps them. */
    private static Object untyped(String number) {
        BigDecimal d = new BigDecimal(number);
        try {
            return d.longValueExact();
        } catch (ArithmeticException notIntegral) {
            return d.doubleValue();
        }
    }

    private static String string(Object raw, PgType type) {
        if (raw instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("expected a string");
    }

    private static ProxyException malformed(String json, String why) {
        return new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION, "repair-log key " + json
                + " is not a JSON array of the key's values: " + why, null,
                "keys are written as jsonb_build_array(key columns) on PostgreSQL and KeyCodec.encode on SQLite");
    }

    /** A reader for what keys hold: one array of scalars (numbers, strings, booleans, null). */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        List<Object> array() {
            List<Object> out = new ArrayList<>();
            skipSpace();
            expect('[');
            skipSpace();
            if (peek() == ']') {
                pos++;
            } else {
                while (true) {
                    out.add(scalar());
                    skipSpace();
                    char c = next();
                    if (c == ']') {
                        break;
                    }
                    if (c != ',') {
                        throw malformed(text, "expected , or ] at offset " + (pos - 1));
                    }
                }
            }
            skipSpace();
            if (pos != text.length()) {
                throw malformed(text, "text follows the array at offset " + pos);
            }
            return out;
        }

        private Object scalar() {
            skipSpace();
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (text.startsWith("true", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (text.startsWith("null", pos)) {
                pos += 4;
                return null;
            }
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos) {
                throw malformed(text, "unexpected " + (c == 0 ? "end" : "'" + c + "'") + " at offset " + start);
            }
            String number = text.substring(start, pos);
            try {
                new BigDecimal(number);
            } catch (NumberFormatException e) {
                throw malformed(text, "bad number " + number);
            }
            return new JsonNumber(number);
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    if (c == 0 && pos > text.length()) {
                        throw malformed(text, "unterminated string");
                    }
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw malformed(text, "short \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw malformed(text, "bad escape \\" + e);
                }
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw malformed(text, "expected '" + c + "' at offset " + (pos - 1));
            }
        }
    }

    // ---------------------------------------------------------------- canonical

    /**
     * The text a row writer locks this key by ({@code <table>:<canonical>}): each value as
     * PostgreSQL's output function prints it in its key column's type (UTC for timestamptz, a
     * numeric without trailing zeros), as a JSON array of strings. The same row gives the same
     * text whether its key came from SQLite or PostgreSQL, as Long or Integer, on any replica.
     */
    public static String canonical(List<Column> keyColumns, Key key) {
        StringBuilder out = new StringBuilder().append('[');
        for (int i = 0; i < keyColumns.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object v = key.values().get(i);
            PgType type = keyColumns.get(i).type();
            if (v == null) {
                out.append("null");
            } else if (type == PgType.UNKNOWN) {
                value(out, v);
            } else {
                String text = new String(PgValues.encodeText(type, v, UTC), StandardCharsets.UTF_8);
                if (type == PgType.NUMERIC && v instanceof BigDecimal d) {
                    text = d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
                }
                string(out, text);
            }
        }
        return out.append(']').toString();
    }
}
