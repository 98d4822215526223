package tandem.adapters.sqlite;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * The text tandem stores in SQLite for PostgreSQL's date and time types: exactly what PostgreSQL
 * prints (ISO, {@code 2024-01-15 10:30:00.123456}, trailing fraction zeros dropped), which
 * SQLite's own date functions read and which sorts as text in time order.
 *
 * <p>SQLite has no zone-aware type, so a timestamptz is stored as UTC without an offset, the
 * convention of SQLite's {@code CURRENT_TIMESTAMP}; zone-less text read back from a timestamptz
 * column is taken as UTC.
 */
final class StorageFormat {

    private StorageFormat() {
    }

    static String date(LocalDate d) {
        return text(PgType.DATE, d);
    }

    static String time(LocalTime t) {
        return text(PgType.TIME, t);
    }

    static String timestamp(LocalDateTime t) {
        return text(PgType.TIMESTAMP, t);
    }

    static String timestamptz(OffsetDateTime t) {
        if (t.equals(OffsetDateTime.MAX)) {
            return "infinity";
        }
        if (t.equals(OffsetDateTime.MIN)) {
            return "-infinity";
        }
        return timestamp(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }

    static String float8(double d) {
        return text(PgType.FLOAT8, d);
    }

    /** Rounds to {@code digits} fractional-second digits, as timestamp(p) does; -1 keeps microseconds. */
    static LocalDateTime round(LocalDateTime t, int digits) {
        if (digits < 0 || digits >= 6 || t.equals(LocalDateTime.MAX) || t.equals(LocalDateTime.MIN)) {
            return t;
        }
        long unit = (long) Math.pow(10, 9 - digits);
        long nanos = t.getNano();
        long rounded = (nanos + unit / 2) / unit * unit;
        return t.truncatedTo(ChronoUnit.SECONDS).plusNanos(rounded);
    }

    private static String text(PgType type, Object value) {
        return new String(PgValues.encodeText(type, value, PgSessionSettings.DEFAULT), StandardCharsets.UTF_8);
    }
}
