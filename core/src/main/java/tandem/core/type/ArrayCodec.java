package tandem.core.type;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * Arrays as {@code array_out}/{@code array_in} text ({@code {1,2,NULL}}, {@code {{1,2},{3,4}}}) and
 * as {@code array_send}/{@code array_recv} bytes (int32 ndim, int32 has-nulls, int32 element OID,
 * per dimension int32 size and int32 lower bound, then each element as int32 length, -1 for NULL,
 * and its bytes). Java arrays are Lists nested once per dimension; lower bounds other than 1, which
 * a List cannot carry, are refused.
 */
final class ArrayCodec {

    /** MAXDIM in PostgreSQL. */
    private static final int MAX_DIMENSIONS = 6;

    private ArrayCodec() {
    }

    // ---------------------------------------------------------------- shape

    /** The sizes of each dimension of a (nested) Java array, checked to be rectangular. */
    private static int[] dimensions(PgType type, Object value) {
        List<?> top = asList(value);
        if (top == null) {
            throw TypeErrors.mismatch(type, value);
        }
        int[] dims = new int[0];
        Object level = top;
        while (level != null) {
            List<?> l = asList(level);
            if (l == null) {
                break;
            }
            dims = Arrays.copyOf(dims, dims.length + 1);
            dims[dims.length - 1] = l.size();
            level = l.isEmpty() ? null : l.get(0);
        }
        if (dims.length > MAX_DIMENSIONS) {
            throw new ProxyException(SqlState.PROGRAM_LIMIT_EXCEEDED, "number of array dimensions (" + dims.length
                    + ") exceeds the maximum allowed (" + MAX_DIMENSIONS + ")");
        }
        checkShape(type, top, dims, 0);
        return dims;
    }

    private static void checkShape(PgType type, List<?> list, int[] dims, int depth) {
        if (list.size() != dims[depth]) {
            throw ragged(type);
        }
        for (Object e : list) {
            List<?> sub = asList(e);
            if (depth + 1 < dims.length) {
                if (sub == null) {
                    throw ragged(type);
                }
                checkShape(type, sub, dims, depth + 1);
            } else if (sub != null) {
                throw ragged(type);
            }
        }
    }

    private static ProxyException ragged(PgType type) {
        return new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                "multidimensional arrays must have array expressions with matching dimensions",
                "type " + type.sqlName(), null);
    }

    /** A List view of a List, Object[] or primitive array; null for anything else (byte[] is a bytea). */
    private static List<?> asList(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof Object[] a) {
            return Arrays.asList(a);
        }
        if (v != null && v.getClass().isArray() && !(v instanceof byte[])) {
            int n = java.lang.reflect.Array.getLength(v);
            List<Object> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                l.add(java.lang.reflect.Array.get(v, i));
            }
            return l;
        }
        return null;
    }

    private static void flatten(Object value, int depth, int dims, List<Object> out) {
        for (Object e : asList(value)) {
            if (depth + 1 < dims) {
                flatten(e, depth + 1, dims, out);
            } else {
                out.add(e);
            }
        }
    }

    // ---------------------------------------------------------------- text

    static byte[] encodeText(PgType type, Object value, PgSessionSettings s) {
        PgType element = type.elementType();
        int[] dims = dimensions(type, value);
        for (int d : dims) {
            if (d == 0) {
                return new byte[] {'{', '}'};
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16);
        writeText(out, asList(value), 0, dims.length, element, s);
        return out.toByteArray();
    }

    private static void writeText(ByteArrayOutputStream out, List<?> list, int depth, int dims, PgType element,
            PgSessionSettings s) {
        out.write('{');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            Object e = list.get(i);
            if (depth + 1 < dims) {
                writeText(out, asList(e), depth + 1, dims, element, s);
            } else if (e == null) {
                out.writeBytes(new byte[] {'N', 'U', 'L', 'L'});
            } else {
                writeElement(out, PgValues.encodeText(element, e, s));
            }
        }
        out.write('}');
    }

    /** array_out's quoting: empty, NULL-like, or holding braces, comma, quote, backslash or space. */
    private static void writeElement(ByteArrayOutputStream out, byte[] text) {
        boolean quote = text.length == 0 || (text.length == 4 && (text[0] | 0x20) == 'n' && (text[1] | 0x20) == 'u'
                && (text[2] | 0x20) == 'l' && (text[3] | 0x20) == 'l');
        for (int i = 0; i < text.length && !quote; i++) {
            byte c = text[i];
            quote = c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || Ascii.isSpace(c);
        }
        if (!quote) {
            out.writeBytes(text);
            return;
        }
        out.write('"');
        for (byte c : text) {
            if (c == '"' || c == '\\') {
                out.write('\\');
            }
            out.write(c);
        }
        out.write('"');
    }

    static List<Object> decodeText(PgType type, String text, PgSessionSettings s) {
        return new TextReader(type, text, s).read();
    }

    /** array_in for one-character-delimited arrays, with the optional {@code [1:n]=} decoration. */
    private static final class TextReader {
        private final PgType type;
        private final String input;
        private final PgSessionSettings settings;
        private int pos;

        TextReader(PgType type, String input, PgSessionSettings settings) {
            this.type = type;
            this.input = input;
            this.settings = settings;
        }

        List<Object> read() {
            skipSpaces();
            List<Integer> declared = new ArrayList<>();
            while (peek() == '[') {
                pos++;
                int lower = 1;
                int upper = integer();
                if (peek() == ':') {
                    pos++;
                    lower = upper;
                    upper = integer();
                }
                expect(']');
                if (lower != 1) {
                    throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED,
                            "tandem handles arrays whose lower bound is 1 only: \"" + input + "\"");
                }
                declared.add(upper - lower + 1);
            }
            if (!declared.isEmpty()) {
                skipSpaces();
                expect('=');
                skipSpaces();
            }
            if (peek() != '{') {
                throw malformed("Array value must start with \"{\" or dimension information.");
            }
            List<Object> result = list();
            skipSpaces();
            if (pos != input.length()) {
                throw malformed("Junk after closing right brace.");
            }
            if (!result.isEmpty()) {
                int[] dims = dimensions(type, result);
                if (!declared.isEmpty() && !Arrays.equals(dims, declared.stream().mapToInt(Integer::intValue).toArray())) {
                    throw malformed("Specified array dimensions do not match array contents.");
                }
            }
            return result;
        }

        private List<Object> list() {
            expect('{');
            List<Object> items = new ArrayList<>();
            skipSpaces();
            if (peek() == '}') {
                pos++;
                return items;
            }
            while (true) {
                skipSpaces();
                if (peek() == '{') {
                    items.add(list());
                } else {
                    items.add(element());
                }
                skipSpaces();
                char c = peek();
                pos++;
                if (c == '}') {
                    return Collections.unmodifiableList(items);
                }
                if (c != ',') {
                    throw malformed("Unexpected \"" + c + "\" character.");
                }
            }
        }

        private Object element() {
            StringBuilder text = new StringBuilder();
            boolean quoted = false;
            boolean escaped = false;
            // the unquoted text up to here, less trailing unescaped whitespace
            int keep = 0;
            if (peek() == '"') {
                quoted = true;
                pos++;
                while (true) {
                    if (pos >= input.length()) {
                        throw malformed("Unexpected end of input.");
                    }
                    char c = input.charAt(pos++);
                    if (c == '\\') {
                        if (pos >= input.length()) {
                            throw malformed("Unexpected end of input.");
                        }
                        text.append(input.charAt(pos++));
                    } else if (c == '"') {
                        break;
                    } else {
                        text.append(c);
                    }
                }
            } else {
                while (pos < input.length()) {
                    char c = input.charAt(pos);
                    if (c == ',' || c == '}') {
                        break;
                    }
                    if (c == '{' || c == '"') {
                        throw malformed("Unexpected \"" + c + "\" character.");
                    }
                    pos++;
                    if (c == '\\') {
                        if (pos >= input.length()) {
                            throw malformed("Unexpected end of input.");
                        }
                        text.append(input.charAt(pos++));
                        escaped = true;
                        keep = text.length();
                    } else {
                        text.append(c);
                        if (!Ascii.isSpace(c)) {
                            keep = text.length();
                        }
                    }
                }
                text.setLength(keep);
                if (text.isEmpty()) {
                    throw malformed("Unexpected \"" + peek() + "\" character.");
                }
            }
            String value = text.toString();
            if (!quoted && !escaped && value.equalsIgnoreCase("NULL")) {
                return null;
            }
            return PgValues.decodeText(type.elementType(), value, settings);
        }

        private int integer() {
            int start = pos;
            if (peek() == '-' || peek() == '+') {
                pos++;
            }
            while (Ascii.isDigit(peek())) {
                pos++;
            }
            try {
                return Integer.parseInt(input, start, pos, 10);
            } catch (NumberFormatException e) {
                throw malformed("\"[\" must introduce explicitly-specified array dimensions.");
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw malformed(pos >= input.length() ? "Unexpected end of input." : "Unexpected \"" + peek() + "\" character.");
            }
            pos++;
        }

        private void skipSpaces() {
            while (pos < input.length() && Ascii.isSpace(input.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            return pos < input.length() ? input.charAt(pos) : '\0';
        }

        private ProxyException malformed(String detail) {
            return new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                    "malformed array literal: \"" + input + "\"", detail, null);
        }
    }

    // ---------------------------------------------------------------- binary

    static byte[] encodeBinary(PgType type, Object value, PgSessionSettings s) {
        PgType element = type.elementType();
        int[] dims = dimensions(type, value);
        boolean empty = false;
        for (int d : dims) {
            empty |= d == 0;
        }
        if (empty) {
            return ByteBuffer.allocate(12).putInt(0).putInt(0).putInt(element.oid()).array();
        }
        List<Object> flat = new ArrayList<>();
        flatten(value, 0, dims.length, flat);
        byte[][] encoded = new byte[flat.size()][];
        int size = 12 + 8 * dims.length;
        boolean hasNull = false;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = PgValues.encodeBinary(element, flat.get(i), s);
            hasNull |= encoded[i] == null;
            size += 4 + (encoded[i] == null ? 0 : encoded[i].length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(dims.length).putInt(hasNull ? 1 : 0).putInt(element.oid());
        for (int d : dims) {
            out.putInt(d).putInt(1);
        }
        for (byte[] e : encoded) {
            if (e == null) {
                out.putInt(-1);
            } else {
                out.putInt(e.length).put(e);
            }
        }
        return out.array();
    }

    static List<Object> decodeBinary(PgType type, byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b);
        try {
            int ndim = in.getInt();
            int flags = in.getInt();
            int elementOid = in.getInt();
            if (ndim < 0 || ndim > MAX_DIMENSIONS) {
                throw TypeErrors.invalidBinary(type, "invalid number of dimensions: " + ndim);
            }
            if (flags != 0 && flags != 1) {
                throw TypeErrors.invalidBinary(type, "invalid array flags");
            }
            if (elementOid != type.elementType().oid()) {
                throw new ProxyException(SqlState.DATATYPE_MISMATCH, "binary data has array element type "
                        + elementOid + " instead of expected " + type.elementType().oid());
            }
            int[] dims = new int[ndim];
            for (int d = 0; d < ndim; d++) {
                dims[d] = in.getInt();
                int lower = in.getInt();
                if (dims[d] < 0) {
                    throw TypeErrors.invalidBinary(type, "invalid array dimension " + dims[d]);
                }
                if (lower != 1 && dims[d] > 0) {
                    throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED,
                            "tandem handles arrays whose lower bound is 1 only, got " + lower);
                }
            }
            List<Object> result = ndim == 0 ? new ArrayList<>() : readLevel(type, in, dims, 0);
            if (in.hasRemaining()) {
                throw TypeErrors.invalidBinary(type, in.remaining() + " bytes after the last element");
            }
            return result;
        } catch (java.nio.BufferUnderflowException e) {
            throw TypeErrors.invalidBinary(type, "insufficient data left in message");
        }
    }

    private static List<Object> readLevel(PgType type, ByteBuffer in, int[] dims, int depth) {
        List<Object> items = new ArrayList<>(Math.min(dims[depth], 1024));
        for (int i = 0; i < dims[depth]; i++) {
            if (depth + 1 < dims.length) {
                items.add(readLevel(type, in, dims, depth + 1));
                continue;
            }
            int len = in.getInt();
            if (len == -1) {
                items.add(null);
            } else if (len < 0 || len > in.remaining()) {
                throw TypeErrors.invalidBinary(type, "insufficient data left in message");
            } else {
                byte[] e = new byte[len];
                in.get(e);
                items.add(PgValues.decodeBinary(type.elementType(), e));
            }
        }
        return Collections.unmodifiableList(items);
    }
}
