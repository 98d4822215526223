package tandem.core.type;

import java.nio.charset.StandardCharsets;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/** The errors the codecs raise, worded as PostgreSQL words them so clients see familiar messages. */
final class TypeErrors {

    private TypeErrors() {
    }

    /** {@code invalid input syntax for type integer: "abc"} (22P02). */
    static ProxyException invalidText(PgType type, CharSequence input) {
        return new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type " + type.sqlName() + ": \"" + input + "\"");
    }

    static ProxyException invalidText(PgType type, byte[] input) {
        return invalidText(type, new String(input, StandardCharsets.UTF_8));
    }

    /** {@code invalid input syntax for type date: "x"} (22007): datetime syntax has its own code. */
    static ProxyException invalidDatetime(PgType type, CharSequence input) {
        return new ProxyException(SqlState.INVALID_DATETIME_FORMAT,
                "invalid input syntax for type " + type.sqlName() + ": \"" + input + "\"");
    }

    /** {@code value "99999999999" is out of range for type integer} (22003). */
    static ProxyException outOfRange(PgType type, Object value) {
        return new ProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                "value \"" + value + "\" is out of range for type " + type.sqlName());
    }

    /** {@code date out of range: "..."} and the like (22008). */
    static ProxyException datetimeOutOfRange(PgType type, Object value) {
        String what = switch (type) {
            case DATE -> "date";
            case TIME -> "time";
            default -> "timestamp";
        };
        return new ProxyException(SqlState.DATETIME_FIELD_OVERFLOW, what + " out of range: \"" + value + "\"");
    }

    /** A Java value of a class the type cannot take (42804). */
    static ProxyException mismatch(PgType type, Object value) {
        return new ProxyException(SqlState.DATATYPE_MISMATCH,
                "cannot encode a " + value.getClass().getSimpleName() + " as type " + type.sqlName(),
                "value: " + abbreviate(String.valueOf(value)), null);
    }

    /** A Java value of the right class whose value the type cannot hold exactly (42804). */
    static ProxyException notRepresentable(PgType type, Object value, String why) {
        return new ProxyException(SqlState.DATATYPE_MISMATCH,
                "cannot encode " + abbreviate(String.valueOf(value)) + " as type " + type.sqlName() + ": " + why);
    }

    /** Binary input of the wrong shape (22P03). */
    static ProxyException invalidBinary(PgType type, String detail) {
        return new ProxyException(SqlState.INVALID_BINARY_REPRESENTATION,
                "incorrect binary data format for type " + type.sqlName(), detail, null);
    }

    static ProxyException binaryLength(PgType type, int expected, int actual) {
        return invalidBinary(type, "expected " + expected + " bytes, got " + actual);
    }

    static ProxyException badEncoding(String detail) {
        return new ProxyException(SqlState.CHARACTER_NOT_IN_REPERTOIRE,
                "invalid byte sequence for encoding \"UTF8\"", detail, null);
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
