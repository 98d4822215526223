package tandem.core.type;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * The session settings that change how values read and print as text. A session keeps one of these
 * and replaces it on {@code SET}; the codecs take it as a plain argument so they stay stateless.
 * DateStyle and IntervalStyle are not components because tandem speaks one of each (ISO, MDY and
 * postgres): {@link #with} refuses the others rather than print dates a client would misread.
 *
 * @param timeZone         {@code TimeZone}: timestamptz prints in it, and zone-less timestamptz input is read in it
 * @param extraFloatDigits {@code extra_float_digits}, -15..3: above 0 floats print their shortest exact
 *                         digits (the default, 1); at 0 or below, 15 (real: 6) plus this many digits, rounded
 * @param byteaOutput      {@code bytea_output}
 */
public record PgSessionSettings(ZoneId timeZone, int extraFloatDigits, ByteaOutput byteaOutput) {

    /** The only DateStyle tandem speaks; clients it serves (pgjdbc, libpq, node-postgres) all expect it. */
    public static final String DATE_STYLE = "ISO, MDY";
    /** The only IntervalStyle tandem speaks. */
    public static final String INTERVAL_STYLE = "postgres";

    /** PostgreSQL's defaults, with the server's zone taken as UTC. */
    public static final PgSessionSettings DEFAULT = new PgSessionSettings(ZoneOffset.UTC, 1, ByteaOutput.HEX);

    public enum ByteaOutput {
        HEX, ESCAPE
    }

    public PgSessionSettings {
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(byteaOutput, "byteaOutput");
        if (extraFloatDigits < -15 || extraFloatDigits > 3) {
            throw outsideRange("extra_float_digits", extraFloatDigits, "-15 .. 3");
        }
    }

    /** {@code DateStyle}: always {@value #DATE_STYLE}; {@link #with} refuses any other. */
    public String dateStyle() {
        return DATE_STYLE;
    }

    /** {@code IntervalStyle}: always {@value #INTERVAL_STYLE}; {@link #with} refuses any other. */
    public String intervalStyle() {
        return INTERVAL_STYLE;
    }

    public PgSessionSettings withTimeZone(ZoneId zone) {
        return new PgSessionSettings(zone, extraFloatDigits, byteaOutput);
    }

    public PgSessionSettings withExtraFloatDigits(int digits) {
        return new PgSessionSettings(timeZone, digits, byteaOutput);
    }

    public PgSessionSettings withByteaOutput(ByteaOutput output) {
        return new PgSessionSettings(timeZone, extraFloatDigits, output);
    }

    /** Whether {@link #with} reads this parameter; names are case-insensitive as in PostgreSQL. */
    public static boolean tracks(String parameter) {
        return switch (parameter.toLowerCase(Locale.ROOT)) {
            case "timezone", "datestyle", "extra_float_digits", "bytea_output", "intervalstyle" -> true;
            default -> false;
        };
    }

    /**
     * These settings after {@code SET parameter = value} (or a startup parameter). Parameters that
     * do not change how values print are returned unchanged. A DateStyle other than ISO with MDY
     * order, or an IntervalStyle other than postgres, is refused: tandem would print it wrong.
     */
    public PgSessionSettings with(String parameter, String value) {
        String v = Ascii.trim(value);
        return switch (parameter.toLowerCase(Locale.ROOT)) {
            case "timezone" -> withTimeZone(TimeZones.parseSetting(v));
            case "datestyle" -> {
                checkDateStyle(v);
                yield this;
            }
            case "extra_float_digits" -> {
                int digits;
                try {
                    digits = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE,
                            "invalid value for parameter \"extra_float_digits\": \"" + value + "\"", null,
                            "Use an integer from -15 to 3.");
                }
                yield withExtraFloatDigits(digits);
            }
            case "bytea_output" -> switch (v.toLowerCase(Locale.ROOT)) {
                case "hex" -> withByteaOutput(ByteaOutput.HEX);
                case "escape" -> withByteaOutput(ByteaOutput.ESCAPE);
                default -> throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE,
                        "invalid value for parameter \"bytea_output\": \"" + value + "\"", null,
                        "Available values: escape, hex.");
            };
            case "intervalstyle" -> {
                if (!v.equalsIgnoreCase(INTERVAL_STYLE)) {
                    throw unsupported("IntervalStyle", value, "Use IntervalStyle postgres.");
                }
                yield this;
            }
            default -> this;
        };
    }

    /** The value as {@code SHOW} and ParameterStatus report it. */
    public String show(String parameter) {
        return switch (parameter.toLowerCase(Locale.ROOT)) {
            case "timezone" -> timeZone.getId();
            case "datestyle" -> DATE_STYLE;
            case "extra_float_digits" -> Integer.toString(extraFloatDigits);
            case "bytea_output" -> byteaOutput.name().toLowerCase(Locale.ROOT);
            case "intervalstyle" -> INTERVAL_STYLE;
            default -> throw new IllegalArgumentException("not a setting tandem tracks: " + parameter);
        };
    }

    /**
     * DateStyle is an output style and a field order, each optional: "ISO, MDY", "iso", "MDY" and
     * "US" all leave tandem's ISO, MDY in place; anything else would change what clients read.
     */
    private static void checkDateStyle(String value) {
        for (String token : value.split("[,\\s]+")) {
            switch (token.toLowerCase(Locale.ROOT)) {
                case "iso", "mdy", "us", "noneuro", "noneuropean", "default", "" -> {
                }
                default -> throw unsupported("DateStyle", value, "tandem speaks DateStyle ISO, MDY only.");
            }
        }
    }

    private static ProxyException unsupported(String parameter, String value, String hint) {
        return new ProxyException(SqlState.FEATURE_NOT_SUPPORTED,
                parameter + " \"" + value + "\" is not supported by tandem", null, hint);
    }

    private static ProxyException outsideRange(String parameter, int value, String range) {
        return new ProxyException(SqlState.INVALID_PARAMETER_VALUE,
                value + " is outside the valid range for parameter \"" + parameter + "\" (" + range + ")");
    }
}
