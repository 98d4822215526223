package tandem.core.schema;

import java.util.List;

import tandem.core.type.PgType;

/**
 * Whether a column of one PostgreSQL type holds every value of another exactly: the question the
 * compare mode asks of each column the new store already has. Wider is fine (bigint holds
 * integer, text holds varchar(20), numeric holds bigint); a narrower type or another kind of type
 * refuses or changes values. Two pairs count as holding by meaning, as tandem's mirror converts
 * them: json and jsonb, and timestamp and timestamptz (a zone-less time is UTC).
 */
final class TypeWidth {

    private static final List<PgType> TEXTS = List.of(PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR);
    private static final List<PgType> INTEGERS = List.of(PgType.INT2, PgType.INT4, PgType.INT8);
    /** Decimal digits before the point each integer type may need. */
    private static final int[] INTEGER_DIGITS = {5, 10, 19};

    private TypeWidth() {
    }

    /** Null when {@code existing} holds every value of {@code wanted}, else why not. */
    static String why(PostgresTypeName existing, PostgresTypeName wanted) {
        if (existing.sql().equalsIgnoreCase(wanted.sql())) {
            return null;
        }
        PgType from = wanted.valueType();
        PgType to = existing.valueType();
        if (from == null || to == null) {
            return "a different type";
        }
        boolean holds = switch (from) {
            case INT2, INT4, INT8 -> INTEGERS.contains(to) && INTEGERS.indexOf(to) >= INTEGERS.indexOf(from)
                    || to == PgType.NUMERIC && (existing.modifier() < 0
                            || existing.modifier() - existing.scale() >= INTEGER_DIGITS[INTEGERS.indexOf(from)]);
            case NUMERIC -> to == PgType.NUMERIC && (existing.modifier() < 0 || wanted.modifier() >= 0
                    && existing.scale() >= wanted.scale()
                    && existing.modifier() - existing.scale() >= wanted.modifier() - wanted.scale());
            case FLOAT4 -> to == PgType.FLOAT8;
            case VARCHAR, BPCHAR -> to == PgType.TEXT || to == PgType.VARCHAR
                    && (existing.modifier() < 0 || existing.modifier() >= wanted.modifier() && wanted.modifier() >= 0);
            case TEXT -> to == PgType.VARCHAR && existing.modifier() < 0;
            case JSON, JSONB -> to == PgType.JSON || to == PgType.JSONB;
            case TIMESTAMP, TIMESTAMPTZ -> (to == PgType.TIMESTAMP || to == PgType.TIMESTAMPTZ)
                    && precise(existing, wanted);
            case DATE -> to == PgType.TIMESTAMP || to == PgType.TIMESTAMPTZ;
            case TIME -> to == PgType.TIME && precise(existing, wanted);
            default -> false;
        };
        if (holds) {
            return null;
        }
        boolean sameKind = from == to || INTEGERS.contains(from) && INTEGERS.contains(to)
                || (from == PgType.FLOAT4 || from == PgType.FLOAT8) && (to == PgType.FLOAT4 || to == PgType.FLOAT8)
                || TEXTS.contains(from) && TEXTS.contains(to);
        return sameKind ? "narrower: not every value fits" : "another kind of type: values would be refused or changed";
    }

    /** Fractional seconds: no modifier means microseconds (6). */
    private static boolean precise(PostgresTypeName existing, PostgresTypeName wanted) {
        return existing.modifier() < 0 || existing.modifier() >= (wanted.modifier() < 0 ? 6 : wanted.modifier());
    }
}
