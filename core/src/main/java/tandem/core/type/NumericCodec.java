package tandem.core.type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * {@code numeric} as text and as {@code numeric_send}/{@code numeric_recv} bytes. Finite values are
 * {@link BigDecimal}s whose scale is PostgreSQL's display scale (never negative); NaN and the
 * infinities, which BigDecimal cannot hold, are the {@link Double} constants, as pgjdbc does it.
 *
 * <p>The binary form is int16 ndigits, int16 weight, int16 sign, int16 dscale, then ndigits
 * base-10000 digits, the first worth 10000^weight. PostgreSQL always stores (and so sends) values
 * without leading or trailing zero digits, so zero is {@code 0, 0, 0, dscale}.
 */
final class NumericCodec {

    static final int POS = 0x0000;
    static final int NEG = 0x4000;
    static final int NAN = 0xC000;
    static final int PINF = 0xD000;
    static final int NINF = 0xF000;

    /** NUMERIC_DSCALE_MAX: the largest display scale PostgreSQL stores. */
    static final int MAX_DSCALE = 0x3FFF;
    /** NUMERIC_WEIGHT_MAX + 1 groups of 4 digits before the point. */
    private static final int MAX_INTEGER_DIGITS = 131072;

    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10000);
    private static final long[] POW10 = {1, 10, 100, 1000, 10000};

    private NumericCodec() {
    }

    /** A value PostgreSQL could store: display scale >= 0 and within numeric's limits. */
    static BigDecimal normalize(BigDecimal v, Object original) {
        if (v.scale() < 0) {
            v = v.setScale(0);
        }
        if (v.scale() > MAX_DSCALE || v.precision() - v.scale() > MAX_INTEGER_DIGITS) {
            throw new ProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format",
                    "value: " + TypeErrors.abbreviate(String.valueOf(original)), null);
        }
        return v;
    }

    static byte[] text(BigDecimal v) {
        return v.toPlainString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] specialText(double v) {
        String s = Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] binary(BigDecimal v) {
        int dscale = v.scale();
        int sign = v.signum() < 0 ? NEG : POS;
        // align the point on a base-10000 boundary: scale up to a multiple of 4
        int fracGroups = (dscale + 3) / 4;
        int pad = fracGroups * 4 - dscale;
        BigInteger unscaled = v.unscaledValue().abs();
        short[] groups;
        int count;
        if (unscaled.bitLength() < 50) {
            long u = unscaled.longValue() * POW10[pad];
            groups = new short[6];
            count = 0;
            while (u != 0) {
                groups[count++] = (short) (u % 10000);
                u /= 10000;
            }
        } else {
            BigInteger u = unscaled.multiply(BigInteger.valueOf(POW10[pad]));
            groups = new short[u.bitLength() / 13 + 2];
            count = 0;
            while (u.signum() != 0) {
                BigInteger[] qr = u.divideAndRemainder(TEN_THOUSAND);
                groups[count++] = qr[1].shortValue();
                u = qr[0];
            }
        }
        // groups[0] is the least significant; drop zero groups at both ends as PostgreSQL stores it
        int low = 0;
        while (low < count && groups[low] == 0) {
            low++;
        }
        int ndigits = count - low;
        int weight = count - fracGroups - 1;
        if (ndigits == 0) {
            weight = 0;
            sign = POS;
        }
        ByteBuffer out = ByteBuffer.allocate(8 + 2 * ndigits);
        out.putShort((short) ndigits).putShort((short) weight).putShort((short) sign).putShort((short) dscale);
        for (int k = count - 1; k >= low; k--) {
            out.putShort(groups[k]);
        }
        return out.array();
    }

    /**
     * NaN and the infinities as {@code numeric_send} writes them. The odd dscale of 32 for the
     * infinities is real: numeric_send reads their header through the short-format dscale mask.
     */
    static byte[] specialBinary(double v) {
        int sign = Double.isNaN(v) ? NAN : v > 0 ? PINF : NINF;
        int dscale = sign == NAN ? 0 : ((sign & 0x1F80) >> 7);
        return ByteBuffer.allocate(8).putShort((short) 0).putShort((short) 0).putShort((short) sign)
                .putShort((short) dscale).array();
    }

    /** BigDecimal, or Double NaN/±Infinity. Digits beyond dscale are cut off, as numeric_recv does. */
    static Object fromBinary(byte[] b) {
        if (b.length < 8) {
            throw TypeErrors.invalidBinary(PgType.NUMERIC, "a numeric needs at least 8 bytes, got " + b.length);
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        int ndigits = in.getShort() & 0xFFFF;
        int weight = in.getShort();
        int sign = in.getShort() & 0xFFFF;
        int dscale = in.getShort() & 0xFFFF;
        if (b.length != 8 + 2 * ndigits) {
            throw TypeErrors.binaryLength(PgType.NUMERIC, 8 + 2 * ndigits, b.length);
        }
        switch (sign) {
            case NAN:
                return Double.NaN;
            case PINF:
                return Double.POSITIVE_INFINITY;
            case NINF:
                return Double.NEGATIVE_INFINITY;
            case POS, NEG:
                break;
            default:
                throw TypeErrors.invalidBinary(PgType.NUMERIC, "invalid sign in external \"numeric\" value");
        }
        if (dscale > MAX_DSCALE) {
            throw TypeErrors.invalidBinary(PgType.NUMERIC, "invalid scale in external \"numeric\" value");
        }
        BigInteger unscaled = BigInteger.ZERO;
        long small = 0;
        boolean useLong = ndigits <= 4;
        for (int k = 0; k < ndigits; k++) {
            int d = in.getShort();
            if (d < 0 || d > 9999) {
                throw TypeErrors.invalidBinary(PgType.NUMERIC, "invalid digit in external \"numeric\" value");
            }
            if (useLong) {
                small = small * 10000 + d;
            } else {
                unscaled = unscaled.multiply(TEN_THOUSAND).add(BigInteger.valueOf(d));
            }
        }
        if (useLong) {
            unscaled = BigInteger.valueOf(small);
        }
        // the last digit is worth 10000^(weight - ndigits + 1)
        int scale = 4 * (ndigits - weight - 1);
        BigDecimal v = new BigDecimal(sign == NEG ? unscaled.negate() : unscaled, scale);
        return v.setScale(dscale, RoundingMode.DOWN);
    }

    /**
     * numeric_in: surrounding whitespace, a sign, digits with a point and an exponent, single
     * underscores between digits, NaN and the infinities; and, since PostgreSQL 16, 0x/0o/0b integers.
     */
    static Object parse(String input) {
        String s = Ascii.trim(input);
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "infinity", "+infinity", "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        if (i + 1 < n && s.charAt(i) == '0' && "xXoObB".indexOf(s.charAt(i + 1)) >= 0) {
            return parseRadix(s, input);
        }
        StringBuilder plain = new StringBuilder(n);
        plain.append(s, 0, i);
        int digits = 0;
        boolean afterDigit = false;
        boolean point = false;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (Ascii.isDigit(c)) {
                plain.append(c);
                digits++;
                afterDigit = true;
            } else if (c == '_' && afterDigit && i + 1 < n && Ascii.isDigit(s.charAt(i + 1))) {
                afterDigit = false;
            } else if (c == '.' && !point) {
                point = true;
                plain.append(c);
                afterDigit = false;
            } else {
                break;
            }
        }
        if (digits == 0) {
            throw TypeErrors.invalidText(PgType.NUMERIC, input);
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            plain.append('E');
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                plain.append(s.charAt(i++));
            }
            int expDigits = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (Ascii.isDigit(c)) {
                    plain.append(c);
                    expDigits++;
                } else if (!(c == '_' && expDigits > 0 && i + 1 < n && Ascii.isDigit(s.charAt(i + 1)))) {
                    break;
                }
            }
            if (expDigits == 0 || expDigits > 9) {
                throw TypeErrors.invalidText(PgType.NUMERIC, input);
            }
        }
        if (i != n) {
            throw TypeErrors.invalidText(PgType.NUMERIC, input);
        }
        return normalize(new BigDecimal(plain.toString()), input);
    }

    private static BigDecimal parseRadix(String s, String input) {
        boolean negative = s.charAt(0) == '-';
        int at = negative || s.charAt(0) == '+' ? 1 : 0;
        char p = Character.toLowerCase(s.charAt(at + 1));
        int radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
        StringBuilder digits = new StringBuilder(s.length());
        boolean lastUnderscore = false;
        for (int i = at + 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_' && !lastUnderscore) {
                lastUnderscore = true;
            } else if (c < 0x80 && Character.digit(c, radix) >= 0) {
                digits.append(c);
                lastUnderscore = false;
            } else {
                throw TypeErrors.invalidText(PgType.NUMERIC, input);
            }
        }
        if (digits.isEmpty() || lastUnderscore) {
            throw TypeErrors.invalidText(PgType.NUMERIC, input);
        }
        BigInteger v = new BigInteger(digits.toString(), radix);
        return normalize(new BigDecimal(negative ? v.negate() : v), input);
    }
}
