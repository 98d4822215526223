package tandem.adapters.sqlite;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * Turns a value as SQLite returns it (Long, Double, String, byte[] or null) into the Java value
 * {@link PgValues} expects for the column's PostgreSQL type.
 *
 * <p>SQLite keeps any value in any column, so a column declared INTEGER may hold {@code 'abc'} and
 * one declared TIMESTAMP may hold a unix time. Such a value is an error that names the table, the
 * column and the value: a client must never receive a silently different value.
 */
final class StoredValues {

    /** Zone-less timestamptz text in SQLite is UTC (the CURRENT_TIMESTAMP convention). */
    private static final PgSessionSettings UTC = PgSessionSettings.DEFAULT.with("timezone", "UTC");

    private StoredValues() {
    }

    /** Whether values can be served as {@code type} (the types {@link #convert} knows). */
    static boolean converts(PgType type) {
        return switch (type) {
            case BOOL, INT2, INT4, INT8, FLOAT4, FLOAT8, NUMERIC, TEXT, VARCHAR, BPCHAR, NAME, JSON, JSONB, BYTEA, UUID,
                    DATE, TIME, TIMESTAMP, TIMESTAMPTZ -> true;
            default -> false;
        };
    }

    /**
     * @param table the table the column comes from, or null for an expression
     * @param column the result column's name
     */
    static Object convert(Object raw, ColumnType column, String table, String name) {
        if (raw == null) {
            return null;
        }
        Object v = raw instanceof Integer i ? Long.valueOf(i) : raw;
        try {
            return switch (column.type()) {
                case BOOL -> bool(v);
                case INT2, INT4, INT8 -> integer(v, column.type());
                case FLOAT4, FLOAT8 -> floating(v, column.type());
                case NUMERIC -> numeric(v, column.scale());
                case BPCHAR -> padded(text(v, column.type()), column.scale());
                case TEXT, VARCHAR, NAME, UNKNOWN, INTERVAL, CHAR -> text(v, column.type());
                case OID -> integer(v, PgType.INT8); // the catalogs' (SqliteCatalogs)
                case JSON, JSONB -> json(v, column.type());
                case BYTEA -> bytea(v);
                case UUID -> uuid(v);
                case DATE, TIME, TIMESTAMP -> datetime(v, column.type(), PgSessionSettings.DEFAULT);
                case TIMESTAMPTZ -> datetime(v, column.type(), UTC);
                default -> throw new IllegalStateException("no conversion to " + column.type());
            };
        } catch (ProxyException e) {
            throw located(e, v, column, table, name);
        }
    }

    /** character(n) as PostgreSQL keeps it: padded with blanks to its length (a ColumnType's scale holds n). */
    private static Object padded(Object text, int length) {
        if (!(text instanceof String s) || length <= 0) {
            return text;
        }
        int chars = s.codePointCount(0, s.length());
        return chars >= length ? s : s + " ".repeat(length - chars);
    }

    private static Object bool(Object v) {
        return switch (v) {
            case Long l when l == 0 || l == 1 -> l == 1;
            case Double d when d == 0.0 || d == 1.0 -> d == 1.0;
            case String s -> PgValues.decodeText(PgType.BOOL, s, PgSessionSettings.DEFAULT);
            default -> throw invalid(PgType.BOOL, v);
        };
    }

    private static Object integer(Object v, PgType type) {
        long l = switch (v) {
            case Long x -> x;
            case Double d when d == Math.rint(d) && Math.abs(d) < 0x1p63 -> d.longValue();
            case String s -> ((Number) PgValues.decodeText(type, s, PgSessionSettings.DEFAULT)).longValue();
            default -> throw invalid(type, v);
        };
        return switch (type) {
            case INT2 -> {
                if (l < Short.MIN_VALUE || l > Short.MAX_VALUE) {
                    throw outOfRange(type, l);
                }
                yield (short) l;
            }
            case INT4 -> {
                if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                    throw outOfRange(type, l);
                }
                yield (int) l;
            }
            default -> l;
        };
    }

    private static Object floating(Object v, PgType type) {
        double d = switch (v) {
            case Long l -> l;
            case Double x -> x;
            case String s -> ((Number) PgValues.decodeText(type, s, PgSessionSettings.DEFAULT)).doubleValue();
            default -> throw invalid(type, v);
        };
        return type == PgType.FLOAT4 ? (Object) (float) d : (Object) d;
    }

    private static Object numeric(Object v, int scale) {
        BigDecimal d;
        switch (v) {
            case Long l -> d = BigDecimal.valueOf(l);
            case Double x -> {
                if (x.isInfinite()) {
                    return x;
                }
                d = BigDecimal.valueOf(x); // the shortest decimal that reads back as this double
            }
            case String s -> {
                Object parsed = PgValues.decodeText(PgType.NUMERIC, s, PgSessionSettings.DEFAULT);
                if (!(parsed instanceof BigDecimal b)) {
                    return parsed;
                }
                d = b;
            }
            default -> throw invalid(PgType.NUMERIC, v);
        }
        if (scale >= 0) {
            d = d.setScale(scale, RoundingMode.HALF_UP);
        } else if (d.scale() < 0) {
            d = d.setScale(0);
        }
        return d;
    }

    private static Object text(Object v, PgType type) {
        return switch (v) {
            case String s -> s;
            case Long l -> Long.toString(l);
            case Double d -> StorageFormat.float8(d);
            case byte[] b -> utf8(b, type);
            default -> throw invalid(type, v);
        };
    }

    private static Object json(Object v, PgType type) {
        return switch (v) {
            case String s -> s;
            case Long l -> Long.toString(l);
            case Double d -> StorageFormat.float8(d);
            default -> throw new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type " + type.sqlName() + ": a BLOB", null,
                    "the column may hold SQLite's binary JSONB; select json(column) to read it as text");
        };
    }

    private static Object bytea(Object v) {
        return switch (v) {
            case byte[] b -> b;
            case String s -> s.getBytes(StandardCharsets.UTF_8); // SQLite converts text to a blob the same way
            default -> throw invalid(PgType.BYTEA, v);
        };
    }

    private static Object uuid(Object v) {
        return switch (v) {
            case String s -> PgValues.decodeText(PgType.UUID, s, PgSessionSettings.DEFAULT);
            case byte[] b when b.length == 16 -> {
                ByteBuffer buf = ByteBuffer.wrap(b);
                yield new UUID(buf.getLong(), buf.getLong());
            }
            default -> throw invalid(PgType.UUID, v);
        };
    }

    private static Object datetime(Object v, PgType type, PgSessionSettings settings) {
        if (v instanceof String s) {
            return PgValues.decodeText(type, s, settings);
        }
        throw new ProxyException(SqlState.INVALID_DATETIME_FORMAT, "invalid input syntax for type " + type.sqlName()
                + ": " + describe(v), null, v instanceof Number
                        ? "SQLite apps often keep unix times in number columns: declare such a column INTEGER, or "
                                + "store text like 2024-01-15 10:30:00 (UPDATE t SET c = datetime(c, 'unixepoch'))"
                        : null);
    }

    private static String utf8(byte[] b, PgType type) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new ProxyException(SqlState.CHARACTER_NOT_IN_REPERTOIRE, "invalid byte sequence for encoding \"UTF8\" "
                    + "in a " + type.sqlName() + " value");
        }
    }

    private static ProxyException invalid(PgType type, Object v) {
        SqlState state = switch (type) {
            case DATE, TIME, TIMESTAMP, TIMESTAMPTZ -> SqlState.INVALID_DATETIME_FORMAT;
            default -> SqlState.INVALID_TEXT_REPRESENTATION;
        };
        return new ProxyException(state, "invalid input syntax for type " + type.sqlName() + ": " + describe(v));
    }

    private static ProxyException outOfRange(PgType type, long value) {
        return new ProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value \"" + value
                + "\" is out of range for type " + type.sqlName());
    }

    /** Adds where the value sits, and why it cannot be served, to a conversion error. */
    private static ProxyException located(ProxyException e, Object v, ColumnType column, String table, String name) {
        String where = table == null || table.isEmpty() ? "in result column \"" + name + "\""
                : "in column \"" + name + "\" of table \"" + table + "\"";
        String detail;
        String hint;
        if (column.basis() == ColumnType.Basis.DECLARED) {
            detail = "SQLite keeps any value in any column; this " + storageClass(v) + " value does not fit the column's "
                    + "declared type (" + column.type().sqlName() + "), and tandem does not guess.";
            hint = e.hint() != null ? e.hint() : "correct the row in SQLite, or cast the column in the query ("
                    + name + "::text)";
        } else if (column.basis() == ColumnType.Basis.UNKNOWN) {
            detail = "the column has no declared type, so its first row's value typed it as " + column.type().sqlName()
                    + "; this row holds a " + storageClass(v) + " value";
            hint = "cast the expression so every row has one type, e.g. (...)::text or (...)::float8";
        } else {
            detail = e.detail();
            hint = e.hint();
        }
        return new ProxyException(e.state(), e.getMessage() + " " + where, detail, hint, false, e);
    }

    private static String describe(Object v) {
        return switch (v) {
            case byte[] b -> "a BLOB of " + b.length + " bytes";
            case String s -> "\"" + (s.length() <= 64 ? s : s.substring(0, 61) + "...") + "\"";
            default -> "\"" + v + "\"";
        };
    }

    private static String storageClass(Object v) {
        return switch (v) {
            case Long l -> "INTEGER";
            case Double d -> "REAL";
            case byte[] b -> "BLOB";
            default -> "TEXT";
        };
    }
}
