package tandem.core.type;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * A JSON document as PostgreSQL's jsonb prints it: object keys sorted shorter first, then by
 * bytes, the last of equal keys kept; {@code ", "} and {@code ": "} between items, no other
 * space; numbers as numeric prints them ({@code 1E+2} is {@code 100}, {@code 1.50} keeps its
 * zero); strings with their escapes decoded and written back as jsonb writes them. A store that
 * keeps the text as the client wrote it (SQLite) answers as PostgreSQL does.
 */
public final class JsonbText {

    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    /** The sign of a zero, which numeric does not print. */
    private static final java.util.regex.Pattern NEGATIVE_ZERO = java.util.regex.Pattern.compile("^-(?=0(\\.0*)?$)");

    private final byte[] b;
    private int p;
    private ByteArrayOutputStream out;

    private JsonbText(byte[] utf8) {
        this.b = utf8;
        this.out = new ByteArrayOutputStream(utf8.length + 16);
    }

    /** The document's jsonb text; 22P02 when it is not JSON. */
    public static byte[] canonical(byte[] utf8) {
        JsonbText j = new JsonbText(utf8);
        j.space();
        j.value(0);
        j.space();
        if (j.p != utf8.length) {
            throw j.invalid();
        }
        return j.out.toByteArray();
    }

    public static String canonical(String json) {
        return new String(canonical(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private void value(int depth) {
        if (p >= b.length) {
            throw invalid();
        }
        if (depth > 6400) {
            throw new ProxyException(SqlState.PROGRAM_LIMIT_EXCEEDED, "stack depth limit exceeded");
        }
        switch (b[p]) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> writeString(string());
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object(int depth) {
        p++;
        space();
        List<byte[][]> members = new ArrayList<>();
        if (p < b.length && b[p] == '}') {
            p++;
        } else {
            while (true) {
                space();
                if (p >= b.length || b[p] != '"') {
                    throw invalid();
                }
                byte[] key = string();
                space();
                if (p >= b.length || b[p] != ':') {
                    throw invalid();
                }
                p++;
                space();
                ByteArrayOutputStream enclosing = out;
                out = new ByteArrayOutputStream();
                value(depth + 1);
                members.add(new byte[][] {key, out.toByteArray()});
                out = enclosing;
                space();
                if (p < b.length && b[p] == ',') {
                    p++;
                } else if (p < b.length && b[p] == '}') {
                    p++;
                    break;
                } else {
                    throw invalid();
                }
            }
        }
        // stable: of equal keys the one written last comes last, and is the one kept
        members.sort((x, y) -> x[0].length != y[0].length ? Integer.compare(x[0].length, y[0].length)
                : Arrays.compareUnsigned(x[0], y[0]));
        out.write('{');
        boolean first = true;
        for (int i = 0; i < members.size(); i++) {
            if (i + 1 < members.size() && Arrays.equals(members.get(i)[0], members.get(i + 1)[0])) {
                continue;
            }
            if (!first) {
                out.write(',');
                out.write(' ');
            }
            first = false;
            writeString(members.get(i)[0]);
            out.write(':');
            out.write(' ');
            out.writeBytes(members.get(i)[1]);
        }
        out.write('}');
    }

    private void array(int depth) {
        p++;
        space();
        out.write('[');
        if (p < b.length && b[p] == ']') {
            p++;
            out.write(']');
            return;
        }
        while (true) {
            space();
            value(depth + 1);
            space();
            if (p < b.length && b[p] == ',') {
                p++;
                out.write(',');
                out.write(' ');
            } else if (p < b.length && b[p] == ']') {
                p++;
                out.write(']');
                return;
            } else {
                throw invalid();
            }
        }
    }

    private void literal(String word) {
        byte[] w = word.getBytes(StandardCharsets.US_ASCII);
        if (p + w.length > b.length || !Arrays.equals(b, p, p + w.length, w, 0, w.length)) {
            throw invalid();
        }
        p += w.length;
        out.writeBytes(w);
    }

    /** A number as numeric_in reads it and numeric_out prints it: the exponent folded into the scale. */
    private void number() {
        int start = p;
        if (p < b.length && b[p] == '-') {
            p++;
        }
        while (p < b.length && (Character.isDigit(b[p]) || b[p] == '.' || b[p] == 'e' || b[p] == 'E' || b[p] == '+'
                || b[p] == '-')) {
            p++;
        }
        String text = new String(b, start, p - start, StandardCharsets.US_ASCII);
        if (!NUMBER.matcher(text).matches()) {
            p = start;
            throw invalid();
        }
        BigDecimal d = new BigDecimal(text);
        if (d.scale() < 0) {
            d = d.setScale(0);
        }
        out.writeBytes(NEGATIVE_ZERO.matcher(d.toPlainString()).replaceFirst("").getBytes(StandardCharsets.US_ASCII));
    }

    /** The string at p, escapes decoded ({@link JsonStrings}), as UTF-8. */
    private byte[] string() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        try {
            p = JsonStrings.decode(b, p, s);
        } catch (JsonStrings.Malformed e) {
            throw switch (e.problem()) {
                case NUL -> new ProxyException(SqlState.UNTRANSLATABLE_CHARACTER, "unsupported Unicode escape sequence",
                        "\\u0000 cannot be converted to text.", null);
                case UNPAIRED_SURROGATE -> unicode();
                default -> invalid();
            };
        }
        return s.toByteArray();
    }

    /** escape_json: quotes, backslashes and control characters escaped, everything else as it is. */
    private void writeString(byte[] s) {
        out.write('"');
        for (byte x : s) {
            int c = x & 0xff;
            switch (c) {
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                default -> {
                    if (c < 0x20) {
                        out.writeBytes(String.format("\\u%04x", c).getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    private void space() {
        while (p < b.length && (b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r')) {
            p++;
        }
    }

    private ProxyException invalid() {
        return new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type json");
    }

    private ProxyException unicode() {
        return new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type json",
                "Unicode low surrogate must follow a high surrogate.", null);
    }
}
