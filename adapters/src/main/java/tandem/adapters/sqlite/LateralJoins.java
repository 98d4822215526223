package tandem.adapters.sqlite;

import java.util.List;

import tandem.core.sql.SqlLexer;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;

/**
 * {@code LEFT JOIN LATERAL (SELECT x AS data ...) a ON true} as SQLite can run it: the subquery
 * moved to where {@code a.data} is read, as a correlated scalar subquery. SQLite has no LATERAL;
 * this is the shape ORMs generate for nested results (Drizzle's relational queries: one
 * {@code json_agg(...)} or one row under {@code LIMIT}), and for a subquery that yields at most
 * one row the two mean the same: no row reads as NULL, as the LEFT JOIN's would. Other lateral
 * joins are left as written, and SQLite refuses them.
 */
final class LateralJoins {

    private LateralJoins() {
    }

    /** The statement with every lateral join of that shape inlined; the same text when there is none. */
    static String inline(String sql) {
        if (!containsLateral(sql)) {
            return sql;
        }
        String out = sql;
        for (int guard = 0; guard < 100; guard++) {
            String next = inlineFirst(out);
            if (next == null) {
                return out;
            }
            out = next;
        }
        return out;
    }

    private static boolean containsLateral(String sql) {
        return sql.toLowerCase(java.util.Locale.ROOT).contains("lateral");
    }

    /** The statement with its first inlinable lateral join inlined, or null when there is none. */
    private static String inlineFirst(String sql) {
        List<Token> t = SqlLexer.tokenize(sql);
        int[] match = Operands.matchGroups(t);
        for (int i = 0; i + 1 < t.size(); i++) {
            if (!t.get(i).isKeyword("lateral") || t.get(i + 1).type() != TokenType.LEFT_PAREN) {
                continue;
            }
            int joinStart = joinStart(t, i);
            int open = i + 1;
            int close = t.get(match[open]).type() == TokenType.RIGHT_PAREN ? match[open] : -1;
            if (joinStart < 0 || close < 0 || close + 1 >= t.size()) {
                continue;
            }
            int aliasAt = close + 1;
            if (t.get(aliasAt).isKeyword("as")) {
                aliasAt++;
            }
            if (aliasAt + 2 >= t.size() || !t.get(aliasAt).type().isName() || !t.get(aliasAt + 1).isKeyword("on")
                    || !t.get(aliasAt + 2).isKeyword("true")) {
                continue;
            }
            String alias = t.get(aliasAt).text();
            String subquery = sql.substring(t.get(open + 1).start(), t.get(close - 1).end());
            String column = singleColumn(subquery);
            if (column == null || !atMostOneRow(subquery)) {
                continue;
            }
            subquery = guardLimits(subquery);
            // the join goes; each alias.column elsewhere becomes the subquery
            StringBuilder out = new StringBuilder();
            int copied = 0;
            int joinEnd = t.get(aliasAt + 2).end();
            for (int k = 0; k + 2 < t.size(); k++) {
                if (k >= joinStart && k <= aliasAt + 2) {
                    continue;
                }
                if (t.get(k).type().isName() && t.get(k).text().equals(alias) && t.get(k + 1).type() == TokenType.DOT
                        && t.get(k + 2).type().isName() && t.get(k + 2).text().equals(column)
                        && (k == 0 || t.get(k - 1).type() != TokenType.DOT)) {
                    out.append(sql, copied, t.get(k).start()).append('(').append(subquery).append(')');
                    copied = t.get(k + 2).end();
                }
            }
            String before = out.append(sql, copied, sql.length()).toString();
            if (copied <= t.get(joinStart).start()) {
                // every reference lies before the join: cut the join out of what follows them
                int shift = before.length() - sql.length();
                return before.substring(0, t.get(joinStart).start() + shift) + before.substring(joinEnd + shift);
            }
            return null; // a reference after the join (in ON or WHERE): not the shape this handles
        }
        return null;
    }

    /** Where the join starts: LEFT [OUTER] JOIN, [INNER] JOIN or CROSS JOIN before LATERAL. */
    private static int joinStart(List<Token> t, int lateral) {
        int j = lateral - 1;
        if (j < 0 || !t.get(j).isKeyword("join")) {
            return -1;
        }
        j--;
        if (j >= 0 && t.get(j).isKeyword("outer")) {
            j--;
        }
        if (j >= 0 && (t.get(j).isKeyword("left") || t.get(j).isKeyword("inner") || t.get(j).isKeyword("cross"))) {
            return j;
        }
        return j + 1;
    }

    /** The alias of the subquery's only result column ({@code SELECT expr AS name FROM ...}), or null. */
    private static String singleColumn(String subquery) {
        List<Token> t = SqlLexer.tokenize(subquery);
        if (t.isEmpty() || !t.get(0).isKeyword("select")) {
            return null;
        }
        int depth = 0;
        for (int i = 1; i < t.size(); i++) {
            TokenType type = t.get(i).type();
            if (type == TokenType.LEFT_PAREN) {
                depth++;
            } else if (type == TokenType.RIGHT_PAREN) {
                depth--;
            } else if (depth == 0 && type == TokenType.COMMA) {
                return null;
            } else if (depth == 0 && t.get(i).isKeyword("from")) {
                return i >= 3 && t.get(i - 2).isKeyword("as") && t.get(i - 1).type().isName() ? t.get(i - 1).text() : null;
            }
        }
        return null;
    }

    /** An aggregate over the rows (json_agg and friends), or a LIMIT 1 (or a parameter) somewhere inside. */
    private static boolean atMostOneRow(String subquery) {
        List<Token> t = SqlLexer.tokenize(subquery);
        for (int i = 0; i + 1 < t.size(); i++) {
            Token k = t.get(i);
            if (k.type() == TokenType.IDENTIFIER && t.get(i + 1).type() == TokenType.LEFT_PAREN && switch (k.text()) {
                case "json_agg", "jsonb_agg", "count", "array_agg", "json_object_agg", "jsonb_object_agg" -> true;
                default -> false;
            }) {
                return true;
            }
            if (k.isKeyword("limit") && (t.get(i + 1).type() == TokenType.PARAMETER
                    || t.get(i + 1).raw(subquery).equals("1"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code LIMIT $n} as {@code LIMIT tandem_one_row($n)}: a value above 1 fails instead of reading one row of several. */
    private static String guardLimits(String subquery) {
        List<Token> t = SqlLexer.tokenize(subquery);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).isKeyword("limit") && t.get(i + 1).type() == TokenType.PARAMETER) {
                Token parameter = t.get(i + 1);
                out.append(subquery, copied, parameter.start()).append("tandem_one_row(").append(parameter.raw(subquery))
                        .append(')');
                copied = parameter.end();
            }
        }
        return out.append(subquery, copied, subquery.length()).toString();
    }
}
