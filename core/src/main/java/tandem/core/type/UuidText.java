package tandem.core.type;

import java.nio.ByteBuffer;
import java.util.UUID;

/** {@code uuid} as text and as its 16 bytes. */
final class UuidText {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private UuidText() {
    }

    /** Lower case with dashes, 8-4-4-4-12, as uuid_out writes it. */
    static byte[] text(UUID u) {
        byte[] out = new byte[36];
        long hi = u.getMostSignificantBits();
        long lo = u.getLeastSignificantBits();
        int p = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out[p++] = '-';
            }
            int b = (int) ((i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8))) & 0xFF);
            out[p++] = HEX[b >> 4];
            out[p++] = HEX[b & 0xF];
        }
        return out;
    }

    static byte[] binary(UUID u) {
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    static UUID fromBinary(byte[] b) {
        if (b.length != 16) {
            throw TypeErrors.binaryLength(PgType.UUID, 16, b.length);
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        return new UUID(in.getLong(), in.getLong());
    }

    /**
     * uuid_in: 32 hex digits in either case, optionally in braces, with a dash allowed after any
     * group of four digits; no whitespace.
     */
    static UUID parse(String input) {
        int n = input.length();
        int p = 0;
        boolean braces = n > 0 && input.charAt(0) == '{';
        if (braces) {
            p++;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 16; i++) {
            int a = hexDigit(input, p);
            int b = hexDigit(input, p + 1);
            if (a < 0 || b < 0) {
                throw TypeErrors.invalidText(PgType.UUID, input);
            }
            int v = (a << 4) | b;
            if (i < 8) {
                hi = (hi << 8) | v;
            } else {
                lo = (lo << 8) | v;
            }
            p += 2;
            if (p < n && input.charAt(p) == '-' && i % 2 == 1 && i < 15) {
                p++;
            }
        }
        if (braces) {
            if (p >= n || input.charAt(p) != '}') {
                throw TypeErrors.invalidText(PgType.UUID, input);
            }
            p++;
        }
        if (p != n) {
            throw TypeErrors.invalidText(PgType.UUID, input);
        }
        return new UUID(hi, lo);
    }

    private static int hexDigit(String s, int at) {
        if (at >= s.length()) {
            return -1;
        }
        char c = s.charAt(at);
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
