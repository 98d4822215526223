package tandem.core.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a simple-protocol Query string into its statements on top-level semicolons.
 *
 * <p>A semicolon splits only outside quotes, comments and dollar quotes (the lexer takes care of
 * those), outside parentheses, and outside the {@code BEGIN ATOMIC ... END} body of a
 * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}. The body rule is psql's heuristic, so tandem
 * splits exactly where psql does: in such a statement, at parenthesis depth zero, {@code BEGIN}
 * opens a block, {@code CASE} opens one when already inside a block, and {@code END} closes one.
 *
 * <p>Statements that hold no token at all (only whitespace, comments or semicolons) are dropped:
 * PostgreSQL answers a Query with no statement with EmptyQueryResponse, which the caller sees as an
 * empty list. Each statement is the exact source text between its separators, trimmed of
 * surrounding whitespace; comments, leading ones included, are kept, since they may carry
 * application tags.
 */
public final class StatementSplitter {

    /** Where one statement lies in the source, {@code end} exclusive. */
    public record Range(int start, int end) {
        public String of(String sql) {
            return sql.substring(start, end);
        }
    }

    private StatementSplitter() {
    }

    public static List<String> split(String sql) {
        return split(sql, true);
    }

    public static List<String> split(String sql, boolean standardConformingStrings) {
        List<Range> ranges = ranges(sql, standardConformingStrings);
        List<String> statements = new ArrayList<>(ranges.size());
        for (Range range : ranges) {
            statements.add(range.of(sql));
        }
        return statements;
    }

    public static List<Range> ranges(String sql) {
        return ranges(sql, true);
    }

    public static List<Range> ranges(String sql, boolean standardConformingStrings) {
        List<Range> ranges = new ArrayList<>(2);
        SqlLexer lexer = new SqlLexer(sql, standardConformingStrings);
        int segmentStart = 0;
        boolean hasToken = false;
        int parenDepth = 0;
        int beginDepth = 0;
        // psql's view of the statement head: first letters of CREATE/OR/REPLACE/FUNCTION/PROCEDURE
        // among its first four identifiers, enough to tell "CREATE [OR REPLACE] FUNCTION|PROCEDURE"
        char[] head = new char[4];
        int identifiers = 0;
        while (lexer.next()) {
            switch (lexer.type()) {
                case SEMICOLON -> {
                    if (parenDepth == 0 && beginDepth == 0) {
                        if (hasToken) {
                            ranges.add(trimmed(sql, segmentStart, lexer.start()));
                        }
                        segmentStart = lexer.end();
                        hasToken = false;
                        identifiers = 0;
                        head[0] = head[1] = head[2] = head[3] = 0;
                        continue;
                    }
                }
                case LEFT_PAREN -> parenDepth++;
                case RIGHT_PAREN -> {
                    if (parenDepth > 0) {
                        parenDepth--;
                    }
                }
                case IDENTIFIER -> {
                    if (identifiers < head.length) {
                        head[identifiers] = headLetter(lexer);
                    }
                    identifiers++;
                    if (parenDepth == 0 && definesRoutine(head)) {
                        if (lexer.isKeyword("begin")) {
                            beginDepth++;
                        } else if (lexer.isKeyword("case")) {
                            if (beginDepth > 0) {
                                beginDepth++;
                            }
                        } else if (lexer.isKeyword("end") && beginDepth > 0) {
                            beginDepth--;
                        }
                    }
                }
                default -> {
                }
            }
            hasToken = true;
        }
        if (hasToken) {
            ranges.add(trimmed(sql, segmentStart, sql.length()));
        }
        return ranges;
    }

    private static char headLetter(SqlLexer lexer) {
        if (lexer.isKeyword("create")) {
            return 'c';
        }
        if (lexer.isKeyword("or")) {
            return 'o';
        }
        if (lexer.isKeyword("replace")) {
            return 'r';
        }
        if (lexer.isKeyword("function")) {
            return 'f';
        }
        if (lexer.isKeyword("procedure")) {
            return 'p';
        }
        return 0;
    }

    private static boolean definesRoutine(char[] head) {
        return head[0] == 'c'
                && (head[1] == 'f' || head[1] == 'p'
                        || (head[1] == 'o' && head[2] == 'r' && (head[3] == 'f' || head[3] == 'p')));
    }

    private static Range trimmed(String sql, int from, int to) {
        while (from < to && isSpace(sql.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(sql.charAt(to - 1))) {
            to--;
        }
        return new Range(from, to);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }
}
