package tandem.adapters.sqlite;

import tandem.core.type.PgType;

/**
 * A result column's PostgreSQL type as tandem decides it for a SQLite column, which has at most a
 * declared type and otherwise only the storage class of each value.
 *
 * @param type the type RowDescription reports and values are converted to
 * @param scale the numeric scale a declaration or cast gives ({@code NUMERIC(10,2)}), or -1
 * @param basis where the type comes from, which decides how strictly values are held to it
 */
record ColumnType(PgType type, int scale, Basis basis) {

    enum Basis {
        /** The column's declared type in its table: a stored value that does not fit is an error. */
        DECLARED,
        /** A cast or a tandem function made the values, so they fit by construction. */
        EXPRESSION,
        /** A guess from the expression's shape (a comparison is boolean), dropped if the first value disagrees. */
        GUESSED,
        /** Nothing known before a value is seen: the first value's storage class decides. */
        UNKNOWN
    }

    /** Reported as text until a value says otherwise. */
    static final ColumnType UNKNOWN = new ColumnType(PgType.TEXT, -1, Basis.UNKNOWN);

    static ColumnType declared(PgType type, int scale) {
        return new ColumnType(type, scale, Basis.DECLARED);
    }

    static ColumnType expression(PgType type, int scale) {
        return new ColumnType(type, scale, Basis.EXPRESSION);
    }

    static ColumnType expression(PgType type) {
        return new ColumnType(type, -1, Basis.EXPRESSION);
    }

    static ColumnType guessed(PgType type) {
        return new ColumnType(type, -1, Basis.GUESSED);
    }

    /** Whether the first value decides (or may overrule) the type. */
    boolean decidedByValue() {
        return basis == Basis.UNKNOWN || basis == Basis.GUESSED;
    }

    /**
     * The type a value's storage class implies: INTEGER int8 (SQLite integers are 64-bit), REAL
     * float8, TEXT text, BLOB bytea, NULL text. A boolean guess survives a value of 0 or 1.
     */
    ColumnType settle(Object value) {
        if (basis == Basis.GUESSED) {
            if (value == null || (value instanceof Number n && !(value instanceof Double)
                    && (n.longValue() == 0 || n.longValue() == 1))) {
                return new ColumnType(type, scale, Basis.EXPRESSION);
            }
        } else if (basis != Basis.UNKNOWN) {
            return this;
        }
        PgType byValue = switch (value) {
            case null -> PgType.TEXT;
            case Integer i -> PgType.INT8;
            case Long l -> PgType.INT8;
            case Double d -> PgType.FLOAT8;
            case byte[] b -> PgType.BYTEA;
            default -> PgType.TEXT;
        };
        return new ColumnType(byValue, -1, Basis.UNKNOWN);
    }
}
