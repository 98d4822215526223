package tandem.core.type;

import java.math.BigInteger;

/**
 * The digits PostgreSQL prints for {@code real} and {@code double precision}: a port of its copy of
 * Ryu ({@code src/common/d2s.c} and {@code f2s.c}). It has to be this code and not the JDK's
 * equally shortest {@code Double.toString}: PostgreSQL builds Ryu with {@code STRICTLY_SHORTEST 0},
 * so it never prints a decimal lying exactly halfway between two floats, and prints
 * {@code 9.999999999999999e+22} where the JDK finds {@code 1.0E23}.
 *
 * <p>Each method finds the decimal {@code mantissa * 10^exponent} and hands it straight to
 * {@link FloatText#layout}, so the hot path allocates only the output.
 */
final class Ryu {

    private static final int DOUBLE_MANTISSA_BITS = 52;
    private static final int DOUBLE_BIAS = 1023;
    private static final int DOUBLE_POW5_INV_BITCOUNT = 122;
    private static final int DOUBLE_POW5_BITCOUNT = 121;
    private static final long[] DOUBLE_POW5_INV_SPLIT = new long[292 * 2];
    private static final long[] DOUBLE_POW5_SPLIT = new long[326 * 2];

    private static final int FLOAT_MANTISSA_BITS = 23;
    private static final int FLOAT_BIAS = 127;
    private static final int FLOAT_POW5_INV_BITCOUNT = 59;
    private static final int FLOAT_POW5_BITCOUNT = 61;
    private static final long[] FLOAT_POW5_INV_SPLIT = new long[31];
    private static final long[] FLOAT_POW5_SPLIT = new long[47];

    static {
        // the tables PostgreSQL ships, computed as Ryu's PrintDoubleLookupTable/PrintFloatLookupTable make them
        BigInteger mask64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int i = 0; i < 326; i++) {
            BigInteger pow = BigInteger.valueOf(5).pow(i);
            int shift = pow.bitLength() - DOUBLE_POW5_BITCOUNT;
            BigInteger v = shift >= 0 ? pow.shiftRight(shift) : pow.shiftLeft(-shift);
            DOUBLE_POW5_SPLIT[2 * i] = v.and(mask64).longValue();
            DOUBLE_POW5_SPLIT[2 * i + 1] = v.shiftRight(64).longValue();
            if (i < 292) {
                BigInteger inv = BigInteger.ONE.shiftLeft(pow.bitLength() - 1 + DOUBLE_POW5_INV_BITCOUNT).divide(pow)
                        .add(BigInteger.ONE);
                DOUBLE_POW5_INV_SPLIT[2 * i] = inv.and(mask64).longValue();
                DOUBLE_POW5_INV_SPLIT[2 * i + 1] = inv.shiftRight(64).longValue();
            }
            if (i < 47) {
                int fshift = pow.bitLength() - FLOAT_POW5_BITCOUNT;
                FLOAT_POW5_SPLIT[i] = (fshift >= 0 ? pow.shiftRight(fshift) : pow.shiftLeft(-fshift)).longValue();
            }
            if (i < 31) {
                FLOAT_POW5_INV_SPLIT[i] = BigInteger.ONE.shiftLeft(pow.bitLength() - 1 + FLOAT_POW5_INV_BITCOUNT)
                        .divide(pow).add(BigInteger.ONE).longValue();
            }
        }
    }

    private Ryu() {
    }

    // ---- common

    /** e == 0 ? 1 : ceil(log2(5^e)) */
    private static int pow5bits(int e) {
        return (int) ((e * 1217359L) >>> 19) + 1;
    }

    /** floor(log10(2^e)) */
    private static int log10Pow2(int e) {
        return (int) ((e * 78913L) >>> 18);
    }

    /** floor(log10(5^e)) */
    private static int log10Pow5(int e) {
        return (int) ((e * 732923L) >>> 20);
    }

    private static int pow5Factor(long value) {
        int count = 0;
        while (value % 5 == 0) {
            value /= 5;
            count++;
        }
        return count;
    }

    private static boolean multipleOfPowerOf5(long value, int p) {
        return pow5Factor(value) >= p;
    }

    private static boolean multipleOfPowerOf2(long value, int p) {
        return (value & ((1L << p) - 1)) == 0;
    }

    // ---- double

    /** The text of a finite, non-zero double. */
    static byte[] d2s(double f) {
        boolean negative = f < 0;
        long bits = Double.doubleToRawLongBits(f);
        long ieeeMantissa = bits & ((1L << DOUBLE_MANTISSA_BITS) - 1);
        int ieeeExponent = (int) ((bits >>> DOUBLE_MANTISSA_BITS) & 0x7FF);

        // small integers: the exact value, trailing zeros left in
        int e2small = ieeeExponent - DOUBLE_BIAS - DOUBLE_MANTISSA_BITS;
        if (e2small >= -DOUBLE_MANTISSA_BITS && e2small <= 0) {
            long mask = (1L << -e2small) - 1;
            if ((ieeeMantissa & mask) == 0) {
                long m2 = (1L << DOUBLE_MANTISSA_BITS) | ieeeMantissa;
                return FloatText.layout(negative, m2 >>> -e2small, 0, 15);
            }
        }

        int e2;
        long m2;
        if (ieeeExponent == 0) {
            e2 = 1 - DOUBLE_BIAS - DOUBLE_MANTISSA_BITS - 2;
            m2 = ieeeMantissa;
        } else {
            e2 = ieeeExponent - DOUBLE_BIAS - DOUBLE_MANTISSA_BITS - 2;
            m2 = (1L << DOUBLE_MANTISSA_BITS) | ieeeMantissa;
        }
        // STRICTLY_SHORTEST 0 in PostgreSQL: the interval's bounds are never accepted
        long mv = 4 * m2;
        int mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1 : 0;

        long vr;
        long vp;
        long vm;
        int e10;
        boolean vrIsTrailingZeros = false;
        if (e2 >= 0) {
            int q = log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            int k = DOUBLE_POW5_INV_BITCOUNT + pow5bits(q) - 1;
            int i = -e2 + q + k;
            e10 = q;
            vr = mulShift(4 * m2, DOUBLE_POW5_INV_SPLIT, q, i);
            vp = mulShift(4 * m2 + 2, DOUBLE_POW5_INV_SPLIT, q, i);
            vm = mulShift(4 * m2 - 1 - mmShift, DOUBLE_POW5_INV_SPLIT, q, i);
            if (q <= 21) {
                if (mv % 5 == 0) {
                    vrIsTrailingZeros = multipleOfPowerOf5(mv, q);
                } else if (multipleOfPowerOf5(mv + 2, q)) {
                    vp--;
                }
            }
        } else {
            int q = log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            int i = -e2 - q;
            int k = pow5bits(i) - DOUBLE_POW5_BITCOUNT;
            int j = q - k;
            e10 = q + e2;
            vr = mulShift(4 * m2, DOUBLE_POW5_SPLIT, i, j);
            vp = mulShift(4 * m2 + 2, DOUBLE_POW5_SPLIT, i, j);
            vm = mulShift(4 * m2 - 1 - mmShift, DOUBLE_POW5_SPLIT, i, j);
            if (q <= 1) {
                vrIsTrailingZeros = true;
                vp--;
            } else if (q < 63) {
                vrIsTrailingZeros = multipleOfPowerOf2(mv, q - 1);
            }
        }

        int removed = 0;
        int lastRemovedDigit = 0;
        long output;
        if (vrIsTrailingZeros) {
            // the general case: the exact value may end in ...50..0 and then rounds to even
            while (vp / 10 > vm / 10) {
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = (int) (vr % 10);
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) {
                lastRemovedDigit = 4;
            }
            output = vr + ((vr == vm || lastRemovedDigit >= 5) ? 1 : 0);
        } else {
            boolean roundUp = false;
            if (vp / 100 > vm / 100) {
                roundUp = vr % 100 >= 50;
                vr /= 100;
                vp /= 100;
                vm /= 100;
                removed += 2;
            }
            while (vp / 10 > vm / 10) {
                roundUp = vr % 10 >= 5;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            output = vr + ((vr == vm || roundUp) ? 1 : 0);
        }
        return FloatText.layout(negative, output, e10 + removed, 15);
    }

    /** The top 64 bits of m times a 128-bit table entry, shifted right by j (115 <= j < 128). */
    private static long mulShift(long m, long[] table, int index, int j) {
        long lo = table[2 * index];
        long hi = table[2 * index + 1];
        long b0hi = Math.unsignedMultiplyHigh(m, lo);
        long b2lo = m * hi;
        long b2hi = Math.unsignedMultiplyHigh(m, hi);
        long sum = b0hi + b2lo;
        if (Long.compareUnsigned(sum, b0hi) < 0) {
            b2hi++;
        }
        int s = j - 64;
        return (sum >>> s) | (b2hi << (64 - s));
    }

    // ---- float

    /** The text of a finite, non-zero float. */
    static byte[] f2s(float f) {
        boolean negative = f < 0;
        int bits = Float.floatToRawIntBits(f);
        int ieeeMantissa = bits & ((1 << FLOAT_MANTISSA_BITS) - 1);
        int ieeeExponent = (bits >>> FLOAT_MANTISSA_BITS) & 0xFF;

        int e2small = ieeeExponent - FLOAT_BIAS - FLOAT_MANTISSA_BITS;
        if (e2small >= -FLOAT_MANTISSA_BITS && e2small <= 0) {
            int mask = (1 << -e2small) - 1;
            if ((ieeeMantissa & mask) == 0) {
                int m2 = (1 << FLOAT_MANTISSA_BITS) | ieeeMantissa;
                return FloatText.layout(negative, m2 >>> -e2small, 0, 6);
            }
        }

        int e2;
        long m2;
        if (ieeeExponent == 0) {
            e2 = 1 - FLOAT_BIAS - FLOAT_MANTISSA_BITS - 2;
            m2 = ieeeMantissa;
        } else {
            e2 = ieeeExponent - FLOAT_BIAS - FLOAT_MANTISSA_BITS - 2;
            m2 = (1L << FLOAT_MANTISSA_BITS) | ieeeMantissa;
        }
        long mv = 4 * m2;
        long mp = 4 * m2 + 2;
        int mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1 : 0;
        long mm = 4 * m2 - 1 - mmShift;

        long vr;
        long vp;
        long vm;
        int e10;
        boolean vrIsTrailingZeros = false;
        int lastRemovedDigit = 0;
        if (e2 >= 0) {
            int q = log10Pow2(e2);
            e10 = q;
            int k = FLOAT_POW5_INV_BITCOUNT + pow5bits(q) - 1;
            int i = -e2 + q + k;
            vr = mulShift32(mv, FLOAT_POW5_INV_SPLIT[q], i);
            vp = mulShift32(mp, FLOAT_POW5_INV_SPLIT[q], i);
            vm = mulShift32(mm, FLOAT_POW5_INV_SPLIT[q], i);
            if (q != 0 && (vp - 1) / 10 <= vm / 10) {
                // one removed digit is needed even when the loop below removes none
                int l = FLOAT_POW5_INV_BITCOUNT + pow5bits(q - 1) - 1;
                lastRemovedDigit = (int) (mulShift32(mv, FLOAT_POW5_INV_SPLIT[q - 1], -e2 + q - 1 + l) % 10);
            }
            if (q <= 9) {
                if (mv % 5 == 0) {
                    vrIsTrailingZeros = multipleOfPowerOf5(mv, q);
                } else if (multipleOfPowerOf5(mp, q)) {
                    vp--;
                }
            }
        } else {
            int q = log10Pow5(-e2);
            e10 = q + e2;
            int i = -e2 - q;
            int k = pow5bits(i) - FLOAT_POW5_BITCOUNT;
            int j = q - k;
            vr = mulShift32(mv, FLOAT_POW5_SPLIT[i], j);
            vp = mulShift32(mp, FLOAT_POW5_SPLIT[i], j);
            vm = mulShift32(mm, FLOAT_POW5_SPLIT[i], j);
            if (q != 0 && (vp - 1) / 10 <= vm / 10) {
                j = q - 1 - (pow5bits(i + 1) - FLOAT_POW5_BITCOUNT);
                lastRemovedDigit = (int) (mulShift32(mv, FLOAT_POW5_SPLIT[i + 1], j) % 10);
            }
            if (q <= 1) {
                vrIsTrailingZeros = true;
                vp--;
            } else if (q < 31) {
                vrIsTrailingZeros = multipleOfPowerOf2(mv, q - 1);
            }
        }

        int removed = 0;
        long output;
        if (vrIsTrailingZeros) {
            while (vp / 10 > vm / 10) {
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = (int) (vr % 10);
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) {
                lastRemovedDigit = 4;
            }
            output = vr + ((vr == vm || lastRemovedDigit >= 5) ? 1 : 0);
        } else {
            while (vp / 10 > vm / 10) {
                lastRemovedDigit = (int) (vr % 10);
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            output = vr + ((vr == vm || lastRemovedDigit >= 5) ? 1 : 0);
        }
        return FloatText.layout(negative, output, e10 + removed, 6);
    }

    private static long mulShift32(long m, long factor, int shift) {
        long factorLo = factor & 0xFFFFFFFFL;
        long factorHi = factor >>> 32;
        long bits0 = m * factorLo;
        long bits1 = m * factorHi;
        long sum = (bits0 >>> 32) + bits1;
        return sum >>> (shift - 32);
    }
}
