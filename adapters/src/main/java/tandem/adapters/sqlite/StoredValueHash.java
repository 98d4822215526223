package tandem.adapters.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;

import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.mirror.ValueConverter;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;
import tandem.core.verify.PgHash;
import tandem.core.verify.RowFingerprint;

/**
 * One SQLite column's values hashed for {@link RowFingerprint} as the new store's column holds
 * them, read the cheapest way the storage class allows: an integer as a long, a text as the UTF-8
 * bytes SQLite keeps (no String is made), a timestamp in its usual ISO form parsed from those bytes.
 * That shortcut is taken only where converting the value would leave it as it is (same kind of
 * type on both sides, a value of the expected storage class); every other value is read, converted
 * and hashed exactly as the row-by-row comparison converts it, so the two ways agree by construction
 * and a differing hash always means a differing row.
 *
 * <p>Why: verification reads every row of the old store, and a JNI call per column plus a String
 * per text made sqlite-jdbc half of its cost.
 */
final class StoredValueHash {

    private static final byte[] EMPTY = {};
    private static final long NO_TIMESTAMP = Long.MIN_VALUE;

    /** The ways a column's common values are hashed without converting them. */
    private enum Shortcut {
        INTEGER, FLOAT, TEXT, JSONB, TIMESTAMP, NONE
    }

    private final String table;
    private final Column source;
    private final ColumnType declared;
    private final Column target;
    private final Shortcut shortcut;
    private final long lowest;
    private final long highest;

    StoredValueHash(Table table, Column source, Column target) {
        this.table = table.name();
        this.source = source;
        this.declared = TypeNames.declared(source.declaredType());
        this.target = target;
        this.shortcut = declared.basis() == ColumnType.Basis.DECLARED ? shortcut(declared.type(), target.type())
                : Shortcut.NONE;
        this.lowest = Math.max(min(declared.type()), min(target.type()));
        this.highest = Math.min(max(declared.type()), max(target.type()));
    }

    /**
     * SQL that is 1 when the column's value has the storage class the shortcut reads (integer,
     * real or text), 0 otherwise (null included); null when no value of the column is read the
     * short way. One bit per column of each row, read before the values: a JNI call to ask each
     * value's class, or a CASE over every class in SQL, cost about a fifth of the whole comparison.
     */
    String expectedSql(String quotedColumn) {
        return switch (shortcut) {
            case INTEGER -> "typeof(" + quotedColumn + ") = 'integer'";
            case FLOAT -> "typeof(" + quotedColumn + ") = 'real'";
            case TEXT, JSONB, TIMESTAMP -> "typeof(" + quotedColumn + ") = 'text'";
            case NONE -> null;
        };
    }

    /**
     * The hash of the value in column {@code col} of {@code rs}'s current row; {@code expected}
     * when {@link #expectedSql} said its storage class is the one the shortcut reads.
     */
    int hash(ResultSet rs, int col, boolean expected) throws SQLException {
        if (expected) {
            switch (shortcut) {
                case INTEGER -> {
                    long v = rs.getLong(col);
                    if (v >= lowest && v <= highest) {
                        return PgHash.int8(v);
                    }
                }
                case FLOAT -> {
                    return PgHash.float8(rs.getDouble(col));
                }
                case TEXT -> {
                    return PgHash.bytes(text(rs, col));
                }
                case JSONB -> {
                    try {
                        return PgHash.jsonb(text(rs, col));
                    } catch (IllegalArgumentException notJson) {
                        // hashed below as the conversion leaves it, which is how the comparison sees it
                    }
                }
                case TIMESTAMP -> {
                    long micros = timestampMicros(text(rs, col));
                    if (micros != NO_TIMESTAMP) {
                        return RowFingerprint.timestamp(micros);
                    }
                }
                case NONE -> {
                }
            }
        }
        Object stored = SqliteRowReader.value(rs.getObject(col), declared, table, source.name());
        return RowFingerprint.hash(target.type(), ValueConverter.convert(table, source, target, stored));
    }

    /** A text value's UTF-8 bytes as SQLite keeps them (an empty text may come back as no array). */
    private static byte[] text(ResultSet rs, int col) throws SQLException {
        byte[] b = rs.getBytes(col);
        return b == null ? EMPTY : b;
    }

    private static Shortcut shortcut(PgType declared, PgType target) {
        return switch (target) {
            case INT2, INT4, INT8 -> isInteger(declared) ? Shortcut.INTEGER : Shortcut.NONE;
            case FLOAT8 -> declared == PgType.FLOAT8 ? Shortcut.FLOAT : Shortcut.NONE;
            case TEXT, VARCHAR -> isText(declared) ? Shortcut.TEXT : Shortcut.NONE;
            // json keeps its text as written, and the new store hashes that text
            case JSON -> isText(declared) || declared == PgType.JSON || declared == PgType.JSONB ? Shortcut.TEXT
                    : Shortcut.NONE;
            case JSONB -> isText(declared) || declared == PgType.JSON || declared == PgType.JSONB ? Shortcut.JSONB
                    : Shortcut.NONE;
            // a text without an offset is the same instant either way: timestamptz reads it as UTC
            case TIMESTAMP, TIMESTAMPTZ -> declared == PgType.TIMESTAMP || declared == PgType.TIMESTAMPTZ
                    ? Shortcut.TIMESTAMP : Shortcut.NONE;
            default -> Shortcut.NONE;
        };
    }

    private static boolean isInteger(PgType type) {
        return type == PgType.INT2 || type == PgType.INT4 || type == PgType.INT8;
    }

    private static boolean isText(PgType type) {
        return type == PgType.TEXT || type == PgType.VARCHAR;
    }

    private static long min(PgType type) {
        return switch (type) {
            case INT2 -> Short.MIN_VALUE;
            case INT4 -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
    }

    private static long max(PgType type) {
        return switch (type) {
            case INT2 -> Short.MAX_VALUE;
            case INT4 -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    /**
     * Microseconds since 2000-01-01 of a timestamp in its usual ISO form, read from the bytes SQLite
     * keeps by the timestamp input's own fast path ({@link PgValues#plainTimestamp}); {@link
     * #NO_TIMESTAMP} for any other text (an offset, a BC date, 24:00, a leap second...), which is
     * left to the conversion.
     */
    static long timestampMicros(byte[] b) {
        return PgValues.plainTimestamp(new AsciiText(b));
    }

    /** Bytes read as characters, one each: what a parser of ASCII syntax needs, without decoding them. */
    private record AsciiText(byte[] bytes) implements CharSequence {

        @Override
        public int length() {
            return bytes.length;
        }

        @Override
        public char charAt(int index) {
            return (char) (bytes[index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new AsciiText(java.util.Arrays.copyOfRange(bytes, start, end));
        }

        @Override
        public String toString() {
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
