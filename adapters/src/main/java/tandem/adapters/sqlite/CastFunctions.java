package tandem.adapters.sqlite;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.UUID;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * PostgreSQL's casts over SQLite values, behind the {@code tandem_*} cast functions. A value comes
 * in as SQLite holds it (Long, Double, String, byte[] or null) and goes out as tandem stores the
 * target type: integers as Long, floats as Double, booleans as 0/1, dates and times as
 * {@link StorageFormat} text, uuids as lower-case text, bytea as bytes.
 *
 * <p>Input is read by the same codecs that read client parameters ({@link PgValues}), so a cast
 * accepts exactly what PostgreSQL's input function accepts and fails with PostgreSQL's message.
 */
final class CastFunctions {

    private static final MathContext FLOAT8_DIGITS = new MathContext(15);

    private CastFunctions() {
    }

    static Object toInteger(Object v, int bits) {
        PgType type = bits == 16 ? PgType.INT2 : bits == 32 ? PgType.INT4 : PgType.INT8;
        return switch (v) {
            case null -> null;
            case Long l -> inRange(l, bits);
            case Double d -> {
                if (d.isNaN() || d.isInfinite() || Math.abs(d) >= 0x1p63) {
                    throw outOfRange(bits);
                }
                // SQLite keeps numeric literals and NUMERIC columns as REAL, and PostgreSQL rounds numeric
                // half away from zero; float8 columns round half to even there, a difference tandem accepts
                yield inRange((long) (Math.signum(d) * Math.floor(Math.abs(d) + 0.5)), bits);
            }
            case String s -> ((Number) PgValues.decodeText(type, s, PgSessionSettings.DEFAULT)).longValue();
            default -> throw cannotCast(v, type);
        };
    }

    static Object toFloat(Object v, int bytes) {
        return switch (v) {
            case null -> null;
            case Long l -> bytes == 4 ? (double) (float) l : (double) l;
            case Double d -> bytes == 4 ? (double) (float) (double) d : d;
            case String s -> {
                double d = bytes == 4 ? ((Float) PgValues.decodeText(PgType.FLOAT4, s, PgSessionSettings.DEFAULT))
                        : (Double) PgValues.decodeText(PgType.FLOAT8, s, PgSessionSettings.DEFAULT);
                yield Double.isNaN(d) ? "NaN" : d; // SQLite turns a NaN REAL into NULL; text keeps it
            }
            default -> throw cannotCast(v, bytes == 4 ? PgType.FLOAT4 : PgType.FLOAT8);
        };
    }

    /**
     * numeric(precision, scale), -1 for either when not given. The result is stored as an integer or
     * a REAL when that holds the value exactly (so it compares as a number in SQLite), else as text.
     */
    static Object toNumeric(Object v, int precision, int scale) {
        BigDecimal d;
        switch (v) {
            case null -> {
                return null;
            }
            case Long l -> d = BigDecimal.valueOf(l);
            case Double x -> {
                if (x.isNaN() || x.isInfinite()) {
                    return x.isNaN() ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
                }
                // float8 to numeric keeps 15 significant digits, as PostgreSQL's float8_numeric
                d = new BigDecimal(x).round(FLOAT8_DIGITS).stripTrailingZeros();
                if (d.scale() < 0) {
                    d = d.setScale(0);
                }
            }
            case String s -> {
                Object parsed = PgValues.decodeText(PgType.NUMERIC, s, PgSessionSettings.DEFAULT);
                if (!(parsed instanceof BigDecimal b)) {
                    return s.strip(); // NaN, Infinity
                }
                d = b;
            }
            default -> throw cannotCast(v, PgType.NUMERIC);
        }
        d = withTypmod(d, precision, scale);
        return storable(d);
    }

    static BigDecimal withTypmod(BigDecimal d, int precision, int scale) {
        if (scale >= 0) {
            d = d.setScale(scale, RoundingMode.HALF_UP);
        }
        if (precision > 0) {
            int integerDigits = d.precision() - d.scale();
            if (d.signum() != 0 && integerDigits > precision - Math.max(scale, 0)) {
                throw new ProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow",
                        "A field with precision " + precision + ", scale " + Math.max(scale, 0)
                                + " must round to an absolute value less than 10^" + (precision - Math.max(scale, 0))
                                + ".", null);
            }
        }
        return d;
    }

    private static Object storable(BigDecimal d) {
        if (d.scale() <= 0) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException tooBig) {
                return d.toPlainString();
            }
        }
        double x = d.doubleValue();
        if (!Double.isInfinite(x) && BigDecimal.valueOf(x).compareTo(d) == 0) {
            return x;
        }
        return d.toPlainString();
    }

    /** text, varchar(n) (truncates to n characters) and char(n) (truncates and pads with spaces). */
    static Object toText(Object v, int length, boolean pad) {
        String s = switch (v) {
            case null -> null;
            case Long l -> Long.toString(l);
            case Double d -> StorageFormat.float8(d);
            case String str -> str;
            case byte[] b -> "\\x" + HexFormat.of().formatHex(b);
            default -> String.valueOf(v);
        };
        if (s == null || length < 0) {
            return s;
        }
        int chars = s.codePointCount(0, s.length());
        if (chars > length) {
            s = s.substring(0, s.offsetByCodePoints(0, length));
        } else if (pad && chars < length) {
            s = s + " ".repeat(length - chars);
        }
        return s;
    }

    static Object toBoolean(Object v) {
        return switch (v) {
            case null -> null;
            case Long l -> l != 0 ? 1L : 0L;
            case String s -> (Boolean) PgValues.decodeText(PgType.BOOL, s, PgSessionSettings.DEFAULT) ? 1L : 0L;
            default -> throw cannotCast(v, PgType.BOOL);
        };
    }

    static Object toDate(Object v) {
        if (v instanceof String s) {
            return StorageFormat.date((LocalDate) PgValues.decodeText(PgType.DATE, s, PgSessionSettings.DEFAULT));
        }
        return nullOrCannotCast(v, PgType.DATE);
    }

    static Object toTime(Object v) {
        if (v instanceof String s) {
            return StorageFormat.time((LocalTime) PgValues.decodeText(PgType.TIME, s, PgSessionSettings.DEFAULT));
        }
        return nullOrCannotCast(v, PgType.TIME);
    }

    static Object toTimestamp(Object v, int precision) {
        if (v instanceof String s) {
            LocalDateTime t = (LocalDateTime) PgValues.decodeText(PgType.TIMESTAMP, s, PgSessionSettings.DEFAULT);
            return StorageFormat.timestamp(StorageFormat.round(t, precision));
        }
        return nullOrCannotCast(v, PgType.TIMESTAMP);
    }

    /** Zone-less text is read in the session's zone, as PostgreSQL reads it; the result is UTC text. */
    static Object toTimestamptz(Object v, int precision, PgSessionSettings session) {
        if (v instanceof String s) {
            OffsetDateTime t = (OffsetDateTime) PgValues.decodeText(PgType.TIMESTAMPTZ, s, session);
            String utc = StorageFormat.timestamptz(t);
            if (precision >= 0 && !utc.endsWith("infinity")) {
                return StorageFormat.timestamp(StorageFormat.round(
                        (LocalDateTime) PgValues.decodeText(PgType.TIMESTAMP, utc, PgSessionSettings.DEFAULT), precision));
            }
            return utc;
        }
        return nullOrCannotCast(v, PgType.TIMESTAMPTZ);
    }

    static Object toUuid(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> ((UUID) PgValues.decodeText(PgType.UUID, s, PgSessionSettings.DEFAULT)).toString();
            case byte[] b when b.length == 16 -> {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
                yield new UUID(buf.getLong(), buf.getLong()).toString();
            }
            default -> throw cannotCast(v, PgType.UUID);
        };
    }

    static Object toJson(Object v, PgType type) {
        if (v instanceof String s) {
            if (!JsonSyntax.isValid(s)) {
                throw new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                        "invalid input syntax for type " + type.sqlName(), "Token \"" + abbreviate(s) + "\" is invalid.",
                        null);
            }
            return s;
        }
        return nullOrCannotCast(v, type);
    }

    static Object toBytea(Object v) {
        return switch (v) {
            case null -> null;
            case byte[] b -> b;
            case String s -> PgValues.decodeText(PgType.BYTEA, s.getBytes(StandardCharsets.UTF_8), PgSessionSettings.DEFAULT);
            default -> throw cannotCast(v, PgType.BYTEA);
        };
    }

    /** The PostgreSQL type a SQLite value of this storage class stands for, for error messages. */
    static String storageTypeName(Object v) {
        return switch (v) {
            case Long l -> "bigint";
            case Integer i -> "bigint";
            case Double d -> "double precision";
            case byte[] b -> "bytea";
            default -> "text";
        };
    }

    private static Object nullOrCannotCast(Object v, PgType type) {
        if (v == null) {
            return null;
        }
        throw cannotCast(v, type);
    }

    private static ProxyException cannotCast(Object v, PgType type) {
        return new ProxyException(SqlState.CANNOT_COERCE, "cannot cast type " + storageTypeName(v) + " to "
                + type.sqlName(), null, v instanceof Number && (type == PgType.TIMESTAMP || type == PgType.TIMESTAMPTZ
                        || type == PgType.DATE) ? "if the number is a unix time, convert it with SQLite's "
                        + "datetime(x, 'unixepoch')" : null);
    }

    private static long inRange(long l, int bits) {
        long min = bits == 16 ? Short.MIN_VALUE : bits == 32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = bits == 16 ? Short.MAX_VALUE : bits == 32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (l < min || l > max) {
            throw outOfRange(bits);
        }
        return l;
    }

    private static ProxyException outOfRange(int bits) {
        return new ProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                (bits == 16 ? "smallint" : bits == 32 ? "integer" : "bigint") + " out of range");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
