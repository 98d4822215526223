package tandem.core.type;

import java.io.ByteArrayOutputStream;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/** {@code bytea} as text: {@code byteaout} in hex or escape form, and {@code byteain}. */
final class ByteaText {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ByteaText() {
    }

    /** {@code \x0a0b}: lower-case hex after a backslash and x. */
    static byte[] hex(byte[] b) {
        byte[] out = new byte[2 + 2 * b.length];
        out[0] = '\\';
        out[1] = 'x';
        for (int i = 0, p = 2; i < b.length; i++) {
            out[p++] = HEX[(b[i] >> 4) & 0xF];
            out[p++] = HEX[b[i] & 0xF];
        }
        return out;
    }

    /** Escape form: printable ASCII as itself, a backslash doubled, every other byte as \ooo. */
    static byte[] escape(byte[] b) {
        int len = 0;
        for (byte x : b) {
            int c = x & 0xFF;
            len += c == '\\' ? 2 : (c < 0x20 || c > 0x7E) ? 4 : 1;
        }
        byte[] out = new byte[len];
        int p = 0;
        for (byte x : b) {
            int c = x & 0xFF;
            if (c == '\\') {
                out[p++] = '\\';
                out[p++] = '\\';
            } else if (c < 0x20 || c > 0x7E) {
                out[p++] = '\\';
                out[p++] = (byte) ('0' + (c >> 6));
                out[p++] = (byte) ('0' + ((c >> 3) & 7));
                out[p++] = (byte) ('0' + (c & 7));
            } else {
                out[p++] = (byte) c;
            }
        }
        return out;
    }

    /** byteain: {@code \x} then hex pairs (whitespace allowed between pairs), else the escape form. */
    static byte[] parse(byte[] text) {
        if (text.length >= 2 && text[0] == '\\' && text[1] == 'x') {
            return parseHex(text);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
        int i = 0;
        while (i < text.length) {
            int c = text[i] & 0xFF;
            if (c != '\\') {
                out.write(c);
                i++;
            } else if (i + 1 < text.length && text[i + 1] == '\\') {
                out.write('\\');
                i += 2;
            } else if (i + 3 < text.length && isOctal(text[i + 1], '3') && isOctal(text[i + 2], '7')
                    && isOctal(text[i + 3], '7')) {
                out.write(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0'));
                i += 4;
            } else {
                throw invalid();
            }
        }
        return out.toByteArray();
    }

    private static byte[] parseHex(byte[] text) {
        byte[] out = new byte[(text.length - 2) / 2];
        int n = 0;
        int i = 2;
        while (i < text.length) {
            if (Ascii.isSpace(text[i])) {
                i++;
                continue;
            }
            int hi = Character.digit(text[i], 16);
            if (hi < 0) {
                throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE,
                        "invalid hexadecimal digit: \"" + (char) (text[i] & 0xFF) + "\"");
            }
            if (i + 1 >= text.length) {
                throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE,
                        "invalid hexadecimal data: odd number of digits");
            }
            int lo = Character.digit(text[i + 1], 16);
            if (lo < 0) {
                throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE,
                        "invalid hexadecimal digit: \"" + (char) (text[i + 1] & 0xFF) + "\"");
            }
            out[n++] = (byte) ((hi << 4) | lo);
            i += 2;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static boolean isOctal(byte b, char max) {
        return b >= '0' && b <= max;
    }

    private static ProxyException invalid() {
        return new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type bytea");
    }
}
