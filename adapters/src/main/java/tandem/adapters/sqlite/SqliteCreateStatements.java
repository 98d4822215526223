package tandem.adapters.sqlite;

import java.util.ArrayList;
import java.util.List;

import tandem.core.sql.SqlLexer;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;

/**
 * Reads what SQLite's pragmas do not report from the {@code CREATE} statements it keeps in
 * {@code sqlite_schema}: a table's CHECK constraints (column and table constraints, with their
 * names), whether it uses AUTOINCREMENT, and the WHERE of a partial index. The text of an
 * expression is cut out of the statement as written, so it reaches the DDL byte for byte.
 */
final class SqliteCreateStatements {

    private SqliteCreateStatements() {
    }

    /** A CHECK constraint: its name, or null, and its expression as written. */
    record Check(String name, String expression) {
    }

    static List<Check> checks(String createTable) {
        List<Token> tokens = SqlLexer.tokenize(createTable);
        List<Check> out = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is(TokenType.LEFT_PAREN)) {
                depth++;
            } else if (t.is(TokenType.RIGHT_PAREN)) {
                depth--;
            } else if (depth == 1 && t.isKeyword("check") && i + 1 < tokens.size()
                    && tokens.get(i + 1).is(TokenType.LEFT_PAREN)) {
                int close = matching(tokens, i + 1);
                String name = i >= 2 && tokens.get(i - 2).isKeyword("constraint") ? name(createTable, tokens.get(i - 1))
                        : null;
                int end = close < 0 ? createTable.length() : tokens.get(close).start();
                out.add(new Check(name, createTable.substring(tokens.get(i + 1).end(), end).strip()));
                i = close < 0 ? tokens.size() : close;
            }
        }
        return out;
    }

    static boolean autoincrement(String createTable) {
        return SqlLexer.tokenize(createTable).stream().anyMatch(t -> t.isKeyword("autoincrement"));
    }

    /** The predicate of {@code CREATE INDEX ... WHERE predicate}, or null. */
    static String indexWhere(String createIndex) {
        if (createIndex == null) {
            return null;
        }
        int depth = 0;
        for (Token t : SqlLexer.tokenize(createIndex)) {
            if (t.is(TokenType.LEFT_PAREN)) {
                depth++;
            } else if (t.is(TokenType.RIGHT_PAREN)) {
                depth--;
            } else if (depth == 0 && t.isKeyword("where")) {
                return createIndex.substring(t.end()).strip().replaceAll(";\\s*$", "");
            }
        }
        return null;
    }

    private static int matching(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).is(TokenType.LEFT_PAREN)) {
                depth++;
            } else if (tokens.get(i).is(TokenType.RIGHT_PAREN) && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** A name as written: a bare one keeps its case (the lexer folds it), a quoted one loses its quotes. */
    private static String name(String sql, Token t) {
        return t.is(TokenType.QUOTED_IDENTIFIER) ? t.text() : t.raw(sql);
    }
}
