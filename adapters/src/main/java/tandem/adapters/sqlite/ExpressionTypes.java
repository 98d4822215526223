package tandem.adapters.sqlite;

import java.util.List;
import java.util.Set;

import tandem.core.sql.Token;
import tandem.core.sql.TokenType;
import tandem.core.type.PgType;

/**
 * The type PostgreSQL gives a select item whose type follows the types of the columns it reads,
 * where SQLite reports none: {@code sum}, {@code avg}, {@code min} and {@code max} of a column, a
 * JSON column {@code ->} a key, and arithmetic over columns and constants ({@code price * qty}).
 * Without it such a column would be typed by its first value, and a later row of another storage
 * class (37.5 after 12000) would fail.
 */
final class ExpressionTypes {

    /** The declared type of the table column whose (qualified) name ends at a token, or null. */
    interface Columns {
        ColumnType at(int token);
    }

    private static final Set<String> AGGREGATES = Set.of("sum", "avg", "min", "max");

    private final List<Token> tokens;
    private final String sql;
    private final Columns columns;
    private final int to;
    private int p;

    private ExpressionTypes(List<Token> tokens, String sql, Columns columns, int from, int to) {
        this.tokens = tokens;
        this.sql = sql;
        this.columns = columns;
        this.p = from;
        this.to = to;
    }

    /** The type of the expression in tokens [from, to), or null when its type does not follow from the schema. */
    static ColumnType of(List<Token> tokens, String sql, int from, int to, Columns columns) {
        if (from < 0 || to - from < 2) {
            return null;
        }
        ExpressionTypes e = new ExpressionTypes(tokens, sql, columns, from, to);
        ColumnType aggregate = e.aggregate(from);
        if (aggregate != null) {
            return aggregate;
        }
        ColumnType json = e.jsonField(from);
        if (json != null) {
            return json;
        }
        ColumnType arithmetic = e.sum();
        return e.p == to ? arithmetic : null;
    }

    /** sum, avg, min or max of one column: min and max keep its type, sum widens integers, avg is numeric. */
    private ColumnType aggregate(int from) {
        Token f = tokens.get(from);
        if (f.type() != TokenType.IDENTIFIER || !AGGREGATES.contains(f.text()) || !is(from + 1, TokenType.LEFT_PAREN)
                || !is(to - 1, TokenType.RIGHT_PAREN) || closing(from + 1) != to - 1) {
            return null;
        }
        ColumnType argument = columnReference(from + 2, to - 1) ? columns.at(to - 2)
                : new ExpressionTypes(tokens, sql, columns, from + 2, to - 1).wholeSum();
        if (argument == null) {
            return null;
        }
        PgType t = argument.type();
        return switch (f.text()) {
            case "min", "max" -> ColumnType.expression(t, argument.scale());
            case "sum" -> switch (t) {
                case INT2, INT4 -> ColumnType.expression(PgType.INT8);
                case INT8 -> ColumnType.expression(PgType.NUMERIC, 0);
                case NUMERIC -> ColumnType.expression(PgType.NUMERIC, argument.scale());
                case FLOAT4, FLOAT8, INTERVAL -> ColumnType.expression(t);
                default -> null;
            };
            // PostgreSQL divides numerics to a scale SQLite's floating-point average cannot give
            default -> t == PgType.FLOAT4 || t == PgType.FLOAT8 ? ColumnType.expression(PgType.FLOAT8) : null;
        };
    }

    /** {@code column -> key} of a json or jsonb column: the same type. */
    private ColumnType jsonField(int from) {
        if (to - from < 3 || !is(to - 2, TokenType.OPERATOR) || !tokens.get(to - 2).raw(sql).equals("->")
                || !columnReference(from, to - 2)) {
            return null;
        }
        Token key = tokens.get(to - 1);
        if (key.type() != TokenType.NUMBER && !key.type().isString() && key.type() != TokenType.PARAMETER) {
            return null;
        }
        ColumnType column = columns.at(to - 3);
        return column != null && (column.type() == PgType.JSON || column.type() == PgType.JSONB)
                ? ColumnType.expression(column.type()) : null;
    }

    /** The arithmetic expression filling [p, to), or null. */
    private ColumnType wholeSum() {
        ColumnType type = sum();
        return p == to ? type : null;
    }

    private int closing(int open) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            if (tokens.get(i).type() == TokenType.LEFT_PAREN) {
                depth++;
            } else if (tokens.get(i).type() == TokenType.RIGHT_PAREN && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    // ---- arithmetic: sum := product (('+' | '-') product)*; product := factor (('*' | '/' | '%') factor)* ----

    private ColumnType sum() {
        ColumnType left = product();
        while (left != null && (atOperator("+") || atOperator("-"))) {
            p++;
            left = combine(left, product(), '+');
        }
        return left;
    }

    private ColumnType product() {
        ColumnType left = factor();
        while (left != null && (atOperator("*") || atOperator("/") || atOperator("%"))) {
            char op = tokens.get(p).raw(sql).charAt(0);
            p++;
            left = combine(left, factor(), op);
        }
        return left;
    }

    private ColumnType factor() {
        if (p >= to) {
            return null;
        }
        Token t = tokens.get(p);
        if (t.type() == TokenType.OPERATOR && t.raw(sql).equals("-")) {
            p++;
            return factor();
        }
        if (t.type() == TokenType.LEFT_PAREN) {
            p++;
            ColumnType inner = sum();
            if (inner == null || !is(p, TokenType.RIGHT_PAREN)) {
                return null;
            }
            p++;
            return inner;
        }
        if (t.type() == TokenType.NUMBER) {
            p++;
            return SelectItems.numberType(t.raw(sql), false);
        }
        if (t.type().isName()) {
            int end = p + 1;
            while (is(end, TokenType.DOT) && end + 1 < to && tokens.get(end + 1).type().isName()) {
                end += 2;
            }
            if (is(end, TokenType.LEFT_PAREN)) {
                return null; // a function: its type is not the schema's to tell
            }
            p = end;
            return columns.at(end - 1);
        }
        return null;
    }

    /**
     * PostgreSQL's result type for two numeric operands: integers give the wider integer, a numeric
     * makes it numeric (scale: the larger for + and -, the sum for *, decided by the values for /),
     * a float makes it double precision (real when every float is real and the rest integers).
     */
    private static ColumnType combine(ColumnType a, ColumnType b, char op) {
        if (a == null || b == null || !arithmetic(a.type()) || !arithmetic(b.type())) {
            return null;
        }
        PgType x = a.type();
        PgType y = b.type();
        if (isFloat(x) || isFloat(y)) {
            boolean real = (x == PgType.FLOAT4 || isInteger(x)) && (y == PgType.FLOAT4 || isInteger(y));
            return ColumnType.expression(real ? PgType.FLOAT4 : PgType.FLOAT8);
        }
        if (x == PgType.NUMERIC || y == PgType.NUMERIC) {
            int sa = x == PgType.NUMERIC ? a.scale() : 0;
            int sb = y == PgType.NUMERIC ? b.scale() : 0;
            int scale = sa < 0 || sb < 0 ? -1 : switch (op) {
                case '+' -> Math.max(sa, sb);
                case '*' -> sa + sb;
                default -> -1;
            };
            return ColumnType.expression(PgType.NUMERIC, scale);
        }
        return ColumnType.expression(rank(x) >= rank(y) ? x : y);
    }

    private static boolean arithmetic(PgType t) {
        return isInteger(t) || isFloat(t) || t == PgType.NUMERIC;
    }

    private static boolean isInteger(PgType t) {
        return t == PgType.INT2 || t == PgType.INT4 || t == PgType.INT8;
    }

    private static boolean isFloat(PgType t) {
        return t == PgType.FLOAT4 || t == PgType.FLOAT8;
    }

    private static int rank(PgType t) {
        return switch (t) {
            case INT2 -> 0;
            case INT4 -> 1;
            default -> 2;
        };
    }

    private boolean columnReference(int from, int end) {
        if (end <= from || (end - from) % 2 == 0) {
            return false;
        }
        for (int i = from; i < end; i++) {
            boolean name = (i - from) % 2 == 0;
            if (name ? !tokens.get(i).type().isName() : tokens.get(i).type() != TokenType.DOT) {
                return false;
            }
        }
        return true;
    }

    private boolean atOperator(String op) {
        return p < to && tokens.get(p).type() == TokenType.OPERATOR && tokens.get(p).raw(sql).equals(op);
    }

    private boolean is(int i, TokenType type) {
        return i >= 0 && i < tokens.size() && tokens.get(i).type() == type;
    }
}
