package tandem.adapters.sqlite;

import java.util.Locale;

import tandem.core.type.PgType;

/**
 * Maps SQLite declared column types ({@code sqlite3_column_decltype}) to PostgreSQL types.
 *
 * <p>Names PostgreSQL also uses map to that type; anything else follows SQLite's own affinity
 * rules (a name containing INT is an integer, CHAR, CLOB or TEXT is text, BLOB is bytes, REAL,
 * FLOA or DOUB is a float), and a name with NUMERIC affinity that says nothing more is typed by
 * its values. Every SQLite integer is 64-bit, so INTEGER and INT report int8, not PostgreSQL's
 * 32-bit integer: clients read the same digits either way, and no stored value overflows.
 */
final class TypeNames {

    private TypeNames() {
    }

    static ColumnType declared(String decltype) {
        if (decltype == null || decltype.isBlank()) {
            return ColumnType.UNKNOWN;
        }
        String d = decltype.strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        int paren = d.indexOf('(');
        String base = (paren < 0 ? d : d.substring(0, paren)).strip();
        int[] args = paren < 0 ? new int[0] : args(d.substring(paren));
        // a modifier may also sit between words: TIMESTAMP(3) WITH TIME ZONE
        if (paren >= 0 && d.indexOf(')') + 1 < d.length()) {
            base = (base + " " + d.substring(d.indexOf(')') + 1).strip()).strip();
        }
        switch (base) {
            case "BOOLEAN", "BOOL":
                return ColumnType.declared(PgType.BOOL, -1);
            case "SMALLINT", "INT2":
                return ColumnType.declared(PgType.INT2, -1);
            case "INT4": // PostgreSQL's integer, as tandem declares it (a bare INTEGER or INT is SQLite's 64-bit one)
                return ColumnType.declared(PgType.INT4, -1);
            case "FLOAT4": // PostgreSQL's real, as tandem declares it (a bare REAL is SQLite's 8-byte one)
                return ColumnType.declared(PgType.FLOAT4, -1);
            case "NUMERIC", "DECIMAL":
                int scale = args.length >= 2 ? args[1] : args.length == 1 ? 0 : -1;
                return ColumnType.declared(PgType.NUMERIC, scale);
            case "PG_OID": // the catalogs' own types (SqliteCatalogs)
                return ColumnType.declared(PgType.OID, -1);
            case "PG_NAME":
                return ColumnType.declared(PgType.NAME, -1);
            case "PG_CHAR":
                return ColumnType.declared(PgType.CHAR, -1);
            case "BPCHAR": // PostgreSQL's character(n), as tandem declares it: padded to n on output
                return ColumnType.declared(PgType.BPCHAR, args.length == 1 ? args[0] : -1);
            case "VARCHAR", "CHARACTER VARYING", "VARYING CHARACTER", "NVARCHAR", "NATIVE CHARACTER":
                return ColumnType.declared(PgType.VARCHAR, -1);
            case "BYTEA":
                return ColumnType.declared(PgType.BYTEA, -1);
            case "DATE":
                return ColumnType.declared(PgType.DATE, -1);
            case "DATETIME", "TIMESTAMP", "TIMESTAMP WITHOUT TIME ZONE":
                return ColumnType.declared(PgType.TIMESTAMP, -1);
            case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
                return ColumnType.declared(PgType.TIMESTAMPTZ, -1);
            case "TIME", "TIME WITHOUT TIME ZONE":
                return ColumnType.declared(PgType.TIME, -1);
            case "UUID":
                return ColumnType.declared(PgType.UUID, -1);
            case "JSON":
                return ColumnType.declared(PgType.JSON, -1);
            case "JSONB":
                return ColumnType.declared(PgType.JSONB, -1);
            case "INTERVAL":
                return ColumnType.declared(PgType.INTERVAL, -1);
            default:
                break;
        }
        // SQLite's affinity rules, in SQLite's order (https://sqlite.org/datatype3.html#determination_of_column_affinity)
        if (base.contains("INT")) {
            return ColumnType.declared(PgType.INT8, -1);
        }
        if (base.contains("CHAR") || base.contains("CLOB") || base.contains("TEXT")) {
            return ColumnType.declared(PgType.TEXT, -1);
        }
        if (base.contains("BLOB")) {
            return ColumnType.declared(PgType.BYTEA, -1);
        }
        if (base.contains("REAL") || base.contains("FLOA") || base.contains("DOUB")) {
            return ColumnType.declared(PgType.FLOAT8, -1);
        }
        return ColumnType.UNKNOWN;
    }

    /**
     * The cast PostgreSQL would apply to a string literal (or a text parameter) that meets a column
     * of this declared type, when SQLite would otherwise keep the text as written: booleans,
     * uuids, dates and times, bytea, json and numbers. Null for text columns and undeclared ones.
     */
    static CastTarget coercion(String decltype) {
        ColumnType type = declared(decltype);
        if (type.basis() != ColumnType.Basis.DECLARED) {
            return null;
        }
        return switch (type.type()) {
            case BOOL, UUID, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, BYTEA, JSON, JSONB, INT2, INT4, INT8, FLOAT4, FLOAT8 ->
                    new CastTarget(type.type(), -1, -1);
            case NUMERIC -> {
                int paren = decltype.indexOf('(');
                int[] args = paren < 0 ? new int[0] : args(decltype.substring(paren));
                yield new CastTarget(PgType.NUMERIC, args.length > 0 ? args[0] : -1, type.scale());
            }
            default -> null;
        };
    }

    private static int[] args(String parenthesized) {
        int close = parenthesized.indexOf(')');
        String inside = parenthesized.substring(1, close < 0 ? parenthesized.length() : close);
        String[] parts = inside.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                return new int[0];
            }
        }
        return out;
    }
}
