package tandem.core.schema;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tandem.core.type.PgType;

/**
 * A PostgreSQL column type as {@code format_type} spells it ({@code character varying(255)},
 * {@code timestamp with time zone}, {@code numeric(10,2)}), read from any of its common spellings
 * ({@code varchar(255)}, {@code timestamptz}, {@code decimal(10, 2)}) so that an override in the
 * config, a generated type and an introspected one compare as equals.
 *
 * @param sql the {@code format_type} spelling
 * @param valueType the type in tandem's value model, or null for a type tandem does not map
 * @param modifier the length of a character type or the precision of a numeric, or -1 for none
 * @param scale the scale of a numeric, or -1
 */
public record PostgresTypeName(String sql, PgType valueType, int modifier, int scale) {

    private static final Pattern SHAPE = Pattern.compile(
            "([a-z][a-z0-9_ ]*?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*(with time zone|without time zone)?");

    /**
     * Reads a type's spelling.
     *
     * @throws IllegalArgumentException when the text is no type tandem's value model carries
     */
    public static PostgresTypeName parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replace("\"", "");
        Matcher m = SHAPE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a PostgreSQL type name tandem knows");
        }
        String base = m.group(1).strip();
        int first = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        int second = m.group(3) == null ? -1 : Integer.parseInt(m.group(3));
        String zone = m.group(4);
        if (zone != null) {
            base = base + " " + zone;
        }
        return switch (base) {
            case "bigint", "int8" -> plain("bigint", PgType.INT8, first);
            case "integer", "int", "int4" -> plain("integer", PgType.INT4, first);
            case "smallint", "int2" -> plain("smallint", PgType.INT2, first);
            case "boolean", "bool" -> plain("boolean", PgType.BOOL, first);
            case "text" -> plain("text", PgType.TEXT, first);
            case "bytea" -> plain("bytea", PgType.BYTEA, first);
            case "double precision", "float8" -> plain("double precision", PgType.FLOAT8, first);
            case "float" -> first < 0 || first > 24 ? new PostgresTypeName("double precision", PgType.FLOAT8, -1, -1)
                    : new PostgresTypeName("real", PgType.FLOAT4, -1, -1);
            case "real", "float4" -> plain("real", PgType.FLOAT4, first);
            case "json" -> plain("json", PgType.JSON, first);
            case "jsonb" -> plain("jsonb", PgType.JSONB, first);
            case "uuid" -> plain("uuid", PgType.UUID, first);
            case "date" -> plain("date", PgType.DATE, first);
            case "interval" -> plain("interval", PgType.INTERVAL, first);
            case "character varying", "varchar" -> first < 0 ? new PostgresTypeName("character varying", PgType.VARCHAR,
                    -1, -1) : new PostgresTypeName("character varying(" + first + ")", PgType.VARCHAR, first, -1);
            case "character", "char", "bpchar" -> new PostgresTypeName("character(" + Math.max(first, 1) + ")",
                    PgType.BPCHAR, Math.max(first, 1), -1);
            case "numeric", "decimal" -> first < 0 ? new PostgresTypeName("numeric", PgType.NUMERIC, -1, -1)
                    : new PostgresTypeName("numeric(" + first + "," + Math.max(second, 0) + ")", PgType.NUMERIC, first,
                            Math.max(second, 0));
            case "timestamptz", "timestamp with time zone" -> timed("timestamp", " with time zone", PgType.TIMESTAMPTZ,
                    first);
            case "timestamp", "timestamp without time zone" -> timed("timestamp", " without time zone",
                    PgType.TIMESTAMP, first);
            case "time", "time without time zone" -> timed("time", " without time zone", PgType.TIME, first);
            default -> throw new IllegalArgumentException("'" + text + "' is not a type tandem copies values into "
                    + "(it knows bigint, integer, smallint, boolean, text, varchar(n), char(n), bytea, double precision, "
                    + "real, numeric(p,s), json, jsonb, uuid, date, time, timestamp, timestamptz, interval)");
        };
    }

    /** Reads an introspected type; a type tandem does not map keeps its spelling, with no value type. */
    public static PostgresTypeName introspected(String formatted) {
        try {
            return parse(formatted);
        } catch (IllegalArgumentException e) {
            return new PostgresTypeName(formatted, null, -1, -1);
        }
    }

    private static PostgresTypeName plain(String sql, PgType type, int modifier) {
        if (modifier >= 0) {
            throw new IllegalArgumentException(sql + " takes no modifier");
        }
        return new PostgresTypeName(sql, type, -1, -1);
    }

    private static PostgresTypeName timed(String base, String zone, PgType type, int precision) {
        return new PostgresTypeName(base + (precision >= 0 ? "(" + precision + ")" : "") + zone, type, precision, -1);
    }

    @Override
    public String toString() {
        return sql;
    }
}
