package tandem.core.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


/**
 * PostgreSQL's own hash functions, computed in Java bit for bit: {@code hash_bytes} (Bob Jenkins'
 * lookup3 as adapted in src/common/hashfn.c, little-endian), {@code hashint8}, {@code hashfloat8},
 * {@code hash_numeric} and {@code jsonb_hash}. What lets verification compare a chunk of rows by a
 * fingerprint each store computes: PostgreSQL in SQL, the old store's rows here. Each function is
 * checked against a running server (PgHashIT); a value this class hashes differently from the
 * server only makes a chunk look different, which the row-by-row comparison then clears.
 */
public final class PgHash {

    private static final int JB_FARRAY = 0x40000000;
    private static final int JB_FOBJECT = 0x20000000;

    private PgHash() {
    }

    /** {@code hash_any}/{@code hash_bytes} over {@code length} bytes from {@code offset}. */
    public static int bytes(byte[] k, int offset, int length) {
        Lookup3 h = new Lookup3(length);
        int p = offset;
        int len = length;
        while (len >= 12) {
            h.a += word(k, p);
            h.b += word(k, p + 4);
            h.c += word(k, p + 8);
            h.mix();
            p += 12;
            len -= 12;
        }
        // the last 11 bytes; the lowest byte of c is left for the length, as in lookup3
        switch (len) {
            case 11: h.c += (k[p + 10] & 0xff) << 24; // fall through
            case 10: h.c += (k[p + 9] & 0xff) << 16; // fall through
            case 9: h.c += (k[p + 8] & 0xff) << 8; // fall through
            case 8: h.b += word(k, p + 4); h.a += word(k, p); break;
            case 7: h.b += (k[p + 6] & 0xff) << 16; // fall through
            case 6: h.b += (k[p + 5] & 0xff) << 8; // fall through
            case 5: h.b += k[p + 4] & 0xff; // fall through
            case 4: h.a += word(k, p); break;
            case 3: h.a += (k[p + 2] & 0xff) << 16; // fall through
            case 2: h.a += (k[p + 1] & 0xff) << 8; // fall through
            case 1: h.a += k[p] & 0xff; // fall through
            default: break;
        }
        h.finish();
        return h.c;
    }

    public static int bytes(byte[] k) {
        return bytes(k, 0, k.length);
    }

    /** {@code hashtext} of a value under a deterministic collation: its UTF-8 bytes. */
    public static int text(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code hash_uint32}: what {@code hashint2} and {@code hashint4} are. */
    public static int uint32(int k) {
        Lookup3 h = new Lookup3(4);
        h.a += k;
        h.finish();
        return h.c;
    }

    /** {@code hash_uint32_extended}: a 64-bit hash of {@code k} under a 64-bit {@code seed}. */
    public static long uint32Extended(int k, long seed) {
        Lookup3 h = new Lookup3(4);
        if (seed != 0) {
            h.a += (int) (seed >>> 32);
            h.b += (int) seed;
            h.mix();
        }
        h.a += k;
        h.finish();
        return (long) h.b << 32 | (h.c & 0xffffffffL); // b in the high half, c in the low
    }

    /** {@code hashint8extended(v, seed)}. */
    public static long int8Extended(long v, long seed) {
        return uint32Extended(fold(v), seed);
    }

    /** {@code hashint8}, which hashes a value that fits in 32 bits as {@code hashint4} does. */
    public static int int8(long v) {
        return uint32(fold(v));
    }

    /** The 32 bits hashint8 hashes: the low half, XOR the high half (inverted for a negative value, so -1 folds as 0xffffffff). */
    private static int fold(long v) {
        int lo = (int) v;
        int hi = (int) (v >>> 32);
        return lo ^ (v >= 0 ? hi : ~hi);
    }

    /** {@code hashfloat8} ({@code hashfloat4} widens to it): both zeros hash alike, as do all NaNs. */
    public static int float8(double v) {
        if (v == 0.0) {
            return 0;
        }
        long bits = Double.doubleToLongBits(v); // one NaN, as the server's get_float8_nan()
        byte[] le = new byte[8];
        for (int i = 0; i < 8; i++) {
            le[i] = (byte) (bits >>> (8 * i));
        }
        return bytes(le);
    }

    /**
     * {@code hash_numeric}: the base-10,000 digits without leading and trailing zeros, XOR the
     * weight of the first. The sign and scale are not hashed (by the server either).
     */
    public static int numeric(BigDecimal v) {
        if (v.signum() == 0) {
            return -1;
        }
        BigDecimal abs = v.abs().stripTrailingZeros();
        if (abs.precision() - abs.scale() > 131_072 || abs.scale() > 16_383) {
            // beyond what numeric holds (PostgreSQL refuses it): not worth building a huge number to hash
            throw new IllegalArgumentException("a number beyond numeric's range");
        }
        // split at the decimal point into groups of four digits, as numeric stores them
        int scale = abs.scale();
        int fracGroups = scale > 0 ? (scale + 3) / 4 : 0;
        BigInteger scaled = abs.movePointRight(fracGroups * 4).toBigIntegerExact();
        List<Integer> lowFirst = new ArrayList<>();
        BigInteger tenThousand = BigInteger.valueOf(10_000);
        while (scaled.signum() > 0) {
            BigInteger[] qr = scaled.divideAndRemainder(tenThousand);
            lowFirst.add(qr[1].intValue());
            scaled = qr[0];
        }
        int[] groups = new int[lowFirst.size()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = lowFirst.get(groups.length - 1 - i);
        }
        return digits(groups, 0, groups.length - 1 - fracGroups);
    }

    /**
     * hash_any over base-10,000 digits {@code groups[from..]} (most significant first, at least one
     * not zero) as numeric stores them, 16 bits each, without leading and trailing zeros, XOR the
     * weight of the first digit hashed; {@code weight} is that of {@code groups[from]}.
     */
    private static int digits(int[] groups, int from, int weight) {
        int first = from;
        while (groups[first] == 0) {
            first++;
            weight--;
        }
        int last = groups.length - 1;
        while (groups[last] == 0) {
            last--;
        }
        byte[] digits = new byte[(last - first + 1) * 2];
        for (int i = first, q = 0; i <= last; i++) {
            digits[q++] = (byte) groups[i];
            digits[q++] = (byte) (groups[i] >>> 8);
        }
        return bytes(digits) ^ weight;
    }

    /**
     * {@code jsonb_hash} of a JSON text as PostgreSQL's jsonb input would read it: object keys in
     * jsonb's order (shorter first, then by bytes), the last of duplicate keys kept, numbers as
     * numeric. Each key, value and element rotates the hash left one bit and XORs its own in;
     * opening an array or object XORs a flag.
     *
     * @throws IllegalArgumentException when the text is no JSON value (RFC 8259), or holds an escaped NUL, which jsonb refuses
     */
    public static int jsonb(String json) {
        return jsonb(json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #jsonb(String)} of a JSON text's UTF-8 bytes, which are not checked to be valid UTF-8. */
    public static int jsonb(byte[] utf8) {
        return new JsonbHash(utf8).root();
    }

    /**
     * One JSON document hashed as it is read, over its UTF-8 bytes: strings without escapes are
     * hashed where they lie. Jackson would do the reading, but building a parser and a token per
     * value cost more than the hashing, and verification hashes every document of a table.
     *
     * <p>A value's part of the hash is kept as a long: the hash it contributes as if the hash
     * before it were 0 (low 32 bits), and how far it rotates the hash before it, modulo 32 (the
     * next 5 bits), since rotating and XOR are linear: {@code h' = rotl(h, r) ^ part}.
     */
    private static final class JsonbHash {
        private static final long SCALAR = 1L << 40;
        private static final long EMPTY = 1L << 41;

        private final byte[] b;
        private int p;
        private int depth;

        JsonbHash(byte[] b) {
            this.b = b;
        }

        int root() {
            long part = value();
            space();
            if (p != b.length) {
                throw bad("more than one JSON value");
            }
            if ((part & EMPTY) != 0) {
                return 0; // JB_ROOT_COUNT == 0
            }
            if ((part & SCALAR) != 0) {
                return after(JB_FARRAY, part); // a scalar is stored as a one-element array
            }
            return (int) part;
        }

        private long value() {
            space();
            if (p >= b.length) {
                throw bad("the text ends where a value should start");
            }
            if (++depth > 1000) {
                throw bad("nesting deeper than tandem hashes"); // the row-by-row comparison takes over
            }
            long part = switch (b[p]) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> scalar(stringHash());
                case 't' -> literal("true", 0x02);
                case 'f' -> literal("false", 0x04);
                case 'n' -> literal("null", 0x01);
                default -> scalar(number());
            };
            depth--;
            return part;
        }

        private static long scalar(int hash) {
            return (hash & 0xffffffffL) | 1L << 32 | SCALAR;
        }

        private static int after(int before, long part) {
            return Integer.rotateLeft(before, (int) (part >>> 32) & 31) ^ (int) part;
        }

        private static long part(int hash, int rotations, boolean empty) {
            return (hash & 0xffffffffL) | (long) (rotations & 31) << 32 | (empty ? EMPTY : 0);
        }

        private long array() {
            p++;
            int hash = JB_FARRAY;
            int rotations = 0;
            space();
            if (p < b.length && b[p] == ']') {
                p++;
                return part(hash, 0, true);
            }
            while (true) {
                long element = value();
                hash = after(hash, element);
                rotations += (int) (element >>> 32) & 31;
                space();
                if (p < b.length && b[p] == ',') {
                    p++;
                } else if (p < b.length && b[p] == ']') {
                    p++;
                    return part(hash, rotations, false);
                } else {
                    throw bad("expected , or ] in an array");
                }
            }
        }

        private long object() {
            p++;
            space();
            if (p < b.length && b[p] == '}') {
                p++;
                return part(JB_FOBJECT, 0, true);
            }
            List<Member> members = new ArrayList<>(4);
            while (true) {
                space();
                if (p >= b.length || b[p] != '"') {
                    throw bad("expected a key in an object");
                }
                int keyStart = p + 1;
                int keyEnd = plainStringEnd(keyStart);
                byte[] keyBytes;
                int keyFrom;
                int keyLength;
                if (keyEnd >= 0) { // no escape: hashed and compared where it lies
                    keyBytes = b;
                    keyFrom = keyStart;
                    keyLength = keyEnd - keyStart;
                    p = keyEnd + 1;
                } else {
                    keyBytes = stringBytes();
                    keyFrom = 0;
                    keyLength = keyBytes.length;
                }
                space();
                if (p >= b.length || b[p] != ':') {
                    throw bad("expected : after a key");
                }
                p++;
                members.add(new Member(keyBytes, keyFrom, keyLength, members.size(), value()));
                space();
                if (p < b.length && b[p] == ',') {
                    p++;
                } else if (p < b.length && b[p] == '}') {
                    p++;
                    break;
                } else {
                    throw bad("expected , or } in an object");
                }
            }
            if (members.size() > 1) {
                // jsonb's key order; of equal keys the one written last stays
                members.sort((x, y) -> {
                    int c = x.length != y.length ? Integer.compare(x.length, y.length) : x.compareKey(y);
                    return c != 0 ? c : Integer.compare(x.position, y.position);
                });
            }
            int hash = JB_FOBJECT;
            int rotations = 0;
            for (int i = 0; i < members.size(); i++) {
                Member m = members.get(i);
                if (i + 1 < members.size() && m.length == members.get(i + 1).length && m.compareKey(members.get(i + 1)) == 0) {
                    continue;
                }
                hash = after(Integer.rotateLeft(hash, 1) ^ bytes(m.bytes, m.from, m.length), m.value);
                rotations += 1 + ((int) (m.value >>> 32) & 31);
            }
            return part(hash, rotations, false);
        }

        /** A key ({@code length} bytes of {@code bytes} from {@code from}: the text itself, or its escapes decoded) and its value. */
        private record Member(byte[] bytes, int from, int length, int position, long value) {

            int compareKey(Member o) {
                return Arrays.compareUnsigned(bytes, from, from + length, o.bytes, o.from, o.from + o.length);
            }
        }

        /** Where the string starting at {@code start} (after its quote) ends, when it has no escape; else -1. */
        private int plainStringEnd(int start) {
            for (int q = start; q < b.length; q++) {
                int c = b[q] & 0xff;
                if (c == '"') {
                    return q;
                }
                if (c == '\\' || c < 0x20) {
                    return -1;
                }
            }
            return -1;
        }

        private long literal(String word, int hash) {
            for (int i = 0; i < word.length(); i++) {
                if (p + i >= b.length || b[p + i] != word.charAt(i)) {
                    throw bad("unknown word in JSON");
                }
            }
            p += word.length();
            return scalar(hash);
        }

        /** The string at p hashed; without escapes, in place. */
        private int stringHash() {
            int start = p + 1;
            int q = start;
            while (q < b.length && b[q] != '"' && b[q] != '\\') {
                if ((b[q] & 0xff) < 0x20) {
                    throw bad("a control character in a string");
                }
                q++;
            }
            if (q < b.length && b[q] == '"') {
                p = q + 1;
                return bytes(b, start, q - start);
            }
            return bytes(stringBytes());
        }

        /** The string at p, its escapes decoded, as UTF-8. */
        private byte[] stringBytes() {
            p++;
            for (int end = p; end < b.length; end++) {
                int c = b[end] & 0xff;
                if (c == '"') { // no escape: the bytes as they lie (most keys)
                    byte[] plain = Arrays.copyOfRange(b, p, end);
                    p = end + 1;
                    return plain;
                }
                if (c == '\\' || c < 0x20) {
                    break;
                }
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            p = tandem.core.type.JsonStrings.decode(b, p - 1, out); // a Malformed is this hash's IllegalArgumentException
            return out.toByteArray();
        }

        /** A number as RFC 8259 writes it, hashed as numeric; integers of up to 18 digits without BigDecimal. */
        private int number() {
            int start = p;
            boolean negative = b[p] == '-';
            if (negative) {
                p++;
            }
            int intStart = p;
            digits();
            if (p - intStart > 1 && b[intStart] == '0') {
                throw bad("a number with a leading zero");
            }
            boolean plain = true;
            if (p < b.length && b[p] == '.') {
                p++;
                digits();
                plain = false;
            }
            if (p < b.length && (b[p] == 'e' || b[p] == 'E')) {
                p++;
                if (p < b.length && (b[p] == '+' || b[p] == '-')) {
                    p++;
                }
                digits();
                plain = false;
            }
            if (plain && p - intStart <= 18) {
                long v = 0;
                for (int i = intStart; i < p; i++) {
                    v = v * 10 + (b[i] - '0');
                }
                return numeric(v);
            }
            return numeric(new BigDecimal(new String(b, start, p - start, StandardCharsets.US_ASCII)));
        }

        private void digits() {
            int start = p;
            while (p < b.length && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == start) {
                throw bad("a number without digits");
            }
        }

        private void space() {
            while (p < b.length && (b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r')) {
                p++;
            }
        }

        private IllegalArgumentException bad(String what) {
            return new IllegalArgumentException("not JSON: " + what + " at byte " + p);
        }
    }

    /** {@link #numeric(BigDecimal)} of a non-negative long, without BigDecimal. */
    static int numeric(long v) {
        if (v == 0) {
            return -1;
        }
        int[] groups = new int[5]; // most significant first once filled from the end
        int n = 0;
        while (v > 0) {
            groups[4 - n++] = (int) (v % 10_000);
            v /= 10_000;
        }
        return digits(groups, 5 - n, n - 1);
    }

    private static int word(byte[] k, int p) {
        return (k[p] & 0xff) | (k[p + 1] & 0xff) << 8 | (k[p + 2] & 0xff) << 16 | (k[p + 3] & 0xff) << 24;
    }

    /** lookup3's three words as PostgreSQL's hashfn.c starts them for {@code length} bytes, and its mix and final steps. */
    private static final class Lookup3 {
        int a;
        int b;
        int c;

        Lookup3(int length) {
            a = 0x9e3779b9 + length + 3923095;
            b = a;
            c = a;
        }

        void mix() {
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
        }

        void finish() {
            c ^= b; c -= Integer.rotateLeft(b, 14);
            a ^= c; a -= Integer.rotateLeft(c, 11);
            b ^= a; b -= Integer.rotateLeft(a, 25);
            c ^= b; c -= Integer.rotateLeft(b, 16);
            a ^= c; a -= Integer.rotateLeft(c, 4);
            b ^= a; b -= Integer.rotateLeft(a, 14);
            c ^= b; c -= Integer.rotateLeft(b, 24);
        }
    }
}
