package tandem.adapters.sqlite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tandem.core.sql.Classification;
import tandem.core.sql.TableRef;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;

/**
 * Finds the column a value in a statement meets, as PostgreSQL's parser does when it gives an
 * untyped literal or parameter the type of its context: the column it is compared with
 * ({@code col = $1}, {@code 'x' < t.col}, {@code col IN ('a', 'b')}, {@code col BETWEEN $1 AND $2}),
 * or assigned to ({@code INSERT INTO t (col) VALUES ($1)}, {@code SET col = 'x'}); the same for
 * the keyword DEFAULT in those places.
 */
final class ColumnContext {

    /** The declared columns of the store's tables. */
    interface Schema {
        /** Column name (lower case) → column, in declaration order; empty for an unknown table. */
        Map<String, SqliteStore.TableColumn> columns(String table);
    }

    private static final Set<String> COMPARISONS = Set.of("=", "<", ">", "<=", ">=", "<>", "!=");

    private final List<Token> tokens;
    private final String sql;
    private final Schema schema;
    private final List<String> tables = new ArrayList<>();
    private final Map<String, String> aliases = new HashMap<>();
    private final int[] match;
    /** Token index of a value in INSERT ... VALUES → its column. */
    private final Map<Integer, SqliteStore.TableColumn> insertTargets = new HashMap<>();

    ColumnContext(Translation t, Classification c, Schema schema) {
        this.tokens = t.tokens();
        this.sql = t.source();
        this.schema = schema;
        this.match = Operands.matchGroups(tokens);
        for (TableRef ref : c.writeTables()) {
            tables.add(ref.name());
        }
        for (TableRef ref : c.readTables()) {
            if (!tables.contains(ref.name())) {
                tables.add(ref.name());
            }
        }
        findAliases();
        findInsertTargets();
    }

    /** The declared type of the column the value at token {@code p} meets, or null when there is none. */
    String declaredTypeAt(int p) {
        SqliteStore.TableColumn column = columnAt(p);
        return column == null ? null : column.declaredType();
    }

    /** The column the value at token {@code p} of {@code INSERT ... VALUES} goes to, or null. */
    SqliteStore.TableColumn insertTargetAt(int p) {
        return insertTargets.get(p);
    }

    /** The column the value at token {@code p} is compared with or assigned to, or null. */
    SqliteStore.TableColumn columnAt(int p) {
        SqliteStore.TableColumn insert = insertTargets.get(p);
        if (insert != null) {
            return insert;
        }
        if (isComparison(p - 1)) {
            SqliteStore.TableColumn left = columnEndingAt(p - 2);
            if (left != null) {
                return left;
            }
        }
        if (isComparison(p + 1)) {
            SqliteStore.TableColumn right = columnStartingAt(p + 2);
            if (right != null) {
                return right;
            }
        }
        int open = enclosingParen(p);
        if (open > 0 && isKeyword(open - 1, "in") && onlyValues(open)) {
            return columnEndingAt(isKeyword(open - 2, "not") ? open - 3 : open - 2);
        }
        for (int k = p - 1; k >= 0 && k >= p - 4; k--) {
            if (isKeyword(k, "between")) {
                return columnEndingAt(isKeyword(k - 1, "not") ? k - 2 : k - 1);
            }
            if (!isKeyword(k, "and") && !isKeyword(k, "symmetric") && tokens.get(k).type() != TokenType.PARAMETER
                    && !tokens.get(k).type().isString() && tokens.get(k).type() != TokenType.NUMBER) {
                break;
            }
        }
        return null;
    }

    /** Whether the parenthesised list at {@code open} holds values, not a subquery. */
    private boolean onlyValues(int open) {
        return !isKeyword(open + 1, "select") && !isKeyword(open + 1, "with") && !isKeyword(open + 1, "values");
    }

    /** INSERT INTO t [(a, b)] VALUES (v1, v2), (...): each single-token value takes its column's type. */
    private void findInsertTargets() {
        int into = -1;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isKeyword("insert") && tokens.get(i + 1).isKeyword("into")) {
                into = i + 2;
                break;
            }
        }
        if (into < 0 || into >= tokens.size() || !tokens.get(into).type().isName()) {
            return;
        }
        int j = into + 1;
        String table = tokens.get(into).text();
        while (is(j, TokenType.DOT) && j + 1 < tokens.size()) {
            table = tokens.get(j + 1).text();
            j += 2;
        }
        if (isKeyword(j, "as")) {
            j += 2;
        }
        Map<String, SqliteStore.TableColumn> declared = schema.columns(table);
        List<String> columns = new ArrayList<>();
        if (is(j, TokenType.LEFT_PAREN)) {
            int close = match[j];
            for (int k = j + 1; k < close; k++) {
                if (tokens.get(k).type().isName()) {
                    columns.add(tokens.get(k).text().toLowerCase(Locale.ROOT));
                }
            }
            j = close + 1;
        } else {
            columns.addAll(declared.keySet());
        }
        if (!isKeyword(j, "values")) {
            return;
        }
        j++;
        while (is(j, TokenType.LEFT_PAREN)) {
            int close = match[j];
            int position = 0;
            int itemStart = j + 1;
            for (int k = j + 1; k <= close; k++) {
                Token t = tokens.get(k);
                if (t.type() == TokenType.LEFT_PAREN) {
                    k = match[k];
                    continue;
                }
                if (t.type() == TokenType.COMMA || k == close) {
                    if (k - itemStart == 1 && position < columns.size()) {
                        SqliteStore.TableColumn column = declared.get(columns.get(position));
                        if (column != null) {
                            insertTargets.put(itemStart, column);
                        }
                    }
                    position++;
                    itemStart = k + 1;
                }
            }
            j = close + 1;
            if (!is(j, TokenType.COMMA)) {
                break;
            }
            j++;
        }
    }

    /** The (qualified) column whose last token is at k. */
    /** The table column whose (qualified) name ends at token {@code k}, or null. */
    SqliteStore.TableColumn columnEndingAt(int k) {
        if (k < 0 || !tokens.get(k).type().isName() || is(k + 1, TokenType.LEFT_PAREN)) {
            return null;
        }
        String qualifier = is(k - 1, TokenType.DOT) && k >= 2 && tokens.get(k - 2).type().isName()
                ? tokens.get(k - 2).text() : null;
        return column(qualifier, tokens.get(k).text());
    }

    private SqliteStore.TableColumn columnStartingAt(int k) {
        if (k >= tokens.size() || !tokens.get(k).type().isName()) {
            return null;
        }
        if (is(k + 1, TokenType.DOT) && k + 2 < tokens.size() && tokens.get(k + 2).type().isName()) {
            return is(k + 3, TokenType.LEFT_PAREN) ? null : column(tokens.get(k).text(), tokens.get(k + 2).text());
        }
        if (is(k + 1, TokenType.LEFT_PAREN)) {
            return null;
        }
        return column(null, tokens.get(k).text());
    }

    private SqliteStore.TableColumn column(String qualifier, String column) {
        String name = column.toLowerCase(Locale.ROOT);
        if (qualifier != null) {
            return schema.columns(aliases.getOrDefault(qualifier, qualifier)).get(name);
        }
        SqliteStore.TableColumn found = null;
        for (String table : tables) {
            SqliteStore.TableColumn declared = schema.columns(table).get(name);
            if (declared != null) {
                if (found != null) {
                    return null; // ambiguous: PostgreSQL would say so, SQLite will
                }
                found = declared;
            }
        }
        return found;
    }

    /** {@code FROM users u}, {@code JOIN content AS c}: alias → table. */
    private void findAliases() {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.type().isName() || !tables.contains(t.text()) || is(i + 1, TokenType.DOT)
                    || is(i + 1, TokenType.LEFT_PAREN) || is(i - 1, TokenType.DOT)) {
                continue;
            }
            int a = isKeyword(i + 1, "as") ? i + 2 : i + 1;
            if (a < tokens.size() && tokens.get(a).type().isName() && !isClauseWord(tokens.get(a))) {
                aliases.put(tokens.get(a).text(), t.text());
            }
        }
    }

    private static boolean isClauseWord(Token t) {
        if (t.type() != TokenType.IDENTIFIER) {
            return false;
        }
        return switch (t.text()) {
            case "where", "join", "inner", "left", "right", "full", "cross", "natural", "on", "using", "set", "group",
                    "order", "limit", "offset", "union", "values", "select", "returning", "default", "as", "window",
                    "having", "for", "except", "intersect", "do", "lateral" -> true;
            default -> false;
        };
    }

    private int enclosingParen(int p) {
        int depth = 0;
        for (int k = p - 1; k >= 0; k--) {
            TokenType type = tokens.get(k).type();
            if (type == TokenType.RIGHT_PAREN) {
                depth++;
            } else if (type == TokenType.LEFT_PAREN) {
                if (depth == 0) {
                    return k;
                }
                depth--;
            }
        }
        return -1;
    }

    private boolean isComparison(int i) {
        return i >= 0 && i < tokens.size() && tokens.get(i).type() == TokenType.OPERATOR
                && COMPARISONS.contains(tokens.get(i).raw(sql));
    }

    private boolean is(int i, TokenType type) {
        return i >= 0 && i < tokens.size() && tokens.get(i).type() == type;
    }

    private boolean isKeyword(int i, String word) {
        return i >= 0 && i < tokens.size() && tokens.get(i).isKeyword(word);
    }
}
