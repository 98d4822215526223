package tandem.core.mirror;

import java.util.List;

import tandem.core.sql.SqlLexer;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;
import tandem.core.sql.TableRef;

/**
 * One statement's tokens for the rewriter: trailing semicolons dropped, each token's nesting depth
 * (parentheses and brackets) known, and the qualified-name reading that both write and schema
 * statements need. Out-of-range indexes are simply "no token".
 */
final class StatementTokens {

    /** A table name as written: the table, the index of its last part, and the index after it. */
    record Name(TableRef ref, int last, int next) {
    }

    /** Words that follow INSERT INTO, UPDATE, DELETE FROM, ALTER TABLE ... only where no table is named. */
    private static final java.util.Set<String> NOT_A_TABLE = java.util.Set.of(
            "as", "default", "from", "on", "only", "select", "set", "values", "where", "with", "if", "returning",
            "using");

    final String sql;
    private final List<Token> tokens;
    final int size;
    private final int[] depth;
    /** Whether a semicolon other than trailing ones separates statements. */
    final boolean several;

    private StatementTokens(String sql, List<Token> tokens) {
        int n = tokens.size();
        while (n > 0 && tokens.get(n - 1).type() == TokenType.SEMICOLON) {
            n--;
        }
        this.sql = sql;
        this.tokens = tokens.subList(0, n);
        this.size = n;
        this.depth = new int[n];
        boolean semicolon = false;
        int level = 0;
        for (int i = 0; i < n; i++) {
            TokenType type = this.tokens.get(i).type();
            if (type == TokenType.RIGHT_PAREN || type == TokenType.RIGHT_BRACKET) {
                level = Math.max(0, level - 1);
            }
            depth[i] = level;
            if (type == TokenType.LEFT_PAREN || type == TokenType.LEFT_BRACKET) {
                level++;
            }
            semicolon |= type == TokenType.SEMICOLON;
        }
        this.several = semicolon;
    }

    static StatementTokens of(String sql, boolean standardConformingStrings) {
        return new StatementTokens(sql, SqlLexer.tokenize(sql, standardConformingStrings));
    }

    Token get(int i) {
        return i >= 0 && i < size ? tokens.get(i) : null;
    }

    boolean is(int i, TokenType type) {
        Token token = get(i);
        return token != null && token.type() == type;
    }

    boolean isKeyword(int i, String word) {
        Token token = get(i);
        return token != null && token.isKeyword(word);
    }

    /** The unquoted word at i, or null. */
    String keyword(int i) {
        Token token = get(i);
        return token != null && token.type() == TokenType.IDENTIFIER ? token.text() : null;
    }

    boolean isOperator(int i, String operator) {
        Token token = get(i);
        return token != null && token.type() == TokenType.OPERATOR && token.end() - token.start() == operator.length()
                && sql.startsWith(operator, token.start());
    }

    /** Parenthesis and bracket depth at token i: 0 for the statement's own tokens and for its outermost '('. */
    int depth(int i) {
        return depth[i];
    }

    /** Index of the token closing the group opened at i, or {@link #size} if it never closes. */
    int closing(int open) {
        for (int j = open + 1; j < size; j++) {
            if (depth[j] == depth[open]) {
                return j;
            }
        }
        return size;
    }

    int start(int i) {
        return i < size ? tokens.get(i).start() : end();
    }

    int end(int i) {
        return tokens.get(i).end();
    }

    /** Where the statement's first token starts. */
    int begin() {
        return size == 0 ? 0 : tokens.get(0).start();
    }

    /** Where the statement's last token (before any trailing semicolons) ends. */
    int end() {
        return size == 0 ? 0 : tokens.get(size - 1).end();
    }

    String raw(int i) {
        return tokens.get(i).raw(sql);
    }

    /** {@code name}, {@code schema.name} or {@code catalog.schema.name} at i where the grammar wants a table; null otherwise. */
    Name table(int i) {
        Token first = get(i);
        if (first == null || !first.type().isName()
                || (first.type() == TokenType.IDENTIFIER && NOT_A_TABLE.contains(first.text()))) {
            return null;
        }
        String schema = null;
        String name = first.text();
        int last = i;
        while (is(last + 1, TokenType.DOT) && get(last + 2) != null && get(last + 2).type().isName()) {
            schema = name;
            name = get(last + 2).text();
            last += 2;
        }
        return new Name(new TableRef(schema, name), last, last + 1);
    }

    /** The first token at depth zero in [from, size) that is the keyword {@code word}, or -1. */
    int findTopLevel(int from, String word) {
        for (int i = from; i < size; i++) {
            if (depth[i] == 0 && isKeyword(i, word)) {
                return i;
            }
        }
        return -1;
    }
}
