package tandem.adapters.sqlite;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tandem.core.sql.Token;
import tandem.core.sql.TokenType;

/**
 * Finds where an operand starts and ends in a token list, so that a rewrite can wrap it: the
 * operand of a cast, both sides of ILIKE, the pattern of LIKE, the divisor of {@code /}.
 *
 * <p>It is not a parser, but it knows PostgreSQL's precedence levels that matter here: a primary
 * (a name, literal, parameter, parenthesised group, function call, CASE ... END, with any casts
 * after it) binds tightest; then {@code * / %}; then {@code + -}; then every other operator
 * ({@code ||}, {@code ->>}, ...); then LIKE and comparisons, which end an operand. Keywords that
 * cannot be an operand (AND, FROM, AS, ...) end it too.
 */
final class Operands {

    enum Level {
        PRIMARY, MULTIPLICATIVE, ADDITIVE, OTHER
    }

    /** Words that never start or continue an operand. */
    private static final Set<String> STOP = Set.of(
            "and", "or", "not", "is", "isnull", "notnull", "in", "like", "ilike", "similar", "between", "escape", "as",
            "from", "where", "group", "order", "having", "limit", "offset", "union", "intersect", "except", "then",
            "else", "when", "end", "on", "using", "join", "inner", "left", "right", "full", "cross", "natural", "outer",
            "returning", "for", "into", "values", "select", "set", "asc", "desc", "nulls", "window", "collate", "do",
            "distinct", "all", "any", "some", "by", "with", "over", "filter", "glob", "match", "regexp", "default",
            "fetch", "lateral", "only", "to", "symmetric", "asymmetric");

    private static final Set<String> COMPARISON = Set.of("=", "<", ">", "<=", ">=", "<>", "!=", "==");

    private final List<Token> tokens;
    private final String sql;
    private final int[] match;
    private final Map<Integer, Integer> typedLiteralStart = new HashMap<>();
    /** Last token of a cast's type name → first token of the cast's operand, for casts already seen. */
    private final Map<Integer, Integer> castStart = new HashMap<>();

    Operands(List<Token> tokens, String sql) {
        this.tokens = tokens;
        this.sql = sql;
        this.match = matchGroups(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            if (CastTarget.startsTypedLiteral(tokens, i)) {
                int s = i + 1;
                while (s < tokens.size() && !tokens.get(s).type().isString()) {
                    s++;
                }
                typedLiteralStart.put(s, i);
            }
        }
    }

    void recordCast(int lastTypeToken, int operandStart) {
        castStart.put(lastTypeToken, operandStart);
    }

    /** The index after the operand at level {@code level} that starts at {@code i}; -1 if none starts there. */
    int end(int i, Level level) {
        int j = primaryEnd(i);
        if (j < 0) {
            return -1;
        }
        while (level != Level.PRIMARY && isOperatorAt(j, level)) {
            int next = primaryEnd(j + 1);
            if (next < 0) {
                break;
            }
            j = next;
        }
        return j;
    }

    /** The first token of the operand at level {@code level} that ends just before {@code end}; -1 if none. */
    int start(int end, Level level) {
        int s = primaryStart(end);
        if (s < 0) {
            return -1;
        }
        while (level != Level.PRIMARY && isOperatorAt(s - 1, level)) {
            int previous = primaryStart(s - 1);
            if (previous < 0) {
                break;
            }
            s = previous;
        }
        return s;
    }

    /** Whether tokens [from, to] hold, outside parentheses, an operator that binds tighter than {@code ||}. */
    boolean hasArithmetic(int from, int to) {
        for (int i = from; i <= to; i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LEFT_PAREN) {
                i = match[i];
            } else if (t.type() == TokenType.OPERATOR && isArithmetic(raw(i))) {
                return true;
            }
        }
        return false;
    }

    int primaryEnd(int i) {
        Token t = at(i);
        if (t == null) {
            return -1;
        }
        int j;
        switch (t.type()) {
            case OPERATOR -> {
                String op = raw(i);
                return op.equals("-") || op.equals("+") ? primaryEnd(i + 1) : -1;
            }
            case LEFT_PAREN -> j = match[i] + 1;
            case NUMBER, PARAMETER, STRING, ESCAPE_STRING, UNICODE_STRING, DOLLAR_STRING, BIT_STRING, HEX_STRING ->
                    j = i + 1;
            case IDENTIFIER, QUOTED_IDENTIFIER -> {
                String word = t.type() == TokenType.IDENTIFIER ? t.text() : null;
                if ("case".equals(word)) {
                    j = match[i] + 1;
                } else if (word != null && STOP.contains(word)) {
                    return -1;
                } else if (CastTarget.startsTypedLiteral(tokens, i)) {
                    j = i + 1;
                    while (j < tokens.size() && !tokens.get(j).type().isString()) {
                        j++;
                    }
                    j++;
                } else {
                    j = i + 1;
                    while (is(j, TokenType.DOT) && (isName(j + 1) || isOperator(j + 1, "*"))) {
                        j += 2;
                    }
                    if (is(j, TokenType.LEFT_PAREN)) {
                        j = match[j] + 1;
                        if (isKeyword(j, "filter") && is(j + 1, TokenType.LEFT_PAREN)) {
                            j = match[j + 1] + 1;
                        }
                        if (isKeyword(j, "over")) {
                            j = is(j + 1, TokenType.LEFT_PAREN) ? match[j + 1] + 1 : j + 2;
                        }
                    }
                }
            }
            default -> {
                return -1;
            }
        }
        while (is(j, TokenType.CAST)) {
            j = CastTarget.parse(tokens, j + 1, sql).end();
        }
        if (isKeyword(j, "collate") && at(j + 1) != null) {
            j += 2;
        }
        return Math.min(j, tokens.size());
    }

    int primaryStart(int end) {
        int k = end - 1;
        Token t = at(k);
        if (t == null) {
            return -1;
        }
        Integer cast = castStart.get(k);
        if (cast != null) {
            return cast;
        }
        if (isKeyword(k - 1, "collate") && k - 1 > 0) {
            return primaryStart(k - 1);
        }
        switch (t.type()) {
            case RIGHT_PAREN -> {
                int s = match[k];
                if (s < 0) {
                    return -1;
                }
                if (isKeyword(s - 1, "over") || isKeyword(s - 1, "filter")) {
                    return primaryStart(s - 1);
                }
                if (isName(s - 1) && !isStop(s - 1)) {
                    s--;
                    while (is(s - 1, TokenType.DOT) && isName(s - 2)) {
                        s -= 2;
                    }
                }
                return s;
            }
            case IDENTIFIER, QUOTED_IDENTIFIER -> {
                if (isKeyword(k, "end")) {
                    return match[k];
                }
                if (isKeyword(k - 1, "over")) {
                    return primaryStart(k - 1); // f(x) OVER w
                }
                if (isStop(k)) {
                    return -1;
                }
                int s = k;
                while (is(s - 1, TokenType.DOT) && isName(s - 2)) {
                    s -= 2;
                }
                return s;
            }
            case NUMBER, PARAMETER, STRING, ESCAPE_STRING, UNICODE_STRING, DOLLAR_STRING, BIT_STRING, HEX_STRING -> {
                Integer typed = typedLiteralStart.get(k);
                return typed != null ? typed : k;
            }
            default -> {
                return -1;
            }
        }
    }

    /** The index of the parenthesis (or CASE/END keyword) matching the one at {@code i}. */
    int match(int i) {
        return match[i];
    }

    private boolean isOperatorAt(int i, Level level) {
        Token t = at(i);
        if (t == null || t.type() != TokenType.OPERATOR) {
            return false;
        }
        String op = raw(i);
        return switch (level) {
            case PRIMARY -> false;
            case MULTIPLICATIVE -> op.equals("*") || op.equals("/") || op.equals("%");
            case ADDITIVE -> isArithmetic(op);
            case OTHER -> !COMPARISON.contains(op) && !op.equals(":=") && !op.equals("=>");
        };
    }

    private static boolean isArithmetic(String op) {
        return op.equals("*") || op.equals("/") || op.equals("%") || op.equals("+") || op.equals("-");
    }

    private boolean isStop(int i) {
        Token t = at(i);
        return t != null && t.type() == TokenType.IDENTIFIER && STOP.contains(t.text());
    }

    private Token at(int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
    }

    private boolean is(int i, TokenType type) {
        Token t = at(i);
        return t != null && t.type() == type;
    }

    private boolean isName(int i) {
        Token t = at(i);
        return t != null && t.type().isName();
    }

    private boolean isKeyword(int i, String word) {
        Token t = at(i);
        return t != null && t.isKeyword(word);
    }

    private boolean isOperator(int i, String op) {
        Token t = at(i);
        return t != null && t.type() == TokenType.OPERATOR && raw(i).equals(op);
    }

    private String raw(int i) {
        return tokens.get(i).raw(sql);
    }

    /** Matching parentheses, and CASE with its END; unmatched ones point past the end (or to -1). */
    static int[] matchGroups(List<Token> tokens) {
        int n = tokens.size();
        int[] match = new int[n];
        Deque<Integer> parens = new ArrayDeque<>();
        Deque<Integer> cases = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LEFT_PAREN) {
                parens.push(i);
                match[i] = n - 1;
            } else if (t.type() == TokenType.RIGHT_PAREN) {
                if (parens.isEmpty()) {
                    match[i] = -1;
                } else {
                    int open = parens.pop();
                    match[open] = i;
                    match[i] = open;
                }
            } else if (t.isKeyword("case")) {
                cases.push(i);
                match[i] = n - 1;
            } else if (t.isKeyword("end")) {
                if (cases.isEmpty()) {
                    match[i] = -1;
                } else {
                    int open = cases.pop();
                    match[open] = i;
                    match[i] = open;
                }
            }
        }
        return match;
    }
}
