package tandem.adapters.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tandem.core.sql.Classification;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;
import tandem.core.type.PgType;

/**
 * Names and types the result columns of a statement from its text, the way PostgreSQL's parser
 * does (FigureColname): an alias folded to lower case unless quoted, a column's own name, a
 * function's name, {@code ?column?} for other expressions. SQLite would name {@code count(*)}
 * "count(*)" and {@code SELECT Total} "Total", where PostgreSQL says "count" and "total".
 *
 * <p>Types come from what the expression is when it is exactly a cast, a tandem clock or uuid
 * function, {@code count(...)} or a boolean literal; a comparison or other boolean-shaped
 * expression is guessed boolean (SQLite answers 0 or 1).
 */
final class SelectItems {

    /** The cast whose span is exactly the tokens [from, to], or null. */
    interface Casts {
        CastTarget covering(int from, int to);
    }

    private static final Set<String> LIST_END = Set.of("from", "where", "group", "having", "window", "order", "limit",
            "offset", "union", "intersect", "except", "fetch", "for", "into");
    private static final Set<String> BOOLEAN_WORDS = Set.of("and", "or", "not", "is", "isnull", "notnull", "like",
            "ilike", "in", "between", "exists");
    private static final Set<String> COMPARISONS = Set.of("=", "<", ">", "<=", ">=", "<>", "!=", "~", "~*", "!~", "!~*");
    private static final Set<String> RESERVED = Set.of("null", "true", "false", "end", "and", "or", "not", "is",
            "as", "from", "case", "then", "else", "when", "in", "like", "ilike", "between", "asc", "desc");

    /** Stands for {@code *} or {@code t.*}, which expands to the table's columns. */
    static final Translation.SelectItem STAR = new Translation.SelectItem(null, null, 0, null);

    private final List<Token> tokens;
    private final String sql;
    private final Casts casts;
    private final Operands operands;

    private SelectItems(List<Token> tokens, String sql, Casts casts, Operands operands) {
        this.tokens = tokens;
        this.sql = sql;
        this.casts = casts;
        this.operands = operands;
    }

    /** One item per select-list entry ({@link #STAR} for {@code *}), or null when the text cannot say. */
    static List<Translation.SelectItem> of(List<Token> tokens, String sql, Classification c, Casts casts,
            Operands operands) {
        SelectItems s = new SelectItems(tokens, sql, casts, operands);
        int start;
        if (c.returning()) {
            start = s.topLevel("returning");
        } else if (c.command().equals("SELECT")) {
            start = s.topLevel("select");
            if (start >= 0) {
                if (s.isKeyword(start, "distinct") || s.isKeyword(start, "all")) {
                    start++;
                }
            }
        } else {
            return null;
        }
        return start < 0 ? null : s.items(start);
    }

    /** The index after the first {@code word} outside parentheses, or -1. */
    private int topLevel(String word) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LEFT_PAREN) {
                depth++;
            } else if (t.type() == TokenType.RIGHT_PAREN) {
                depth--;
            } else if (depth == 0 && t.isKeyword(word)) {
                return i + 1;
            }
        }
        return -1;
    }

    private List<Translation.SelectItem> items(int start) {
        List<Translation.SelectItem> items = new ArrayList<>();
        int itemStart = start;
        for (int i = start; i <= tokens.size(); i++) {
            Token t = i < tokens.size() ? tokens.get(i) : null;
            boolean end = t == null || t.type() == TokenType.SEMICOLON
                    || (t.type() == TokenType.IDENTIFIER && LIST_END.contains(t.text()));
            if (t != null && (t.type() == TokenType.LEFT_PAREN || t.isKeyword("case"))) {
                i = operands.match(i);
                continue;
            }
            if (end || t.type() == TokenType.COMMA) {
                if (i == itemStart) {
                    return null;
                }
                Translation.SelectItem item = item(itemStart, i);
                if (item == null) {
                    return null;
                }
                items.add(item);
                itemStart = i + 1;
                if (end) {
                    break;
                }
            }
        }
        return items;
    }

    /** The item in tokens [from, to). */
    private Translation.SelectItem item(int from, int to) {
        String alias = null;
        int exprEnd = to;
        Token last = tokens.get(to - 1);
        if (to - from >= 3 && isKeyword(to - 2, "as") && last.type().isName()) {
            alias = last.text();
            exprEnd = to - 2;
        } else if (to - from >= 2 && isAlias(to - 1)) {
            alias = last.text();
            exprEnd = to - 1;
        }
        for (int i = from; i < exprEnd; i++) {
            if (tokens.get(i).type() == TokenType.LEFT_PAREN) {
                i = operands.match(i);
            } else if (tokens.get(i).type() == TokenType.OPERATOR && tokens.get(i).raw(sql).equals("*")
                    && (i == from || tokens.get(i - 1).type() == TokenType.DOT)) {
                return STAR; // * or t.*: as many columns as the table has
            }
        }
        int parameter = exprEnd - from == 1 && tokens.get(from).type() == TokenType.PARAMETER
                ? Integer.parseInt(tokens.get(from).raw(sql).substring(1)) : 0;
        String column = tokens.get(from).type().isName() && isQualifiedName(from, exprEnd)
                ? tokens.get(exprEnd - 1).text() : null;
        return new Translation.SelectItem(alias != null ? alias : name(from, exprEnd), type(from, exprEnd), parameter,
                column, from, exprEnd);
    }

    /** A trailing bare name after a complete operand ({@code count(*) n}) is an alias. */
    private boolean isAlias(int i) {
        Token t = tokens.get(i);
        if (t.type() == TokenType.QUOTED_IDENTIFIER) {
            return precedesAlias(i - 1);
        }
        return t.type() == TokenType.IDENTIFIER && !RESERVED.contains(t.text()) && precedesAlias(i - 1)
                && casts.covering(operandStartBefore(i), i) == null;
    }

    private boolean precedesAlias(int i) {
        Token t = tokens.get(i);
        return switch (t.type()) {
            case RIGHT_PAREN, NUMBER, PARAMETER, STRING, ESCAPE_STRING, DOLLAR_STRING, UNICODE_STRING, QUOTED_IDENTIFIER ->
                    true;
            case IDENTIFIER -> !RESERVED.contains(t.text()) || t.text().equals("end") || t.text().equals("null")
                    || t.text().equals("true") || t.text().equals("false");
            default -> false;
        };
    }

    private int operandStartBefore(int i) {
        int s = operands.primaryStart(i);
        return s < 0 ? i : s;
    }

    /** PostgreSQL's FigureColname over tokens [from, to). */
    private String name(int from, int to) {
        int count = to - from;
        Token first = tokens.get(from);
        CastTarget cast = casts.covering(from, to - 1);
        if (cast != null) {
            String inner = castOperandName(from, to);
            return inner != null ? inner : cast.type().typname();
        }
        if (count == 1) {
            if (first.type() == TokenType.QUOTED_IDENTIFIER) {
                return first.text();
            }
            if (first.type() == TokenType.IDENTIFIER) {
                return switch (first.text()) {
                    case "true", "false", "null" -> "?column?";
                    default -> first.text();
                };
            }
            return "?column?";
        }
        if (first.type().isName() && isQualifiedName(from, to)) {
            return tokens.get(to - 1).text();
        }
        if (first.isKeyword("case") && operands.match(from) == to - 1) {
            return "case";
        }
        if ((first.isKeyword("exists")) && is(from + 1, TokenType.LEFT_PAREN)) {
            return "exists";
        }
        if (first.type() == TokenType.LEFT_PAREN && operands.match(from) == to - 1) {
            if (isKeyword(from + 1, "select")) {
                return "?column?";
            }
            return name(from + 1, to - 1);
        }
        int call = functionCall(from, to);
        if (call >= 0) {
            return tokens.get(call).text();
        }
        return "?column?";
    }

    /** For a cast covering [from, to): the name of its operand when that is a column or a function. */
    private String castOperandName(int from, int to) {
        Token first = tokens.get(from);
        if (first.isKeyword("cast") && is(from + 1, TokenType.LEFT_PAREN)) {
            int as = -1;
            for (int j = from + 2; j < to; j++) {
                if (tokens.get(j).type() == TokenType.LEFT_PAREN) {
                    j = operands.match(j);
                } else if (tokens.get(j).isKeyword("as")) {
                    as = j;
                }
            }
            return as < 0 ? null : simpleName(from + 2, as);
        }
        int end = operands.primaryEnd(from);
        // the operand is what precedes the first ::
        int k = from;
        while (k < to && tokens.get(k).type() != TokenType.CAST) {
            if (tokens.get(k).type() == TokenType.LEFT_PAREN) {
                k = operands.match(k);
            }
            k++;
        }
        return end < 0 || k >= to ? null : simpleName(from, k);
    }

    private String simpleName(int from, int to) {
        if (to <= from) {
            return null;
        }
        if (tokens.get(from).type().isName() && isQualifiedName(from, to)
                && !(to - from == 1 && tokens.get(from).type() == TokenType.IDENTIFIER
                        && RESERVED.contains(tokens.get(from).text()))) {
            return tokens.get(to - 1).text();
        }
        int call = functionCall(from, to);
        return call >= 0 ? tokens.get(call).text() : null;
    }

    /** Index of the function name when [from, to) is exactly a (qualified) function call, else -1. */
    private int functionCall(int from, int to) {
        int j = from;
        if (!tokens.get(j).type().isName()) {
            return -1;
        }
        while (is(j + 1, TokenType.DOT) && j + 2 < to && tokens.get(j + 2).type().isName()) {
            j += 2;
        }
        if (!is(j + 1, TokenType.LEFT_PAREN)) {
            return -1;
        }
        int end = operands.primaryEnd(from);
        return end == to ? j : -1;
    }

    private boolean isQualifiedName(int from, int to) {
        for (int i = from; i < to; i++) {
            boolean nameSlot = (i - from) % 2 == 0;
            Token t = tokens.get(i);
            if (nameSlot ? !t.type().isName() : t.type() != TokenType.DOT) {
                return false;
            }
        }
        return (to - from) % 2 == 1;
    }

    /** The type the expression implies, or null to leave it to the column's declaration or values. */
    private ColumnType type(int from, int to) {
        CastTarget cast = casts.covering(from, to - 1);
        if (cast != null) {
            return cast.columnType();
        }
        Token first = tokens.get(from);
        if (to - from == 1 && first.type() == TokenType.NUMBER) {
            return numberType(first.raw(sql), false);
        }
        if (to - from == 2 && first.type() == TokenType.OPERATOR && first.raw(sql).equals("-")
                && tokens.get(from + 1).type() == TokenType.NUMBER) {
            return numberType(tokens.get(from + 1).raw(sql), true);
        }
        if (to - from == 1 && first.type() == TokenType.IDENTIFIER) {
            switch (first.text()) {
                case "true", "false":
                    return ColumnType.expression(PgType.BOOL);
                case "current_timestamp":
                    return ColumnType.expression(PgType.TIMESTAMPTZ);
                case "localtimestamp":
                    return ColumnType.expression(PgType.TIMESTAMP);
                case "current_date":
                    return ColumnType.expression(PgType.DATE);
                case "localtime":
                    return ColumnType.expression(PgType.TIME);
                default:
                    break;
            }
        }
        ColumnType json = jsonSubquery(from, to);
        if (json != null) {
            return json;
        }
        int call = functionCall(from, to);
        if (call >= 0 && call == from) {
            switch (first.text()) {
                case "now", "transaction_timestamp", "statement_timestamp", "clock_timestamp", "current_timestamp":
                    return ColumnType.expression(PgType.TIMESTAMPTZ);
                case "localtimestamp":
                    return ColumnType.expression(PgType.TIMESTAMP);
                case "gen_random_uuid", "uuid_generate_v4":
                    return ColumnType.expression(PgType.UUID);
                case "count":
                    return ColumnType.expression(PgType.INT8);
                case "random":
                    return ColumnType.expression(PgType.FLOAT8);
                case "exists":
                    return ColumnType.expression(PgType.BOOL);
                case "version", "current_setting", "current_database", "current_schema":
                    return ColumnType.expression(PgType.TEXT);
                default:
                    break;
            }
        }
        return looksBoolean(from, to) ? ColumnType.guessed(PgType.BOOL) : null;
    }

    /**
     * {@code (SELECT [coalesce(]json_agg(...)...)}, {@code json_build_array(...)} or
     * {@code json_build_object(...)} (an inlined LATERAL join's, {@link LateralJoins}): json, or
     * jsonb for the jsonb functions; null for anything else.
     */
    private ColumnType jsonSubquery(int from, int to) {
        if (!is(from, TokenType.LEFT_PAREN) || operands.match(from) != to - 1 || !isKeyword(from + 1, "select")) {
            return null;
        }
        int f = from + 2;
        if (isKeyword(f, "coalesce") && is(f + 1, TokenType.LEFT_PAREN)) {
            f += 2;
        }
        if (f >= to || tokens.get(f).type() != TokenType.IDENTIFIER || !is(f + 1, TokenType.LEFT_PAREN)) {
            return null;
        }
        return switch (tokens.get(f).text()) {
            case "json_agg", "json_build_array", "json_build_object", "json_object_agg" -> ColumnType.expression(PgType.JSON);
            case "jsonb_agg", "jsonb_build_array", "jsonb_build_object", "jsonb_object_agg" ->
                    ColumnType.expression(PgType.JSONB);
            default -> null;
        };
    }

    /**
     * A numeric constant's type as PostgreSQL's parser gives it: an integer is integer when it fits
     * 32 bits, bigint when it fits 64, numeric beyond; one with a point or an exponent is numeric
     * (with the scale it is written with).
     */
    static ColumnType numberType(String literal, boolean negative) {
        String digits = literal.replace("_", "");
        if (digits.chars().allMatch(Character::isDigit)) {
            java.math.BigInteger v = new java.math.BigInteger(digits);
            v = negative ? v.negate() : v;
            if (v.bitLength() < 32) {
                return ColumnType.expression(PgType.INT4);
            }
            return v.bitLength() < 64 ? ColumnType.expression(PgType.INT8) : ColumnType.expression(PgType.NUMERIC, 0);
        }
        if (digits.startsWith("0x") || digits.startsWith("0o") || digits.startsWith("0b")) {
            return null;
        }
        int point = digits.indexOf('.');
        boolean exponent = digits.indexOf('e') >= 0 || digits.indexOf('E') >= 0;
        return ColumnType.expression(PgType.NUMERIC, point >= 0 && !exponent ? digits.length() - point - 1 : -1);
    }

    /** A comparison, AND/OR/NOT, IS, LIKE, IN, BETWEEN or EXISTS outside parentheses and CASE. */
    private boolean looksBoolean(int from, int to) {
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LEFT_PAREN || t.isKeyword("case")) {
                if (t.isKeyword("case")) {
                    return false;
                }
                i = operands.match(i);
            } else if (t.type() == TokenType.OPERATOR && COMPARISONS.contains(t.raw(sql))) {
                return true;
            } else if (t.type() == TokenType.IDENTIFIER && BOOLEAN_WORDS.contains(t.text())) {
                return true;
            }
        }
        return false;
    }

    private boolean is(int i, TokenType type) {
        return i >= 0 && i < tokens.size() && tokens.get(i).type() == type;
    }

    private boolean isKeyword(int i, String word) {
        return i >= 0 && i < tokens.size() && tokens.get(i).isKeyword(word);
    }
}
