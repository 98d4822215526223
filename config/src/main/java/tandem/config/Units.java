package tandem.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations and sizes as written in the configuration.
 *
 * <p>A duration is a whole number with a unit: {@code 500ms}, {@code 5s}, {@code 10m} (or
 * {@code 10min}, as PostgreSQL writes it), {@code 1h}; units are case-insensitive. A size is a
 * whole number with one of PostgreSQL's units {@code B}, {@code kB}, {@code MB}, {@code GB}, each
 * 1024 times the one before, also case-insensitive. A bare {@code 0} needs no unit. Any other bare
 * number is an error rather than a guess, because "timeout: 30" means seconds to one reader and
 * milliseconds to the next.
 */
final class Units {

    static final String DURATION_UNITS = "ms, s, m or h";
    static final String SIZE_UNITS = "B, kB, MB or GB";

    private static final Pattern AMOUNT = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");
    private static final long KB = 1024;

    private Units() {
    }

    /** Parses a duration, or throws with a message that goes after the key's path. */
    static Duration parseDuration(String text) {
        Matcher m = AMOUNT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(quote(text) + " is not a duration; write a whole number with "
                    + DURATION_UNITS + " (e.g. 500ms, 5s, 10m, 1h), or 0");
        }
        long amount = amount(text, m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        if (unit.isEmpty()) {
            if (amount == 0) {
                return Duration.ZERO;
            }
            throw new IllegalArgumentException(quote(text) + " has no unit; durations take " + DURATION_UNITS
                    + " (e.g. 500ms, 5s, 10m)");
        }
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException(quote(text) + " has an unknown unit '" + m.group(2)
                        + "'; durations take " + DURATION_UNITS);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(quote(text) + " is too long a duration");
        }
    }

    /** Parses a size in bytes, or throws with a message that goes after the key's path. */
    static long parseSize(String text) {
        Matcher m = AMOUNT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(quote(text) + " is not a size; write a whole number with "
                    + SIZE_UNITS + " (e.g. 64MB), or 0");
        }
        long amount = amount(text, m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        if (unit.isEmpty()) {
            if (amount == 0) {
                return 0;
            }
            throw new IllegalArgumentException(quote(text) + " has no unit; sizes take " + SIZE_UNITS
                    + " (e.g. 64MB)");
        }
        long factor = switch (unit) {
            case "b" -> 1;
            case "kb" -> KB;
            case "mb" -> KB * KB;
            case "gb" -> KB * KB * KB;
            default -> throw new IllegalArgumentException(quote(text) + " has an unknown unit '" + m.group(2)
                    + "'; sizes take " + SIZE_UNITS + " (1kB = 1024B, as in PostgreSQL)");
        };
        try {
            return Math.multiplyExact(amount, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(quote(text) + " is too large a size");
        }
    }

    /** The shortest exact way to write a duration in the configuration's own units. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long ms = d.toMillis();
        if (d.isNegative() || !Duration.ofMillis(ms).equals(d)) {
            return d.toString();
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** The shortest exact way to write a size in the configuration's own units. */
    static String formatSize(long bytes) {
        if (bytes != 0 && bytes % (KB * KB * KB) == 0) {
            return bytes / (KB * KB * KB) + "GB";
        }
        if (bytes != 0 && bytes % (KB * KB) == 0) {
            return bytes / (KB * KB) + "MB";
        }
        if (bytes != 0 && bytes % KB == 0) {
            return bytes / KB + "kB";
        }
        return bytes + "B";
    }

    private static long amount(String text, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quote(text) + " is too large a number");
        }
    }

    static String quote(String text) {
        return "'" + text + "'";
    }
}
