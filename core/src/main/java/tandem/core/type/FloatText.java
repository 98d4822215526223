package tandem.core.type;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * {@code real} and {@code double precision} as text, as {@code float4out}/{@code float8out} and
 * {@code float4in}/{@code float8in} do it.
 *
 * <p>With {@code extra_float_digits > 0} (the default since PostgreSQL 12) the digits are the
 * shortest that read back as the same value, as PostgreSQL's Ryu finds them ({@link Ryu}), laid
 * out in fixed notation when the decimal exponent is in [-4, 15) for double and [-4, 6) for real,
 * else as {@code d.ddde+XX} with at least two exponent digits.
 *
 * <p>With {@code extra_float_digits <= 0} the output is C's {@code %.Ng} with N = 15 (6 for real)
 * plus extra_float_digits, rounding the exact binary value half-even as glibc does.
 */
final class FloatText {

    private static final byte[] NAN = bytes("NaN");
    private static final byte[] INFINITY = bytes("Infinity");
    private static final byte[] NEG_INFINITY = bytes("-Infinity");
    private static final byte[] ZERO = bytes("0");
    private static final byte[] NEG_ZERO = bytes("-0");

    private FloatText() {
    }

    static byte[] float8(double v, int extraFloatDigits) {
        byte[] special = special(v);
        if (special != null) {
            return special;
        }
        if (extraFloatDigits <= 0) {
            return printfG(v, Math.max(1, 15 + extraFloatDigits));
        }
        // integers below 1e15 print as themselves: exact, shortest, and in fixed notation
        if (Math.abs(v) < 1e15 && v == Math.rint(v)) {
            return Ascii.of((long) v);
        }
        return Ryu.d2s(v);
    }

    static byte[] float4(float v, int extraFloatDigits) {
        byte[] special = special(v);
        if (special != null) {
            return special;
        }
        if (extraFloatDigits <= 0) {
            return printfG(v, Math.max(1, 6 + extraFloatDigits));
        }
        if (Math.abs(v) < 1e6f && v == Math.rint(v)) {
            return Ascii.of((long) v);
        }
        return Ryu.f2s(v);
    }

    private static byte[] special(double v) {
        if (Double.isNaN(v)) {
            return NAN.clone();
        }
        if (Double.isInfinite(v)) {
            return (v > 0 ? INFINITY : NEG_INFINITY).clone();
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0 ? NEG_ZERO : ZERO).clone();
        }
        return null;
    }

    /** C's {@code %.Pg}: P significant digits, trailing zeros dropped, fixed when -4 <= exponent < P. */
    private static byte[] printfG(double v, int precision) {
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        String unscaled = rounded.unscaledValue().abs().toString();
        int e = unscaled.length() - rounded.scale() - 1;
        byte[] digits = unscaled.getBytes(StandardCharsets.US_ASCII);
        int nd = digits.length;
        while (nd > 1 && digits[nd - 1] == '0') {
            nd--;
        }
        return layout(v < 0, digits, nd, e, precision);
    }

    /** Lays out mantissa * 10^exponent, as Ryu's to_chars does: see {@link #layout(boolean, byte[], int, int, int)}. */
    static byte[] layout(boolean negative, long mantissa, int exponent, int fixedBelow) {
        byte[] digits = new byte[20];
        int nd = Ascii.digits(mantissa);
        Ascii.writeLong(digits, 0, mantissa);
        int e = exponent + nd - 1;
        while (nd > 1 && digits[nd - 1] == '0') {
            nd--;
        }
        return layout(negative, digits, nd, e, fixedBelow);
    }

    /**
     * Lays out digits d1 d2 ... dn meaning d1.d2...dn × 10^e: fixed notation when -4 <= e <
     * fixedBelow, else scientific with a sign and at least two exponent digits.
     */
    private static byte[] layout(boolean negative, byte[] digits, int nd, int e, int fixedBelow) {
        byte[] out = new byte[nd + 32];
        int p = 0;
        if (negative) {
            out[p++] = '-';
        }
        if (e >= -4 && e < fixedBelow) {
            if (e < 0) {
                out[p++] = '0';
                out[p++] = '.';
                for (int k = -1; k > e; k--) {
                    out[p++] = '0';
                }
                System.arraycopy(digits, 0, out, p, nd);
                p += nd;
            } else {
                int intDigits = e + 1;
                for (int k = 0; k < intDigits; k++) {
                    out[p++] = k < nd ? digits[k] : (byte) '0';
                }
                if (nd > intDigits) {
                    out[p++] = '.';
                    System.arraycopy(digits, intDigits, out, p, nd - intDigits);
                    p += nd - intDigits;
                }
            }
        } else {
            out[p++] = digits[0];
            if (nd > 1) {
                out[p++] = '.';
                System.arraycopy(digits, 1, out, p, nd - 1);
                p += nd - 1;
            }
            out[p++] = 'e';
            out[p++] = (byte) (e < 0 ? '-' : '+');
            p = Ascii.writePadded(out, p, Math.abs(e), 2);
        }
        return java.util.Arrays.copyOf(out, p);
    }

    static double parseFloat8(String input) {
        String s = Ascii.trim(input);
        double special = parseSpecial(s);
        if (!Double.isNaN(special) || s.equalsIgnoreCase("nan")) {
            return special;
        }
        boolean nonZero = checkSyntax(s, PgType.FLOAT8, input);
        double v = Double.parseDouble(javaSyntax(s));
        if (Double.isInfinite(v) || (v == 0 && nonZero)) {
            throw outOfRange(PgType.FLOAT8, input);
        }
        return v;
    }

    static float parseFloat4(String input) {
        String s = Ascii.trim(input);
        double special = parseSpecial(s);
        if (!Double.isNaN(special) || s.equalsIgnoreCase("nan")) {
            return (float) special;
        }
        boolean nonZero = checkSyntax(s, PgType.FLOAT4, input);
        float v = Float.parseFloat(javaSyntax(s));
        if (Float.isInfinite(v) || (v == 0 && nonZero)) {
            throw outOfRange(PgType.FLOAT4, input);
        }
        return v;
    }

    /** NaN for "NaN", ±infinity for the spellings float8in accepts; NaN also when it is none of them. */
    private static double parseSpecial(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "infinity", "+infinity", "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.NaN;
        }
    }

    /** strtod reads hex floats without a binary exponent ("0x10"); Java's parser insists on one. */
    private static String javaSyntax(String s) {
        boolean hex = s.length() > 2 && (s.charAt(s.charAt(0) == '-' || s.charAt(0) == '+' ? 2 : 1) | 0x20) == 'x';
        return hex && s.indexOf('p') < 0 && s.indexOf('P') < 0 ? s + "p0" : s;
    }

    /**
     * Accepts what strtod does: {@code [sign] (digits [. digits] | . digits) [e [sign] digits]}, or
     * {@code [sign] 0x hexdigits [. hexdigits] [p [sign] digits]}; Java's parser would also take
     * "1d" and "Infinity" spelled its own way. Returns whether the mantissa has a non-zero digit, to
     * tell an underflow from a zero.
     */
    private static boolean checkSyntax(String s, PgType type, String input) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int radix = 10;
        char exponentMark = 'e';
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) | 0x20) == 'x') {
            radix = 16;
            exponentMark = 'p';
            i += 2;
        }
        int mantissaDigits = 0;
        boolean nonZero = false;
        while (i < n && isDigit(s.charAt(i), radix)) {
            nonZero |= s.charAt(i) != '0';
            i++;
            mantissaDigits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i), radix)) {
                nonZero |= s.charAt(i) != '0';
                i++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0) {
            throw TypeErrors.invalidText(type, input);
        }
        if (i < n && (s.charAt(i) | 0x20) == exponentMark) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && Ascii.isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                throw TypeErrors.invalidText(type, input);
            }
        }
        if (i != n) {
            throw TypeErrors.invalidText(type, input);
        }
        return nonZero;
    }

    private static boolean isDigit(char c, int radix) {
        return c < 0x80 && Character.digit(c, radix) >= 0;
    }

    private static ProxyException outOfRange(PgType type, String input) {
        return new ProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                "\"" + input + "\" is out of range for type " + type.sqlName());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
