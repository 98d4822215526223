package tandem.adapters.sqlite;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * Division and remainder with PostgreSQL's meaning, behind {@code tandem_divide} and
 * {@code tandem_modulo}: a zero divisor is an error (SQLite answers NULL), integers divide
 * truncating toward zero (as both databases do), and {@code 5.5 % 2} is 1.5 (SQLite truncates both
 * operands to integers first). NULL in gives NULL out, before the divisor is looked at, as
 * PostgreSQL's strict operators do ({@code NULL / 0} is NULL).
 */
final class Arithmetic {

    private Arithmetic() {
    }

    static Object divide(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        Number x = number(a);
        Number y = number(b);
        if (x instanceof Long l && y instanceof Long m) {
            if (m == 0) {
                throw divisionByZero();
            }
            if (l == Long.MIN_VALUE && m == -1) {
                throw new ProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range");
            }
            return l / m;
        }
        if (y.doubleValue() == 0.0) {
            throw divisionByZero();
        }
        return x.doubleValue() / y.doubleValue();
    }

    static Object modulo(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        Number x = number(a);
        Number y = number(b);
        if (x instanceof Long l && y instanceof Long m) {
            if (m == 0) {
                throw divisionByZero();
            }
            return m == -1 ? 0L : l % m;
        }
        if (y.doubleValue() == 0.0) {
            throw divisionByZero();
        }
        return x.doubleValue() % y.doubleValue();
    }

    /** A SQLite value as a number: text must read as one entirely, as PostgreSQL's input functions demand. */
    private static Number number(Object v) {
        return switch (v) {
            case Long l -> l;
            case Double d -> d;
            case String s -> {
                String t = s.strip();
                try {
                    yield Long.parseLong(t);
                } catch (NumberFormatException notAnInteger) {
                    try {
                        yield Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        throw new ProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                                "invalid input syntax for type numeric: \"" + s + "\"");
                    }
                }
            }
            default -> throw new ProxyException(SqlState.UNDEFINED_FUNCTION, "operator does not exist: bytea / bytea");
        };
    }

    private static ProxyException divisionByZero() {
        return new ProxyException(SqlState.DIVISION_BY_ZERO, "division by zero");
    }
}
