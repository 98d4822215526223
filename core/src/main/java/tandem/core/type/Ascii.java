package tandem.core.type;

import java.nio.charset.StandardCharsets;

/**
 * Digits straight into byte arrays, and PostgreSQL's integer input rules. Result cells are
 * written here without an intermediate String, since every cell of a SQLite store passes through.
 */
final class Ascii {

    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private Ascii() {
    }

    static byte[] of(long v) {
        if (v == Long.MIN_VALUE) {
            return LONG_MIN.clone();
        }
        int len = v < 0 ? digits(-v) + 1 : digits(v);
        byte[] out = new byte[len];
        writeLong(out, 0, v);
        return out;
    }

    /** Decimal digits of a non-negative long. */
    static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    /** Writes v (not Long.MIN_VALUE) at pos and returns the position after it. */
    static int writeLong(byte[] dst, int pos, long v) {
        if (v < 0) {
            dst[pos++] = '-';
            v = -v;
        }
        int end = pos + digits(v);
        int i = end;
        do {
            dst[--i] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        return end;
    }

    /** Writes a non-negative v with at least {@code width} digits, zero-padded. */
    static int writePadded(byte[] dst, int pos, long v, int width) {
        int d = digits(v);
        for (int k = d; k < width; k++) {
            dst[pos++] = '0';
        }
        return writeLong(dst, pos, v);
    }

    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The input with PostgreSQL's whitespace trimmed from both ends. */
    static String trim(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return from == 0 && to == s.length() ? s : s.substring(from, to);
    }

    /**
     * Parses an integer as {@code pg_strtoint64} does since PostgreSQL 16: surrounding whitespace,
     * a sign, decimal digits or {@code 0x}/{@code 0o}/{@code 0b} prefixed ones, single underscores
     * between digits. Out of [min, max] is 22003, anything else malformed 22P02.
     */
    static long parseInteger(PgType type, String input, long min, long max) {
        String s = trim(input);
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i + 1 < n && s.charAt(i) == '0') {
            char p = Character.toLowerCase(s.charAt(i + 1));
            radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
            if (radix != 10) {
                i += 2;
            }
        }
        // accumulate negatively so Long.MIN_VALUE fits
        long limit = Long.MIN_VALUE;
        long acc = 0;
        boolean anyDigit = false;
        boolean overflow = false;
        boolean lastUnderscore = false;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c == '_') {
                // only between digits; after a radix prefix too (0x_1F)
                if (lastUnderscore || (!anyDigit && radix == 10)) {
                    throw TypeErrors.invalidText(type, input);
                }
                lastUnderscore = true;
                continue;
            }
            int d = Character.digit(c, radix);
            if (d < 0 || c > 'z') {
                throw TypeErrors.invalidText(type, input);
            }
            lastUnderscore = false;
            anyDigit = true;
            if (acc < limit / radix || acc * radix < limit + d) {
                overflow = true;
            } else {
                acc = acc * radix - d;
            }
        }
        if (!anyDigit || lastUnderscore) {
            throw TypeErrors.invalidText(type, input);
        }
        if (overflow || (!negative && acc == Long.MIN_VALUE)) {
            throw TypeErrors.outOfRange(type, input);
        }
        long v = negative ? acc : -acc;
        if (v < min || v > max) {
            throw TypeErrors.outOfRange(type, input);
        }
        return v;
    }
}
