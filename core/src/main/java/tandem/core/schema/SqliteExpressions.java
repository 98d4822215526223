package tandem.core.schema;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tandem.core.sql.SqlLexer;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;

/**
 * Carries SQLite expressions (CHECK constraints, DEFAULTs, the WHERE of a partial index) over to
 * PostgreSQL verbatim where they mean the same there, and says why not where they use what only
 * SQLite has: its functions (typeof, glob, json_valid, datetime, ifnull, iif...), the GLOB, REGEXP
 * and MATCH operators, IS between two values, [bracketed] or `backticked` names, a double-quoted
 * string, or a boolean column compared with numbers (SQLite's booleans are 0 and 1, PostgreSQL has
 * no boolean = integer). The only rewrite is {@code ==} to {@code =}, which means the same.
 *
 * <p>This is a screen, not a parser: an expression that passes it is still checked by PostgreSQL
 * when the DDL is applied, in the same transaction, so nothing wrong is created silently.
 */
public final class SqliteExpressions {

    private static final Set<String> SQLITE_FUNCTIONS = Set.of("typeof", "glob", "json_valid", "json_type",
            "json_extract", "json_array_length", "json", "datetime", "date", "time", "julianday", "strftime", "unixepoch",
            "ifnull", "iif", "instr", "printf", "format", "hex", "unhex", "unicode", "char", "zeroblob", "randomblob",
            "likely", "unlikely", "likelihood", "total", "group_concat", "quote", "soundex", "sqlite_version",
            "last_insert_rowid", "changes", "total_changes", "octet_length", "substr", "trim", "ltrim", "rtrim",
            "round", "max", "min");
    /** Of the functions above, those PostgreSQL has with the same meaning for the arguments SQLite takes. */
    private static final Set<String> SHARED_FUNCTIONS = Set.of("substr", "trim", "ltrim", "rtrim", "octet_length",
            "round", "max", "min");
    private static final Set<String> SQLITE_OPERATORS = Set.of("glob", "regexp", "match");
    private static final Set<String> AFTER_IS = Set.of("null", "not", "true", "false", "unknown", "distinct");

    private SqliteExpressions() {
    }

    /** An expression in PostgreSQL's syntax, or the reason it stays behind ({@code sql} is then the original). */
    public record Translation(String sql, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * @param columnTypes the table's columns (lower case) with their new PostgreSQL types, to tell
     *     names from SQLite's double-quoted strings and to find booleans compared with numbers
     */
    public static Translation toPostgres(String expression, Map<String, PgTypeKind> columnTypes) {
        List<Token> tokens = SqlLexer.tokenize(expression);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        boolean booleanColumn = false;
        boolean number = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String word = lower(t);
            boolean call = i + 1 < tokens.size() && tokens.get(i + 1).is(TokenType.LEFT_PAREN);
            switch (t.type()) {
                case IDENTIFIER -> {
                    if (call && SQLITE_FUNCTIONS.contains(word) && !SHARED_FUNCTIONS.contains(word)) {
                        return refused(expression, "SQLite's function " + word + "()");
                    }
                    if (SQLITE_OPERATORS.contains(word)) {
                        return refused(expression, "SQLite's " + word.toUpperCase(Locale.ROOT) + " operator");
                    }
                    if (word.equals("is") && i + 1 < tokens.size()
                            && !AFTER_IS.contains(lower(tokens.get(i + 1)))) {
                        return refused(expression, "IS between two values (PostgreSQL: IS NOT DISTINCT FROM)");
                    }
                    booleanColumn |= columnTypes.get(word) == PgTypeKind.BOOLEAN;
                }
                case QUOTED_IDENTIFIER -> {
                    PgTypeKind kind = columnTypes.get(word);
                    if (kind == null) {
                        return refused(expression, "\"" + t.text() + "\", which names no column, so SQLite reads it as "
                                + "a string");
                    }
                    booleanColumn |= kind == PgTypeKind.BOOLEAN;
                }
                case NUMBER -> number = true;
                case OPERATOR -> {
                    if (t.raw(expression).equals("==")) {
                        out.append(expression, copied, t.start()).append('=');
                        copied = t.end();
                    }
                }
                default -> {
                }
            }
            if (t.is(TokenType.LEFT_BRACKET) || t.is(TokenType.UNKNOWN) || t.is(TokenType.UNTERMINATED)) {
                // [name] and `name` are SQLite's other quotes
                return refused(expression, "SQLite's quoting or syntax at '" + t.raw(expression) + "'");
            }
        }
        if (booleanColumn && number) {
            return refused(expression, "a boolean column compared with numbers (SQLite keeps booleans as 0 and 1)");
        }
        out.append(expression, copied, expression.length());
        return new Translation(out.toString().strip(), null);
    }

    /** The kinds of column type the screen needs to know. */
    public enum PgTypeKind { BOOLEAN, OTHER }

    /** A name or keyword in lower case; punctuation has no text. */
    private static String lower(Token t) {
        return t.text() == null ? "" : t.text().toLowerCase(Locale.ROOT);
    }

    private static Translation refused(String expression, String why) {
        return new Translation(expression.strip(), "uses " + why);
    }

    /**
     * A column's DEFAULT as {@code PRAGMA table_info} gives it ({@code 0}, {@code 'x'},
     * {@code CURRENT_TIMESTAMP}, {@code (datetime('now'))}), for a column of type {@code type}.
     *
     * @return the PostgreSQL default, or a translation with the problem; null for no default
     */
    public static Translation defaultValue(String sqliteDefault, PostgresTypeName type,
            Map<String, PgTypeKind> columnTypes) {
        if (sqliteDefault == null || sqliteDefault.isBlank() || sqliteDefault.strip().equalsIgnoreCase("null")) {
            return null;
        }
        String d = sqliteDefault.strip();
        boolean bool = type.valueType() == tandem.core.type.PgType.BOOL;
        if (bool && d.matches("'?[01]'?")) {
            return new Translation(d.contains("1") ? "true" : "false", null);
        }
        if (d.matches("[xX]'[0-9a-fA-F]*'")) {
            return new Translation("'\\x" + d.substring(2, d.length() - 1).toLowerCase(Locale.ROOT) + "'::bytea", null);
        }
        if (d.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?") || d.matches("'([^']|'')*'")) {
            return new Translation(d, null);
        }
        return toPostgres(d, columnTypes);
    }
}
