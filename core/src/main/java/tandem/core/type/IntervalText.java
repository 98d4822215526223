package tandem.core.type;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code interval} in IntervalStyle postgres. tandem keeps intervals as the text PostgreSQL prints
 * (it does not parse interval input); what it computes itself is the text of the binary form
 * (int64 microseconds, int32 days, int32 months) and of a {@link Duration}, which has only the
 * microseconds part.
 */
final class IntervalText {

    private IntervalText() {
    }

    static byte[] binary(Duration d) {
        long micros = micros(d);
        return ByteBuffer.allocate(16).putLong(micros).putInt(0).putInt(0).array();
    }

    static long micros(Duration d) {
        try {
            return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), (d.getNano() + 500) / 1000);
        } catch (ArithmeticException e) {
            throw TypeErrors.outOfRange(PgType.INTERVAL, d);
        }
    }

    static String fromBinary(byte[] b) {
        if (b.length != 16) {
            throw TypeErrors.binaryLength(PgType.INTERVAL, 16, b.length);
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        long micros = in.getLong();
        int days = in.getInt();
        int months = in.getInt();
        return text(micros, days, months);
    }

    /** EncodeInterval, INTSTYLE_POSTGRES: "1 year 2 mons -3 days +04:05:06.5". */
    static String text(long micros, int days, int months) {
        StringBuilder out = new StringBuilder(32);
        boolean[] state = {true, false}; // is_zero, is_before
        part(out, months / 12, "year", state);
        part(out, months % 12, "mon", state);
        part(out, days, "day", state);
        long hours = micros / 3_600_000_000L;
        long rest = micros % 3_600_000_000L;
        long minutes = rest / 60_000_000L;
        rest %= 60_000_000L;
        long seconds = rest / 1_000_000L;
        long fraction = rest % 1_000_000L;
        if (state[0] || micros != 0) {
            boolean minus = micros < 0;
            if (!state[0]) {
                out.append(' ');
            }
            out.append(minus ? "-" : state[1] ? "+" : "");
            pad2(out, Math.abs(hours)).append(':');
            pad2(out, Math.abs(minutes)).append(':');
            pad2(out, Math.abs(seconds));
            if (fraction != 0) {
                String f = Long.toString(1_000_000L + Math.abs(fraction)).substring(1);
                int end = f.length();
                while (f.charAt(end - 1) == '0') {
                    end--;
                }
                out.append('.').append(f, 0, end);
            }
        }
        return out.toString();
    }

    /** AddPostgresIntPart: a "+" only on a positive field right after a negative one, as PostgreSQL does. */
    private static void part(StringBuilder out, long value, String unit, boolean[] state) {
        if (value == 0) {
            return;
        }
        if (!state[0]) {
            out.append(' ');
        }
        if (state[1] && value > 0) {
            out.append('+');
        }
        out.append(value).append(' ').append(unit);
        if (value != 1) {
            out.append('s');
        }
        state[1] = value < 0;
        state[0] = false;
    }

    private static StringBuilder pad2(StringBuilder out, long v) {
        if (v < 10) {
            out.append('0');
        }
        return out.append(v);
    }

    static byte[] text(Duration d) {
        return text(micros(d), 0, 0).getBytes(StandardCharsets.US_ASCII);
    }
}
