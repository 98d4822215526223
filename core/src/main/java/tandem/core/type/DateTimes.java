package tandem.core.type;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * PostgreSQL's own clock: dates as days and timestamps as microseconds since 2000-01-01, times as
 * microseconds since midnight (24:00:00 included). Java values are turned into these numbers once;
 * the text and binary forms are both written from them, which keeps the two in step.
 *
 * <p>Infinity is {@code LocalDate.MAX}/{@code MIN}, {@code LocalDateTime.MAX}/{@code MIN},
 * {@code OffsetDateTime.MAX}/{@code MIN} or {@code Instant.MAX}/{@code MIN}, as pgjdbc maps it;
 * {@code LocalTime.MAX} is 24:00:00. Nanoseconds round half up to microseconds.
 */
final class DateTimes {

    /** 2000-01-01 as days since 1970-01-01. */
    static final long EPOCH_DAY_2000 = 10957;
    static final long EPOCH_SECOND_2000 = EPOCH_DAY_2000 * 86400;
    static final long MICROS_PER_DAY = 86_400_000_000L;

    static final int DATE_NOBEGIN = Integer.MIN_VALUE;
    static final int DATE_NOEND = Integer.MAX_VALUE;
    static final long TIMESTAMP_NOBEGIN = Long.MIN_VALUE;
    static final long TIMESTAMP_NOEND = Long.MAX_VALUE;

    /** 4714-11-24 BC, Julian day 0, the first day PostgreSQL stores. */
    static final int MIN_DATE = -2451545;
    /** 5874898-01-01, the first day past the last one PostgreSQL stores. */
    static final int END_DATE = 2147483494 - 2451545;
    static final long MIN_TIMESTAMP = -211813488000000000L;
    /** 294277-01-01 00:00:00, the first instant past the last one PostgreSQL stores. */
    static final long END_TIMESTAMP = 9223371331200000000L;

    private DateTimes() {
    }

    // ---- Java values to PostgreSQL numbers

    static int days(LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return DATE_NOEND;
        }
        if (d.equals(LocalDate.MIN)) {
            return DATE_NOBEGIN;
        }
        long days = d.toEpochDay() - EPOCH_DAY_2000;
        if (days < MIN_DATE || days >= END_DATE) {
            throw TypeErrors.datetimeOutOfRange(PgType.DATE, d);
        }
        return (int) days;
    }

    static long micros(LocalTime t) {
        return (t.toNanoOfDay() + 500) / 1000;
    }

    static long micros(LocalDateTime t) {
        if (t.equals(LocalDateTime.MAX)) {
            return TIMESTAMP_NOEND;
        }
        if (t.equals(LocalDateTime.MIN)) {
            return TIMESTAMP_NOBEGIN;
        }
        long days = t.toLocalDate().toEpochDay() - EPOCH_DAY_2000;
        return checkedTimestamp(PgType.TIMESTAMP, days, micros(t.toLocalTime()), t);
    }

    static long micros(Instant t) {
        if (t.equals(Instant.MAX)) {
            return TIMESTAMP_NOEND;
        }
        if (t.equals(Instant.MIN)) {
            return TIMESTAMP_NOBEGIN;
        }
        long days = Math.floorDiv(t.getEpochSecond(), 86400) - EPOCH_DAY_2000;
        long micros = Math.floorMod(t.getEpochSecond(), 86400) * 1_000_000L + (t.getNano() + 500) / 1000;
        return checkedTimestamp(PgType.TIMESTAMPTZ, days, micros, t);
    }

    static long micros(OffsetDateTime t) {
        if (t.equals(OffsetDateTime.MAX)) {
            return TIMESTAMP_NOEND;
        }
        if (t.equals(OffsetDateTime.MIN)) {
            return TIMESTAMP_NOBEGIN;
        }
        return micros(t.toInstant());
    }

    private static long checkedTimestamp(PgType type, long days, long microsOfDay, Object original) {
        // compare in days first so the multiplication cannot overflow
        if (days < MIN_TIMESTAMP / MICROS_PER_DAY - 1 || days > END_TIMESTAMP / MICROS_PER_DAY + 1) {
            throw TypeErrors.datetimeOutOfRange(type, original);
        }
        long micros = days * MICROS_PER_DAY + microsOfDay;
        if (micros < MIN_TIMESTAMP || micros >= END_TIMESTAMP) {
            throw TypeErrors.datetimeOutOfRange(type, original);
        }
        return micros;
    }

    // ---- PostgreSQL numbers to Java values

    static LocalDate toLocalDate(int days) {
        if (days == DATE_NOEND) {
            return LocalDate.MAX;
        }
        if (days == DATE_NOBEGIN) {
            return LocalDate.MIN;
        }
        if (days < MIN_DATE || days >= END_DATE) {
            throw TypeErrors.invalidBinary(PgType.DATE, "date out of range");
        }
        return LocalDate.ofEpochDay(days + EPOCH_DAY_2000);
    }

    static LocalTime toLocalTime(long micros) {
        if (micros < 0 || micros > MICROS_PER_DAY) {
            throw TypeErrors.invalidBinary(PgType.TIME, "time out of range");
        }
        return micros == MICROS_PER_DAY ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
    }

    static LocalDateTime toLocalDateTime(PgType type, long micros) {
        if (micros == TIMESTAMP_NOEND) {
            return LocalDateTime.MAX;
        }
        if (micros == TIMESTAMP_NOBEGIN) {
            return LocalDateTime.MIN;
        }
        if (micros < MIN_TIMESTAMP || micros >= END_TIMESTAMP) {
            throw TypeErrors.invalidBinary(type, "timestamp out of range");
        }
        long days = Math.floorDiv(micros, MICROS_PER_DAY);
        long rest = Math.floorMod(micros, MICROS_PER_DAY);
        return LocalDateTime.of(LocalDate.ofEpochDay(days + EPOCH_DAY_2000), LocalTime.ofNanoOfDay(rest * 1000));
    }

    static OffsetDateTime toOffsetDateTime(long micros) {
        if (micros == TIMESTAMP_NOEND) {
            return OffsetDateTime.MAX;
        }
        if (micros == TIMESTAMP_NOBEGIN) {
            return OffsetDateTime.MIN;
        }
        return toLocalDateTime(PgType.TIMESTAMPTZ, micros).atOffset(ZoneOffset.UTC);
    }

    /** The zone's UTC offset in seconds at a PostgreSQL timestamptz (microseconds since 2000, UTC). */
    static int offsetAt(ZoneId zone, long micros) {
        ZoneRules rules = zone.getRules();
        if (rules.isFixedOffset()) {
            return rules.getOffset(Instant.EPOCH).getTotalSeconds();
        }
        long epochSecond = Math.floorDiv(micros, 1_000_000L) + EPOCH_SECOND_2000;
        return rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    }

    // ---- text output, ISO DateStyle

    private static final byte[] INFINITY = {'i', 'n', 'f', 'i', 'n', 'i', 't', 'y'};
    private static final byte[] NEG_INFINITY = {'-', 'i', 'n', 'f', 'i', 'n', 'i', 't', 'y'};

    static byte[] dateText(int days) {
        if (days == DATE_NOEND || days == DATE_NOBEGIN) {
            return (days == DATE_NOEND ? INFINITY : NEG_INFINITY).clone();
        }
        byte[] buf = new byte[20];
        long civil = civil(days + EPOCH_DAY_2000);
        int p = writeDate(buf, 0, civil);
        p = writeEra(buf, p, civil);
        return java.util.Arrays.copyOf(buf, p);
    }

    static byte[] timeText(long micros) {
        byte[] buf = new byte[15];
        int p = writeTime(buf, 0, micros);
        return java.util.Arrays.copyOf(buf, p);
    }

    static byte[] timestampText(long micros) {
        if (micros == TIMESTAMP_NOEND || micros == TIMESTAMP_NOBEGIN) {
            return (micros == TIMESTAMP_NOEND ? INFINITY : NEG_INFINITY).clone();
        }
        return timestampText(micros, Integer.MIN_VALUE);
    }

    /** With a UTC offset in seconds, or Integer.MIN_VALUE for none. */
    private static byte[] timestampText(long localMicros, int offsetSeconds) {
        byte[] buf = new byte[48];
        long days = Math.floorDiv(localMicros, MICROS_PER_DAY);
        long civil = civil(days + EPOCH_DAY_2000);
        int p = writeDate(buf, 0, civil);
        buf[p++] = ' ';
        p = writeTime(buf, p, Math.floorMod(localMicros, MICROS_PER_DAY));
        if (offsetSeconds != Integer.MIN_VALUE) {
            p = writeOffset(buf, p, offsetSeconds);
        }
        p = writeEra(buf, p, civil);
        return java.util.Arrays.copyOf(buf, p);
    }

    static byte[] timestamptzText(long micros, ZoneId zone) {
        if (micros == TIMESTAMP_NOEND || micros == TIMESTAMP_NOBEGIN) {
            return (micros == TIMESTAMP_NOEND ? INFINITY : NEG_INFINITY).clone();
        }
        int offset = offsetAt(zone, micros);
        return timestampText(micros + offset * 1_000_000L, offset);
    }

    /**
     * Year, month and day of a day count since 1970, packed as year * 10000 + month * 100 + day
     * with an astronomical year (0 is 1 BC). Howard Hinnant's civil_from_days, exact for any long.
     */
    static long civil(long epochDay) {
        long z = epochDay + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        return y * 10000 + m * 100 + d;
    }

    private static int writeDate(byte[] buf, int p, long civil) {
        long year = Math.floorDiv(civil, 10000);
        int md = Math.floorMod(civil, 10000);
        // ISO prints the BC year counted from 1 BC, with " BC" after everything else
        p = Ascii.writePadded(buf, p, year > 0 ? year : 1 - year, 4);
        buf[p++] = '-';
        p = Ascii.writePadded(buf, p, md / 100, 2);
        buf[p++] = '-';
        return Ascii.writePadded(buf, p, md % 100, 2);
    }

    private static int writeEra(byte[] buf, int p, long civil) {
        if (Math.floorDiv(civil, 10000) <= 0) {
            buf[p++] = ' ';
            buf[p++] = 'B';
            buf[p++] = 'C';
        }
        return p;
    }

    /** HH:MM:SS, then the fraction with its trailing zeros dropped: .5, .123456. */
    private static int writeTime(byte[] buf, int p, long micros) {
        long seconds = micros / 1_000_000L;
        int fraction = (int) (micros % 1_000_000L);
        p = Ascii.writePadded(buf, p, seconds / 3600, 2);
        buf[p++] = ':';
        p = Ascii.writePadded(buf, p, seconds / 60 % 60, 2);
        buf[p++] = ':';
        p = Ascii.writePadded(buf, p, seconds % 60, 2);
        if (fraction != 0) {
            buf[p++] = '.';
            int width = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                width--;
            }
            p = Ascii.writePadded(buf, p, fraction, width);
        }
        return p;
    }

    /** +HH, +HH:MM or +HH:MM:SS, as EncodeTimezone prints it: minutes and seconds only when not zero. */
    static int writeOffset(byte[] buf, int p, int offsetSeconds) {
        buf[p++] = (byte) (offsetSeconds >= 0 ? '+' : '-');
        int abs = Math.abs(offsetSeconds);
        int hours = abs / 3600;
        int minutes = abs / 60 % 60;
        int seconds = abs % 60;
        p = Ascii.writePadded(buf, p, hours, 2);
        if (minutes != 0 || seconds != 0) {
            buf[p++] = ':';
            p = Ascii.writePadded(buf, p, minutes, 2);
        }
        if (seconds != 0) {
            buf[p++] = ':';
            p = Ascii.writePadded(buf, p, seconds, 2);
        }
        return p;
    }
}
