package tandem.core.type;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Locale;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * Reads date, time and timestamp text the way clients send it, under DateStyle ISO, MDY:
 * {@code 2024-01-15}, {@code 01/15/2024}, {@code 20240115}; a time after a space or {@code T}
 * ({@code 10:30}, {@code 10:30:00.123456}); a zone ({@code Z}, {@code +05}, {@code +0530},
 * {@code -03:00}, {@code UTC}, {@code Europe/Paris}); {@code BC}/{@code AD}; and {@code infinity},
 * {@code -infinity}, {@code epoch}. As in PostgreSQL, a timestamp without time zone ignores a
 * zone it is given, a fraction past microseconds is rounded, and a timestamptz without a zone is in
 * the session's zone, where a local time skipped by a DST change takes the offset before the
 * change and a repeated one the offset after it.
 *
 * <p>Not read: month names, Julian days, {@code now}/{@code today} and the other words PostgreSQL
 * evaluates against its clock, and time zone abbreviations other than tz database names.
 */
final class DateTimeParser {

    private static final int NONE = 0;
    private static final int INFINITY = 1;
    private static final int NEG_INFINITY = -1;
    private static final int EPOCH = 2;

    private final PgType type;
    private final String input;
    private final String s;
    private int pos;

    private int special = NONE;
    private boolean hasDate;
    private long year;
    private int month;
    private int day;
    private boolean hasTime;
    private long timeMicros;
    private boolean hasZone;
    private int offsetSeconds;
    private ZoneId zone;
    private boolean bc;

    private DateTimeParser(PgType type, String input) {
        this.type = type;
        this.input = input;
        this.s = Ascii.trim(input);
    }

    /** Days since 2000-01-01, or DATE_NOEND/DATE_NOBEGIN. */
    static int date(String input) {
        DateTimeParser p = new DateTimeParser(PgType.DATE, input).parse();
        if (p.special != NONE) {
            return p.special == INFINITY ? DateTimes.DATE_NOEND
                    : p.special == NEG_INFINITY ? DateTimes.DATE_NOBEGIN : (int) -DateTimes.EPOCH_DAY_2000;
        }
        if (!p.hasDate) {
            throw TypeErrors.invalidDatetime(p.type, input);
        }
        long days = p.days();
        if (days < DateTimes.MIN_DATE || days >= DateTimes.END_DATE) {
            throw TypeErrors.datetimeOutOfRange(PgType.DATE, input);
        }
        return (int) days;
    }

    /** Microseconds since midnight, 24:00:00 included. */
    static long time(String input) {
        DateTimeParser p = new DateTimeParser(PgType.TIME, input).parse();
        if (p.special != NONE || !p.hasTime) {
            throw TypeErrors.invalidDatetime(p.type, input);
        }
        if (p.timeMicros > DateTimes.MICROS_PER_DAY) {
            throw p.fieldOutOfRange();
        }
        return p.timeMicros;
    }

    /** Microseconds since 2000-01-01 00:00, any zone in the input ignored. */
    static long timestamp(String input) {
        long plain = plainTimestamp(input);
        if (plain != NOT_PLAIN) {
            return plain;
        }
        DateTimeParser p = new DateTimeParser(PgType.TIMESTAMP, input).parse();
        if (p.special != NONE) {
            return p.specialTimestamp();
        }
        if (!p.hasDate) {
            throw TypeErrors.invalidDatetime(p.type, input);
        }
        return p.checkRange(p.localMicros());
    }

    static final long NOT_PLAIN = Long.MIN_VALUE;

    /**
     * {@code yyyy-mm-dd hh:mm:ss} (or with a T), up to six fraction digits: the form nearly every
     * stored timestamp has, read without the general parser (a third of a verification's reading
     * went into it); anything else, or a field out of its range, is left to the parser.
     */
    static long plainTimestamp(CharSequence s) {
        int n = s.length();
        if (n < 19 || n == 20 || n > 26 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(10) != ' ' && s.charAt(10) != 'T' || n > 19 && s.charAt(19) != '.') {
            return NOT_PLAIN;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int micros = n > 19 ? digits(s, 20, n) : 0;
        if ((year | month | day | hour | minute | second | micros) < 0 || year == 0 || month < 1 || month > 12
                || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
            return NOT_PLAIN;
        }
        for (int i = n; i < 26; i++) {
            micros *= 10;
        }
        long days = epochDay(year, month, day) - DateTimes.EPOCH_DAY_2000;
        return days * DateTimes.MICROS_PER_DAY + ((hour * 60L + minute) * 60 + second) * 1_000_000L + micros;
    }

    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private static int daysInMonth(int year, int month) {
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        return month == 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
    }

    /**
     * Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil), the same
     * number {@code LocalDate.toEpochDay} gives without making a LocalDate per value.
     */
    static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    /** The decimal number in s[from, to), or -1 when a character is no digit. */
    private static int digits(CharSequence s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Microseconds since 2000-01-01 00:00 UTC. */
    static long timestamptz(String input, ZoneId sessionZone) {
        DateTimeParser p = new DateTimeParser(PgType.TIMESTAMPTZ, input).parse();
        if (p.special != NONE) {
            return p.specialTimestamp();
        }
        if (!p.hasDate) {
            throw TypeErrors.invalidDatetime(p.type, input);
        }
        long local = p.localMicros();
        int offset;
        if (p.hasZone && p.zone == null) {
            offset = p.offsetSeconds;
        } else {
            offset = offsetOfLocal(p.zone != null ? p.zone : sessionZone, local);
        }
        return p.checkRange(local - offset * 1_000_000L);
    }

    /**
     * The offset a zone gives a local time, as PostgreSQL's DetermineTimeZoneOffset picks it: in a
     * gap the offset before the change, in an overlap the one after (standard time, usually).
     */
    static int offsetOfLocal(ZoneId zone, long localMicros) {
        ZoneRules rules = zone.getRules();
        if (rules.isFixedOffset()) {
            return rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds();
        }
        LocalDateTime local = LocalDateTime.ofEpochSecond(
                Math.floorDiv(localMicros, 1_000_000L) + DateTimes.EPOCH_SECOND_2000, 0, ZoneOffset.UTC);
        var valid = rules.getValidOffsets(local);
        if (valid.size() == 1) {
            return valid.get(0).getTotalSeconds();
        }
        ZoneOffsetTransition t = rules.getTransition(local);
        return valid.isEmpty() ? t.getOffsetBefore().getTotalSeconds() : t.getOffsetAfter().getTotalSeconds();
    }

    private long specialTimestamp() {
        return special == INFINITY ? DateTimes.TIMESTAMP_NOEND
                : special == NEG_INFINITY ? DateTimes.TIMESTAMP_NOBEGIN
                : -DateTimes.EPOCH_DAY_2000 * DateTimes.MICROS_PER_DAY;
    }

    private long days() {
        long astronomical = bc ? 1 - year : year;
        // days from civil (Hinnant), then rebased on 2000-01-01
        long y = month <= 2 ? astronomical - 1 : astronomical;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long mp = (month + 9) % 12;
        long doy = (153 * mp + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468 - DateTimes.EPOCH_DAY_2000;
    }

    private long localMicros() {
        long days = days();
        if (days < DateTimes.MIN_DATE - 1 || days >= DateTimes.END_TIMESTAMP / DateTimes.MICROS_PER_DAY + 1) {
            throw TypeErrors.datetimeOutOfRange(type, input);
        }
        return days * DateTimes.MICROS_PER_DAY + timeMicros;
    }

    private long checkRange(long micros) {
        if (micros < DateTimes.MIN_TIMESTAMP || micros >= DateTimes.END_TIMESTAMP) {
            throw TypeErrors.datetimeOutOfRange(type, input);
        }
        return micros;
    }

    // ---- the scanner

    private DateTimeParser parse() {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "infinity", "+infinity" -> special = INFINITY;
            case "-infinity" -> special = NEG_INFINITY;
            case "epoch" -> special = EPOCH;
            case "now", "today", "tomorrow", "yesterday", "allballs" -> throw new ProxyException(
                    SqlState.FEATURE_NOT_SUPPORTED, "tandem does not read \"" + s + "\" as a " + type.sqlName(),
                    null, "Send the value itself, or use the SQL functions now() or current_date.");
            default -> scan();
        }
        return this;
    }

    private void scan() {
        if (pos < s.length() && Ascii.isDigit(s.charAt(pos))) {
            int start = pos;
            long first = number();
            int firstLength = pos - start;
            if (peek() == ':') {
                pos = start;
                time();
            } else {
                date(first, firstLength);
                if ((peek() == 'T' || peek() == 't') && Ascii.isDigit(peekAt(pos + 1))) {
                    pos++;
                    time();
                } else {
                    int save = pos;
                    skipSpaces();
                    if (pos > save && Ascii.isDigit(peek())) {
                        time();
                    } else {
                        pos = save;
                    }
                }
            }
        } else {
            throw syntax();
        }
        while (pos < s.length()) {
            skipSpaces();
            char c = peek();
            if ((c == '+' || c == '-') && !hasZone) {
                numericZone();
            } else if (Character.isLetter(c)) {
                word();
            } else {
                throw syntax();
            }
        }
        if (hasDate) {
            validateDate();
        }
    }

    private void date(long first, int firstLength) {
        char sep = peek();
        long y;
        long m;
        long d;
        int yearLength;
        if (sep == '-' || sep == '/' || sep == '.') {
            pos++;
            long second = number();
            if (peek() != sep) {
                throw syntax();
            }
            pos++;
            int start = pos;
            long third = number();
            if (firstLength >= 3) {
                y = first;
                m = second;
                d = third;
                yearLength = firstLength;
            } else {
                // DateStyle MDY
                m = first;
                d = second;
                y = third;
                yearLength = pos - start;
            }
        } else if (firstLength == 8) {
            y = first / 10000;
            m = first / 100 % 100;
            d = first % 100;
            yearLength = 4;
        } else {
            throw syntax();
        }
        if (yearLength <= 2) {
            // two-digit years as PostgreSQL reads them: 70..99 are 19xx, the rest 20xx
            y += y < 70 ? 2000 : 1900;
        }
        if (y > 10_000_000 || m > 12 || d > 31) {
            throw fieldOutOfRange();
        }
        year = y;
        month = (int) m;
        day = (int) d;
        hasDate = true;
    }

    private void time() {
        int start = pos;
        long h = number();
        if (pos - start > 2 || peek() != ':') {
            throw syntax();
        }
        pos++;
        start = pos;
        long m = number();
        if (pos - start != 2) {
            throw syntax();
        }
        long sec = 0;
        long fraction = 0;
        if (peek() == ':') {
            pos++;
            start = pos;
            sec = number();
            if (pos - start != 2) {
                throw syntax();
            }
            if (peek() == '.') {
                int from = pos;
                pos++;
                while (Ascii.isDigit(peek())) {
                    pos++;
                }
                // as DecodeTime does it: strtod of ".ddd", times 10^6, rint
                if (pos > from + 1) {
                    fraction = (long) Math.rint(Double.parseDouble(s.substring(from, pos)) * 1_000_000);
                }
            }
        }
        if (h > 24 || m > 59 || sec > 60) {
            throw fieldOutOfRange();
        }
        timeMicros = ((h * 60 + m) * 60 + sec) * 1_000_000L + fraction;
        if (h == 24 && timeMicros > DateTimes.MICROS_PER_DAY) {
            throw fieldOutOfRange();
        }
        hasTime = true;
    }

    private void numericZone() {
        boolean negative = s.charAt(pos) == '-';
        pos++;
        int start = pos;
        long first = number();
        int length = pos - start;
        long h;
        long m = 0;
        long sec = 0;
        if (peek() == ':') {
            if (length > 2) {
                throw syntax();
            }
            h = first;
            pos++;
            m = twoDigits();
            if (peek() == ':') {
                pos++;
                sec = twoDigits();
            }
        } else if (length <= 2) {
            h = first;
        } else if (length == 4) {
            h = first / 100;
            m = first % 100;
        } else if (length == 6) {
            h = first / 10000;
            m = first / 100 % 100;
            sec = first % 100;
        } else {
            throw syntax();
        }
        if (h > 15 || m > 59 || sec > 59) {
            throw new ProxyException(SqlState.INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                    "time zone displacement out of range: \"" + input + "\"");
        }
        int total = (int) (h * 3600 + m * 60 + sec);
        offsetSeconds = negative ? -total : total;
        hasZone = true;
    }

    private void word() {
        int start = pos;
        while (pos < s.length() && !Ascii.isSpace(s.charAt(pos))) {
            pos++;
        }
        String w = s.substring(start, pos);
        String lower = w.toLowerCase(Locale.ROOT);
        if ((lower.equals("bc") || lower.equals("ad")) && hasDate) {
            bc = lower.equals("bc");
            return;
        }
        if (hasZone) {
            throw syntax();
        }
        if (lower.equals("z") || lower.equals("zulu")) {
            offsetSeconds = 0;
            hasZone = true;
            return;
        }
        ZoneId named = TimeZones.byName(w);
        if (named == null) {
            // "UTC+3" and the like are not zone names; a zone name glued to the time is not allowed either
            throw syntax();
        }
        if (named instanceof ZoneOffset fixed) {
            offsetSeconds = fixed.getTotalSeconds();
        } else {
            zone = named;
        }
        hasZone = true;
    }

    private void validateDate() {
        if (year == 0) {
            throw fieldOutOfRange();
        }
        long astronomical = bc ? 1 - year : year;
        boolean leap = Math.floorMod(astronomical, 4) == 0
                && (Math.floorMod(astronomical, 100) != 0 || Math.floorMod(astronomical, 400) == 0);
        int[] lengths = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (month < 1 || day < 1 || day > lengths[month - 1]) {
            throw fieldOutOfRange();
        }
    }

    private long number() {
        int start = pos;
        long v = 0;
        while (pos < s.length() && Ascii.isDigit(s.charAt(pos))) {
            if (pos - start >= 15) {
                throw fieldOutOfRange();
            }
            v = v * 10 + (s.charAt(pos) - '0');
            pos++;
        }
        if (pos == start) {
            throw syntax();
        }
        return v;
    }

    private long twoDigits() {
        int start = pos;
        long v = number();
        if (pos - start != 2) {
            throw syntax();
        }
        return v;
    }

    private void skipSpaces() {
        while (pos < s.length() && Ascii.isSpace(s.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        return peekAt(pos);
    }

    private char peekAt(int at) {
        return at < s.length() ? s.charAt(at) : '\0';
    }

    private ProxyException syntax() {
        return TypeErrors.invalidDatetime(type, input);
    }

    private ProxyException fieldOutOfRange() {
        return new ProxyException(SqlState.DATETIME_FIELD_OVERFLOW,
                "date/time field value out of range: \"" + input + "\"");
    }
}
