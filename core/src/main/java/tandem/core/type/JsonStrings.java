package tandem.core.type;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A JSON string's escapes decoded to UTF-8 as jsonb reads them (surrogate pairs joined,
 * {@code \u0000} refused): what the verifier hashes ({@code PgHash}) and {@link JsonbText} prints.
 */
public final class JsonStrings {

    /** Why a string is not one jsonb takes. */
    public enum Problem {
        UNTERMINATED, CONTROL_CHARACTER, BAD_ESCAPE, UNPAIRED_SURROGATE, NUL
    }

    /** A string jsonb refuses, and where. */
    public static final class Malformed extends IllegalArgumentException {

        private final Problem problem;

        Malformed(Problem problem, int at) {
            super("not JSON: " + problem.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " at byte " + at);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private JsonStrings() {
    }

    /**
     * Decodes the string whose opening quote is at {@code b[quote]} into {@code out}.
     *
     * @return the index after its closing quote
     */
    public static int decode(byte[] b, int quote, ByteArrayOutputStream out) {
        int p = quote + 1;
        while (true) {
            if (p >= b.length) {
                throw new Malformed(Problem.UNTERMINATED, p);
            }
            int c = b[p++] & 0xff;
            if (c == '"') {
                return p;
            }
            if (c < 0x20) {
                throw new Malformed(Problem.CONTROL_CHARACTER, p - 1);
            }
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (p >= b.length) {
                throw new Malformed(Problem.UNTERMINATED, p);
            }
            int e = b[p++];
            switch (e) {
                case '"', '\\', '/' -> out.write(e);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'u' -> {
                    int u = hex4(b, p);
                    p += 4;
                    if (Character.isHighSurrogate((char) u) && p + 1 < b.length && b[p] == '\\' && b[p + 1] == 'u') {
                        int low = hex4(b, p + 2);
                        p += 6;
                        if (!Character.isLowSurrogate((char) low)) {
                            throw new Malformed(Problem.UNPAIRED_SURROGATE, p);
                        }
                        u = Character.toCodePoint((char) u, (char) low);
                    } else if (Character.isSurrogate((char) u)) {
                        throw new Malformed(Problem.UNPAIRED_SURROGATE, p);
                    }
                    if (u == 0) {
                        throw new Malformed(Problem.NUL, p);
                    }
                    out.writeBytes(new String(Character.toChars(u)).getBytes(StandardCharsets.UTF_8));
                }
                default -> throw new Malformed(Problem.BAD_ESCAPE, p - 1);
            }
        }
    }

    private static int hex4(byte[] b, int at) {
        if (at + 4 > b.length) {
            throw new Malformed(Problem.BAD_ESCAPE, at);
        }
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                throw new Malformed(Problem.BAD_ESCAPE, i);
            }
            v = v << 4 | d;
        }
        return v;
    }
}
