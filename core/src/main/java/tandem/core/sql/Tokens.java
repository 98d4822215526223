package tandem.core.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One statement's tokens with the lookups the classifier needs: bounds-safe access (out of range
 * is simply "no token"), keyword tests, matching parentheses and qualified names.
 */
final class Tokens {

    /** A qualified name and the index of the token after it. */
    record Name(TableRef ref, int next) {
    }

    /**
     * Words that cannot be a table name or alias unquoted: PostgreSQL's reserved keywords plus the
     * join words, so "FROM a JOIN b" never reads JOIN as an alias or a table.
     */
    private static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
            "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role",
            "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
            "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
            "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
            "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select",
            "session_user", "some", "symmetric", "system_user", "table", "then", "to", "trailing", "true", "union",
            "unique", "user", "using", "variadic", "when", "where", "window", "with",
            "join", "inner", "left", "right", "full", "cross", "natural", "outer", "tablesample");

    /** Words that follow INSERT INTO, UPDATE or DELETE FROM only in broken statements. */
    private static final Set<String> STRUCTURAL = Set.of(
            "as", "default", "from", "on", "only", "select", "set", "values", "where", "with");

    final String sql;
    private final List<Token> list;
    final int size;
    private final int[] match;

    Tokens(String sql, List<Token> list) {
        this.sql = sql;
        this.list = list;
        this.size = list.size();
        this.match = matchParentheses(list);
    }

    Tokens sub(int from, int to) {
        return new Tokens(sql, list.subList(from, Math.max(from, to)));
    }

    Token get(int i) {
        return i >= 0 && i < size ? list.get(i) : null;
    }

    TokenType type(int i) {
        return i >= 0 && i < size ? list.get(i).type() : null;
    }

    boolean is(int i, TokenType type) {
        return type(i) == type;
    }

    /** The unquoted keyword at i, or null if that token is not an unquoted word. */
    String keyword(int i) {
        Token token = get(i);
        return token != null && token.type() == TokenType.IDENTIFIER ? token.text() : null;
    }

    boolean isKeyword(int i, String word) {
        Token token = get(i);
        return token != null && token.isKeyword(word);
    }

    boolean isOperator(int i, String operator) {
        Token token = get(i);
        return token != null && token.type() == TokenType.OPERATOR && sql.startsWith(operator, token.start())
                && token.end() - token.start() == operator.length();
    }

    /** Whether the token at i can be a table name or alias: quoted, or an unquoted word that is not reserved. */
    boolean isName(int i) {
        Token token = get(i);
        return token != null
                && (token.type() == TokenType.QUOTED_IDENTIFIER
                        || (token.type() == TokenType.IDENTIFIER && !RESERVED.contains(token.text())));
    }

    /** {@code name}, {@code schema.name} or {@code catalog.schema.name} at i; null if i holds no name. */
    Name name(int i) {
        return isName(i) ? qualified(i) : null;
    }

    /**
     * Like {@link #name(int)} where the grammar demands a table name (after INSERT INTO, DELETE
     * FROM, ...), so a word PostgreSQL reserves but SQLite does not ({@code INSERT INTO user})
     * still names the table the statement writes.
     */
    Name target(int i) {
        TokenType type = type(i);
        if (type == TokenType.QUOTED_IDENTIFIER
                || (type == TokenType.IDENTIFIER && !STRUCTURAL.contains(get(i).text()))) {
            return qualified(i);
        }
        return null;
    }

    private Name qualified(int i) {
        String schema = null;
        String name = get(i).text();
        int next = i + 1;
        while (is(next, TokenType.DOT) && (is(next + 1, TokenType.IDENTIFIER) || is(next + 1, TokenType.QUOTED_IDENTIFIER))) {
            schema = name;
            name = get(next + 1).text();
            next += 2;
        }
        return new Name(new TableRef(schema, name), next);
    }

    /** Index of the ')' matching the '(' at i, or {@link #size} if it never closes. */
    int closing(int open) {
        return open >= 0 && open < size ? match[open] : size;
    }

    /** Index of the '(' matching the ')' at i, or -1 if there is none. */
    int opening(int close) {
        return close >= 0 && close < size ? match[close] : -1;
    }

    /** Index after the parenthesized group at i, or i itself when no group starts there. */
    int skipGroup(int i) {
        return is(i, TokenType.LEFT_PAREN) ? Math.min(size, closing(i) + 1) : i;
    }

    /** The source text from token {@code from} through token {@code to - 1}, or null if that is no token. */
    String raw(int from, int to) {
        if (from >= to || from >= size) {
            return null;
        }
        return sql.substring(list.get(from).start(), list.get(Math.min(to, size) - 1).end());
    }

    String upper(int i) {
        String word = keyword(i);
        return word == null ? "" : word.toUpperCase(Locale.ROOT);
    }

    /** The index of the first token at parenthesis depth zero in [from, to) that is {@code word}, or -1. */
    int findTopLevel(int from, int to, String word) {
        for (int i = from; i < to; i++) {
            if (is(i, TokenType.LEFT_PAREN)) {
                i = closing(i);
            } else if (isKeyword(i, word)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the tokens from i on (past any opening parentheses) start a query or a data-modifying statement. */
    boolean startsQuery(int i) {
        while (is(i, TokenType.LEFT_PAREN)) {
            i++;
        }
        String word = keyword(i);
        if (word == null) {
            return false;
        }
        return switch (word) {
            case "select", "values", "table", "with", "insert", "update", "delete", "merge" -> true;
            case "replace" -> isKeyword(i + 1, "into");
            default -> false;
        };
    }

    private static int[] matchParentheses(List<Token> list) {
        int n = list.size();
        int[] match = new int[n];
        int[] stack = new int[16];
        int depth = 0;
        for (int i = 0; i < n; i++) {
            TokenType type = list.get(i).type();
            if (type == TokenType.LEFT_PAREN) {
                if (depth == stack.length) {
                    stack = java.util.Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = i;
                match[i] = n;
            } else if (type == TokenType.RIGHT_PAREN) {
                if (depth > 0) {
                    int open = stack[--depth];
                    match[open] = i;
                    match[i] = open;
                } else {
                    match[i] = -1;
                }
            }
        }
        return match;
    }
}
