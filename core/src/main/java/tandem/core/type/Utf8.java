package tandem.core.type;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 both ways. The JDK's own conversions replace a lone surrogate or a malformed byte
 * with '?' or U+FFFD; PostgreSQL instead refuses such text (and any NUL), so a value that would not
 * survive the move to PostgreSQL fails here rather than arriving changed.
 */
final class Utf8 {

    private Utf8() {
    }

    static byte[] encode(String s) {
        check(s);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether PostgreSQL text can hold {@code s}: no NUL, no unpaired surrogate. */
    static boolean storable(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(++i)))) {
                return false;
            }
        }
        return true;
    }

    private static void check(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw TypeErrors.badEncoding("the text holds a NUL character (0x00), which PostgreSQL text cannot store");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw TypeErrors.badEncoding("the text holds an unpaired surrogate at char " + i);
                }
            }
        }
    }

    /** Decodes, refusing what PostgreSQL's UTF8 verifier refuses. */
    static String decode(byte[] b) {
        validate(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Checks well-formed UTF-8 without NUL: shortest forms only, no surrogates, at most U+10FFFF. */
    static void validate(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c > 0) {
                i++;
                continue;
            }
            if (c == 0) {
                throw TypeErrors.badEncoding("0x00 at byte " + i);
            }
            int lead = c & 0xFF;
            int len;
            int min;
            if (lead >= 0xC2 && lead <= 0xDF) {
                len = 2;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                len = 3;
                min = 0x800;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                len = 4;
                min = 0x10000;
            } else {
                throw badSequence(b, i);
            }
            if (i + len > n) {
                throw badSequence(b, i);
            }
            int cp = lead & (0x7F >> len);
            for (int k = 1; k < len; k++) {
                int cont = b[i + k] & 0xFF;
                if ((cont & 0xC0) != 0x80) {
                    throw badSequence(b, i);
                }
                cp = (cp << 6) | (cont & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw badSequence(b, i);
            }
            i += len;
        }
    }

    private static RuntimeException badSequence(byte[] b, int at) {
        StringBuilder hex = new StringBuilder();
        for (int k = at; k < Math.min(b.length, at + 4); k++) {
            hex.append(String.format("0x%02x ", b[k] & 0xFF));
        }
        return TypeErrors.badEncoding("bytes " + hex.toString().trim() + " at byte " + at);
    }
}
