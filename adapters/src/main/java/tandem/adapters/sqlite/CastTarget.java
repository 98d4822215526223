package tandem.adapters.sqlite;

import java.util.List;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;
import tandem.core.type.PgType;

/**
 * The type a PostgreSQL cast ({@code x::type}, {@code CAST(x AS type)}, {@code type 'literal'})
 * converts to, and the tandem function that performs the conversion on SQLite.
 *
 * <p>SQLite's own CAST cannot stand in: {@code CAST('abc' AS INTEGER)} is 0 where PostgreSQL
 * fails, {@code CAST('true' AS BOOLEAN)} is 0, and {@code CAST('2024-01-15 10:30' AS TIMESTAMP)}
 * is 2024. Each cast therefore calls a function registered on every connection
 * ({@link SqliteFunctions}) that reads the value the way the PostgreSQL type's input function
 * does, fails with PostgreSQL's error where PostgreSQL would, and returns what tandem stores for
 * that type.
 *
 * @param type the PostgreSQL type, which also types a result column that is exactly this cast
 * @param modifier the length of varchar(n) and char(n), the precision of numeric(p,s) and
 *     timestamp(p); -1 if none
 * @param scale the scale of numeric(p,s); -1 if none
 */
record CastTarget(PgType type, int modifier, int scale) {

    /** A parsed type name and the index of the token after it. */
    record Parsed(CastTarget target, int end) {
    }

    /** The SQLite expression that casts {@code operand} (already SQLite text) to this type. */
    String function() {
        return switch (type) {
            case INT2, INT4, INT8 -> "tandem_int";
            case FLOAT4, FLOAT8 -> "tandem_float";
            case NUMERIC -> "tandem_numeric";
            case TEXT, VARCHAR, BPCHAR -> "tandem_text";
            case BOOL -> "tandem_bool";
            case DATE -> "tandem_date";
            case TIME -> "tandem_time";
            case TIMESTAMP -> "tandem_timestamp";
            case TIMESTAMPTZ -> "tandem_timestamptz";
            case UUID -> "tandem_uuid";
            case JSON, JSONB -> "tandem_json";
            case BYTEA -> "tandem_bytea";
            default -> throw new IllegalStateException("no cast function for " + type);
        };
    }

    /** What follows the operand inside the function's parentheses, starting with a comma or empty. */
    String extraArguments() {
        return switch (type) {
            case INT2 -> ", 16";
            case INT4 -> ", 32";
            case INT8 -> ", 64";
            case FLOAT4 -> ", 4";
            case FLOAT8 -> ", 8";
            case NUMERIC -> ", " + modifier + ", " + scale;
            case TEXT -> ", -1, 0";
            case VARCHAR -> ", " + modifier + ", 0";
            case BPCHAR -> ", " + modifier + ", 1";
            case TIMESTAMP, TIMESTAMPTZ -> ", " + modifier;
            default -> "";
        };
    }

    /** The result column type of an expression that is exactly this cast. */
    ColumnType columnType() {
        return ColumnType.expression(type == PgType.BPCHAR ? PgType.BPCHAR : type, type == PgType.NUMERIC ? scale : -1);
    }

    /**
     * Reads a type name starting at token {@code from}: {@code int}, {@code pg_catalog.int4},
     * {@code double precision}, {@code character varying(20)}, {@code numeric(10,2)},
     * {@code timestamp(3) with time zone}. Types SQLite cannot hold faithfully are refused.
     */
    static Parsed parse(List<Token> tokens, int from, String sql) {
        int j = from;
        Token first = at(tokens, j);
        if (first == null || !first.type().isName()) {
            throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near \""
                    + (first == null ? "end of input" : first.raw(sql)) + "\"", null, "a type name must follow ::");
        }
        if (first.text().equals("pg_catalog") && isType(tokens, j + 1, TokenType.DOT)) {
            j += 2;
        }
        Token name = at(tokens, j);
        if (name == null || !name.type().isName()) {
            throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at end of input");
        }
        String word = name.type() == TokenType.QUOTED_IDENTIFIER ? "\"" + name.text() + "\"" : name.text();
        j++;
        String written = word;
        if (word.equals("double") && isKeyword(tokens, j, "precision")) {
            written = "double precision";
            j++;
        } else if ((word.equals("character") || word.equals("char") || word.equals("national"))
                && isKeyword(tokens, j, "varying")) {
            written = "character varying";
            j++;
        } else if (word.equals("bit") && isKeyword(tokens, j, "varying")) {
            written = "bit varying";
            j++;
        }
        int[] args = new int[0];
        if (isType(tokens, j, TokenType.LEFT_PAREN)) {
            int close = j + 1;
            java.util.List<Integer> values = new java.util.ArrayList<>();
            while (close < tokens.size() && tokens.get(close).type() != TokenType.RIGHT_PAREN) {
                Token t = tokens.get(close);
                if (t.type() == TokenType.NUMBER) {
                    values.add(Integer.parseInt(t.raw(sql)));
                } else if (t.type() != TokenType.COMMA) {
                    throw unsupported(written + "(" + t.raw(sql) + ")", "give the type modifier as a number");
                }
                close++;
            }
            args = values.stream().mapToInt(Integer::intValue).toArray();
            j = close + 1;
        }
        if ((written.equals("timestamp") || written.equals("time"))
                && (isKeyword(tokens, j, "with") || isKeyword(tokens, j, "without"))
                && isKeyword(tokens, j + 1, "time") && isKeyword(tokens, j + 2, "zone")) {
            written = written + (isKeyword(tokens, j, "with") ? "tz" : "");
            j += 3;
        }
        if (isType(tokens, j, TokenType.LEFT_BRACKET) || isKeyword(tokens, j, "array")) {
            throw Refusals.arrays(written + "[]");
        }
        return new Parsed(target(written, args), j);
    }

    private static CastTarget target(String name, int[] args) {
        int first = args.length > 0 ? args[0] : -1;
        return switch (name) {
            case "int2", "smallint" -> new CastTarget(PgType.INT2, -1, -1);
            case "int", "int4", "integer" -> new CastTarget(PgType.INT4, -1, -1);
            case "int8", "bigint" -> new CastTarget(PgType.INT8, -1, -1);
            case "float4", "real" -> new CastTarget(PgType.FLOAT4, -1, -1);
            case "float8", "double precision" -> new CastTarget(PgType.FLOAT8, -1, -1);
            case "float" -> new CastTarget(first > 0 && first <= 24 ? PgType.FLOAT4 : PgType.FLOAT8, -1, -1);
            case "numeric", "decimal" -> new CastTarget(PgType.NUMERIC, first, args.length > 1 ? args[1] : first >= 0 ? 0 : -1);
            case "text" -> new CastTarget(PgType.TEXT, -1, -1);
            case "varchar", "character varying" -> new CastTarget(PgType.VARCHAR, first, -1);
            case "char", "character", "bpchar" ->
                    new CastTarget(PgType.BPCHAR, first >= 0 ? first : name.equals("bpchar") ? -1 : 1, -1);
            case "bool", "boolean" -> new CastTarget(PgType.BOOL, -1, -1);
            case "date" -> new CastTarget(PgType.DATE, -1, -1);
            case "time" -> new CastTarget(PgType.TIME, -1, -1);
            case "timestamp" -> new CastTarget(PgType.TIMESTAMP, first, -1);
            case "timestamptz" -> new CastTarget(PgType.TIMESTAMPTZ, first, -1);
            case "uuid" -> new CastTarget(PgType.UUID, -1, -1);
            case "json" -> new CastTarget(PgType.JSON, -1, -1);
            case "jsonb" -> new CastTarget(PgType.JSONB, -1, -1);
            case "bytea" -> new CastTarget(PgType.BYTEA, -1, -1);
            case "interval" -> throw unsupported("interval", "SQLite has no interval type: compute the bound in the "
                    + "application and pass it as a parameter, or use SQLite's datetime(x, '+1 day') modifiers");
            case "timetz" -> throw unsupported("time with time zone", "use time or timestamptz");
            case "regclass", "regtype", "regproc", "regprocedure", "oid", "regnamespace", "regrole" ->
                    throw unsupported(name, "catalog queries need a PostgreSQL store");
            default -> throw unsupported(name, "SQLite stores understand casts to the integer, float, numeric, "
                    + "text, varchar, char, boolean, date, time, timestamp, timestamptz, uuid, json, jsonb and "
                    + "bytea types");
        };
    }

    /** Whether {@code word} names a type that may prefix a string literal ({@code DATE '2024-01-15'}). */
    static boolean startsTypedLiteral(List<Token> tokens, int i) {
        Token t = at(tokens, i);
        if (t == null || t.type() != TokenType.IDENTIFIER) {
            return false;
        }
        int next = i + 1;
        switch (t.text()) {
            case "timestamp", "time" -> {
                if (isType(tokens, next, TokenType.LEFT_PAREN)) {
                    next += 3;
                }
                if ((isKeyword(tokens, next, "with") || isKeyword(tokens, next, "without"))
                        && isKeyword(tokens, next + 1, "time") && isKeyword(tokens, next + 2, "zone")) {
                    next += 3;
                }
            }
            case "date", "timestamptz", "interval", "uuid", "bool", "boolean", "int", "int4", "int8", "integer",
                    "bigint", "smallint", "numeric", "decimal", "text", "varchar", "json", "jsonb", "bytea", "float8",
                    "float4", "real" -> {
            }
            default -> {
                return false;
            }
        }
        Token literal = at(tokens, next);
        return literal != null && literal.type().isString() && (i == 0 || !isType(tokens, i - 1, TokenType.DOT));
    }

    private static ProxyException unsupported(String type, String hint) {
        return new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "casts to " + type
                + " are not supported on SQLite stores", null, hint);
    }

    private static Token at(List<Token> tokens, int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
    }

    private static boolean isType(List<Token> tokens, int i, TokenType type) {
        Token t = at(tokens, i);
        return t != null && t.type() == type;
    }

    private static boolean isKeyword(List<Token> tokens, int i, String word) {
        Token t = at(tokens, i);
        return t != null && t.isKeyword(word);
    }
}
