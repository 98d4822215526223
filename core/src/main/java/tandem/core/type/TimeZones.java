package tandem.core.type;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/** Time zone names as PostgreSQL reads them: tz database names in any case, and numeric offsets. */
final class TimeZones {

    /** "UTC+3", "<+0530>-05:30", "+05:30": an optional abbreviation, then hours west of UTC. */
    private static final Pattern POSIX_WITHOUT_DST = Pattern.compile(
            "(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)?([+-]?)([0-9]{1,2})(?::([0-9]{2}))?(?::([0-9]{2}))?");

    /** A plain number: hours east of UTC, as PostgreSQL reads SET TimeZone = 5.5. */
    private static final Pattern HOURS = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)");

    private TimeZones() {
    }

    private static final class ByLowerCaseName {
        // PostgreSQL matches zone names case-insensitively ('utc', 'america/new_york')
        static final Map<String, ZoneId> ZONES = new HashMap<>();

        static {
            for (String id : ZoneId.getAvailableZoneIds()) {
                ZONES.put(id.toLowerCase(Locale.ROOT), ZoneId.of(id));
            }
            ZONES.putIfAbsent("utc", ZoneOffset.UTC);
            ZONES.putIfAbsent("gmt", ZoneId.of("GMT"));
        }
    }

    /** The zone a tz database name (any case) names, or null. */
    static ZoneId byName(String name) {
        return ByLowerCaseName.ZONES.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * A value for {@code SET TimeZone}: a tz database name; a plain number of hours east of UTC
     * ({@code 5.5}); or a POSIX zone without daylight rules, whose sign counts hours <em>west</em>
     * of UTC ({@code UTC+3} and {@code +05:30} both mean behind UTC, as in PostgreSQL).
     */
    static ZoneId parseSetting(String value) {
        String v = Ascii.trim(value);
        ZoneId named = byName(v);
        if (named != null) {
            return named;
        }
        if (HOURS.matcher(v).matches()) {
            return offset((int) Math.round(Double.parseDouble(v) * 3600), value);
        }
        var posix = POSIX_WITHOUT_DST.matcher(v);
        if (posix.matches()) {
            int seconds = Integer.parseInt(posix.group(2)) * 3600
                    + (posix.group(3) == null ? 0 : Integer.parseInt(posix.group(3)) * 60)
                    + (posix.group(4) == null ? 0 : Integer.parseInt(posix.group(4)));
            boolean west = !posix.group(1).equals("-");
            return offset(west ? -seconds : seconds, value);
        }
        throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"TimeZone\": \"" + value + "\"", null,
                "Use a time zone name such as 'UTC' or 'Europe/Berlin'.");
    }

    private static ZoneOffset offset(int seconds, String value) {
        if (Math.abs(seconds) > 18 * 3600) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE,
                    "invalid value for parameter \"TimeZone\": \"" + value + "\"", "UTC offset out of range", null);
        }
        return ZoneOffset.ofTotalSeconds(seconds);
    }
}
