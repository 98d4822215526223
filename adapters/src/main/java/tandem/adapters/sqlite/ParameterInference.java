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
import tandem.core.type.PgType;

/**
 * Types the parameters a client left unspecified (OID 0, as node-postgres and Drizzle send every
 * parameter) from where they appear, as PostgreSQL's parser would: {@code $1::int} is an integer,
 * {@code INSERT INTO t (done) VALUES ($1)} and {@code WHERE done = $1} take the column's declared
 * type, LIMIT and OFFSET take bigint, LIKE takes text. Everything else is text.
 *
 * <p>It matters for more than Describe: a boolean sent as the text {@code true} must be stored
 * as 1, and a timestamp sent as {@code 2024-01-15T10:30:00.000Z} as tandem's timestamp text.
 */
final class ParameterInference {

    /** The columns of a table by lower-case name, or an empty map. */
    interface Schema {
        Map<String, String> columns(String table);

        List<String> columnOrder(String table);
    }

    private static final Set<String> COMPARISONS = Set.of("=", "<", ">", "<=", ">=", "<>", "!=");

    private final List<Token> tokens;
    private final String sql;
    private final Schema schema;
    private final List<String> tables = new ArrayList<>();
    private final Map<String, String> aliases = new HashMap<>();
    private final int[] match;

    private ParameterInference(Translation t, Classification c, Schema schema) {
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
    }

    /**
     * @param declared what the client declared, null where it left the type open; may be shorter
     *     or longer than the statement's parameter count
     */
    static List<PgType> infer(Translation t, Classification c, List<PgType> declared, Schema schema) {
        int count = Math.max(t.parameterCount(), declared.size());
        PgType[] types = new PgType[count];
        for (int i = 0; i < declared.size(); i++) {
            types[i] = declared.get(i);
        }
        boolean open = false;
        for (PgType type : types) {
            open |= type == null;
        }
        if (open) {
            t.castParameters().forEach((n, cast) -> {
                if (n <= count && types[n - 1] == null) {
                    types[n - 1] = cast.type();
                }
            });
            new ParameterInference(t, c, schema).fromContext(types);
        }
        List<PgType> out = new ArrayList<>(count);
        for (PgType type : types) {
            out.add(type == null ? PgType.TEXT : type);
        }
        return out;
    }

    private void fromContext(PgType[] types) {
        insertValues(types);
        for (int p = 0; p < tokens.size(); p++) {
            Token t = tokens.get(p);
            if (t.type() != TokenType.PARAMETER || !t.raw(sql).startsWith("$")) {
                continue;
            }
            int n = Integer.parseInt(t.raw(sql).substring(1));
            if (n > types.length || types[n - 1] != null) {
                continue;
            }
            types[n - 1] = fromNeighbours(p);
        }
    }

    /** The type a parameter at token p takes from what surrounds it, or null. */
    private PgType fromNeighbours(int p) {
        if (isKeyword(p - 1, "limit") || isKeyword(p - 1, "offset")) {
            return PgType.INT8;
        }
        if (isKeyword(p - 1, "like") || isKeyword(p - 1, "ilike")) {
            return PgType.TEXT;
        }
        if (isComparison(p - 1)) {
            PgType left = columnEndingAt(p - 2);
            if (left != null) {
                return left;
            }
        }
        if (isComparison(p + 1)) {
            PgType right = columnStartingAt(p + 2);
            if (right != null) {
                return right;
            }
        }
        // col [NOT] IN ($1, $2, ...)
        int open = enclosingParen(p);
        if (open > 0 && isKeyword(open - 1, "in")) {
            int before = isKeyword(open - 2, "not") ? open - 3 : open - 2;
            return columnEndingAt(before);
        }
        // col BETWEEN $1 AND $2
        for (int k = p - 1; k >= 0 && k >= p - 8; k--) {
            if (isKeyword(k, "between")) {
                return columnEndingAt(isKeyword(k - 1, "not") ? k - 2 : k - 1);
            }
        }
        return null;
    }

    /** INSERT INTO t [(a, b)] VALUES ($1, $2), (...): each parameter takes its column's type. */
    private void insertValues(PgType[] types) {
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
            columns.addAll(schema.columnOrder(table));
        }
        if (!isKeyword(j, "values")) {
            return;
        }
        Map<String, String> declared = schema.columns(table);
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
                    if (k - itemStart == 1 && tokens.get(itemStart).type() == TokenType.PARAMETER
                            && position < columns.size()) {
                        assign(types, itemStart, declared.get(columns.get(position)));
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

    private void assign(PgType[] types, int token, String declaredType) {
        String raw = tokens.get(token).raw(sql);
        if (!raw.startsWith("$") || declaredType == null) {
            return;
        }
        int n = Integer.parseInt(raw.substring(1));
        if (n <= types.length && types[n - 1] == null) {
            types[n - 1] = typeOf(declaredType);
        }
    }

    /** The declared type of the (qualified) column name whose last token is at k. */
    private PgType columnEndingAt(int k) {
        if (k < 0 || !tokens.get(k).type().isName()) {
            return null;
        }
        String column = tokens.get(k).text();
        String qualifier = is(k - 1, TokenType.DOT) && k >= 2 && tokens.get(k - 2).type().isName()
                ? tokens.get(k - 2).text() : null;
        return column(qualifier, column);
    }

    private PgType columnStartingAt(int k) {
        if (k >= tokens.size() || !tokens.get(k).type().isName()) {
            return null;
        }
        if (is(k + 1, TokenType.DOT) && k + 2 < tokens.size() && tokens.get(k + 2).type().isName()) {
            return column(tokens.get(k).text(), tokens.get(k + 2).text());
        }
        if (is(k + 1, TokenType.LEFT_PAREN)) {
            return null;
        }
        return column(null, tokens.get(k).text());
    }

    private PgType column(String qualifier, String column) {
        String name = column.toLowerCase(Locale.ROOT);
        if (qualifier != null) {
            String table = aliases.getOrDefault(qualifier, qualifier);
            String declared = schema.columns(table).get(name);
            return declared == null ? null : typeOf(declared);
        }
        String found = null;
        for (String table : tables) {
            String declared = schema.columns(table).get(name);
            if (declared != null) {
                if (found != null) {
                    return null; // ambiguous
                }
                found = declared;
            }
        }
        return found == null ? null : typeOf(found);
    }

    private static PgType typeOf(String declaredType) {
        ColumnType type = TypeNames.declared(declaredType);
        return type.basis() == ColumnType.Basis.UNKNOWN ? null : type.type();
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
