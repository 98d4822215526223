package tandem.adapters.sqlite;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.sql.Classification;
import tandem.core.sql.SqlLexer;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;
import tandem.core.sql.TransactionControl;
import tandem.core.store.SqlSession.Column;
import tandem.core.type.PgType;

/**
 * Turns a statement's text into a {@link SqliteStatement}: decides whether the session answers it
 * itself (transaction control, SET, SHOW, ...) or SQLite runs it, translates it, and for SQLite
 * statements learns from a prepared SQLite statement what Describe reports: parameter types
 * (declared, or inferred from the columns they meet), and result columns named and typed as
 * PostgreSQL would.
 */
final class StatementPreparer {

    private final SqliteStore store;

    StatementPreparer(SqliteStore store) {
        this.store = store;
    }

    /** The statement when the session answers it without SQLite; null when it runs on SQLite. */
    SqliteStatement emulated(String sql, Classification c) {
        return switch (c.kind()) {
            case EMPTY -> SqliteStatement.emulated(sql, c, SqliteStatement.Kind.EMPTY, null, List.of());
            case TRANSACTION -> transactionStatement(sql, c);
            case SESSION -> sessionStatement(sql, c);
            default -> {
                if (c.command().equals("LOCK TABLE")) {
                    yield SqliteStatement.emulated(sql, c, SqliteStatement.Kind.LOCK, null, List.of());
                }
                if (c.command().equals("VACUUM") || c.command().equals("ANALYZE")) {
                    // maintenance PostgreSQL needs and SQLite does on its own (its statistics come with ANALYZE,
                    // which would scan every table each time pgbench asks): done, with PostgreSQL's tag
                    yield SqliteStatement.emulated(sql, c, SqliteStatement.Kind.NOTHING, null, List.of());
                }
                if (c.kind() == tandem.core.sql.StatementKind.DDL && SchemaTranslator.handles(c.command())) {
                    yield SqliteStatement.emulated(sql, c, SqliteStatement.Kind.SCHEMA, null, List.of());
                }
                if (c.command().equals("TRUNCATE TABLE")) {
                    checkTruncate(sql);
                    yield SqliteStatement.emulated(sql, c, SqliteStatement.Kind.TRUNCATE, null, List.of());
                }
                yield null;
            }
        };
    }

    /** The SQLite translation of a statement that runs on SQLite; refuses what SQLite cannot mean. */
    Translation translate(String sql, Classification c, List<PgType> declared) {
        for (PgType type : declared) {
            if (type != null && type.isArray()) {
                throw Refusals.arrays("a parameter of type " + type.sqlName());
            }
        }
        return store.translator().translate(sql, c);
    }

    private static SqliteStatement transactionStatement(String sql, Classification c) {
        TransactionControl tc = c.transaction();
        switch (tc.command()) {
            case PREPARE_TRANSACTION, COMMIT_PREPARED, ROLLBACK_PREPARED -> throw Refusals.twoPhaseCommit();
            default -> {
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.TRANSACTION, null, List.of());
            }
        }
    }

    private static SqliteStatement sessionStatement(String sql, Classification c) {
        String command = c.command();
        switch (command) {
            case "SET", "RESET" -> {
                if (c.set() == null) {
                    throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error in " + command + " statement");
                }
                if (!c.set().resetAll() && !c.set().reset() && !c.set().isDefault() && c.set().value() == null) {
                    throw Refusals.of("SET ... FROM CURRENT", "give the value: SET name = value");
                }
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.SET, null, List.of());
            }
            case "SHOW" -> {
                String name = showName(sql);
                if (name.equals("all")) {
                    return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.SHOW_ALL, null, List.of(
                            new Column("name", PgType.TEXT, 0, (short) 0), new Column("setting", PgType.TEXT, 0, (short) 0),
                            new Column("description", PgType.TEXT, 0, (short) 0)));
                }
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.SHOW, name,
                        List.of(new Column(SessionParameters.canonicalName(name), PgType.TEXT, 0, (short) 0)));
            }
            case "SET CONSTRAINTS" -> {
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.SET_CONSTRAINTS, constraintsMode(sql),
                        List.of());
            }
            case "DISCARD ALL" -> {
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.DISCARD_ALL, null, List.of());
            }
            case "DISCARD PLANS", "DISCARD SEQUENCES", "DISCARD TEMP", "DEALLOCATE ALL" -> {
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.NOTHING, null, List.of());
            }
            case "DEALLOCATE" -> throw new ProxyException(SqlState.INVALID_SQL_STATEMENT_NAME,
                    "prepared statement does not exist", null, "SQL-level PREPARE is not emulated on SQLite stores");
            case "LISTEN", "UNLISTEN", "NOTIFY" -> throw Refusals.notifications(command);
            case "PREPARE", "EXECUTE" -> throw Refusals.sqlPreparedStatements(command);
            case "DECLARE CURSOR", "CLOSE CURSOR", "CLOSE" -> throw Refusals.sqlCursors(command);
            default -> throw Refusals.of(command.isEmpty() ? "this statement" : command,
                    "SQLite stores emulate SET, RESET, SHOW and DISCARD ALL of PostgreSQL's session commands");
        }
    }

    /**
     * Prepares the translated statement on a connection to learn its columns and parameters, after
     * giving untyped literals and parameters the types of the columns they meet.
     */
    SqliteStatement describe(String sql, Classification c, Translation t, List<PgType> declared,
            ConnectionState state) throws SQLException {
        long schemaVersion = state.schemaVersion();
        ColumnContext context = new ColumnContext(t, c, table -> {
            Map<String, SqliteStore.TableColumn> out = new LinkedHashMap<>();
            for (SqliteStore.TableColumn column : store.columns(state, schemaVersion, table)) {
                out.put(column.name(), column);
            }
            return out;
        });
        List<PgType> parameterTypes = ParameterInference.infer(t, declared, context);
        String sqliteSql = coerceToColumns(t, c, context, parameterTypes);
        if (t.readsCatalogs()) {
            SqliteCatalogs.refresh(state.connection);
        }
        ConnectionState.Cached cached = state.statement(sqliteSql, schemaVersion);
        StatementShape shape;
        try {
            shape = cached.shape;
        } finally {
            state.release(cached);
        }
        int n = shape.columnCount();
        List<Translation.SelectItem> items = alignItems(t.items(), n);
        List<Column> columns = new ArrayList<>(n);
        List<ColumnType> types = new ArrayList<>(n);
        List<String> tables = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Translation.SelectItem item = items == null ? null : items.get(i);
            ColumnType declaredType = declaredType(shape, i, item, state, schemaVersion);
            ColumnType type;
            if (item != null && item.type() != null && item.type().basis() == ColumnType.Basis.EXPRESSION) {
                type = item.type();
            } else if (declaredType.basis() == ColumnType.Basis.DECLARED) {
                type = declaredType;
            } else if (item != null && item.parameter() > 0 && item.parameter() <= parameterTypes.size()) {
                type = ColumnType.expression(parameterTypes.get(item.parameter() - 1));
            } else if (item != null && item.type() != null) {
                type = item.type();
            } else {
                ColumnType schemaTyped = item == null ? null : ExpressionTypes.of(t.tokens(), t.source(), item.from(),
                        item.to(), token -> declaredColumnType(context.columnEndingAt(token)));
                type = schemaTyped != null ? schemaTyped : ColumnType.UNKNOWN;
            }
            String name = item != null && item.name() != null ? item.name()
                    : fallbackName(shape.names()[i], shape.tables()[i]);
            columns.add(new Column(name, type.type(), 0, (short) 0));
            types.add(type);
            tables.add(shape.tables()[i]);
        }
        return new SqliteStatement(sql, c, SqliteStatement.Kind.SQLITE, t, sqliteSql, parameterTypes, columns, types,
                tables, null);
    }

    /** A table column's type as declared (PostgreSQL's, for serial and identity columns), or null when SQLite's values decide. */
    private static ColumnType declaredColumnType(SqliteStore.TableColumn column) {
        if (column == null) {
            return null;
        }
        ColumnType type = column.pgType() != null ? ColumnType.declared(column.pgType(), -1)
                : TypeNames.declared(column.declaredType());
        return type.basis() == ColumnType.Basis.DECLARED ? type : null;
    }

    /**
     * Result column {@code i}'s declared type: the new store's for a column of one of its tables (a
     * client then sees the same types after a cutover), else what SQLite's declaration maps to. The
     * column is the item's when it names one ({@code p.views AS v}), else SQLite's name for it, and
     * is taken only when that table column's declaration is the one SQLite reports for the result.
     */
    private ColumnType declaredType(StatementShape shape, int i, Translation.SelectItem item, ConnectionState state,
            long schemaVersion) {
        String declaration = shape.declaredTypes()[i];
        ColumnType declared = TypeNames.declared(declaration);
        String table = shape.tables()[i];
        if (declared.basis() != ColumnType.Basis.DECLARED || table == null) {
            return declared;
        }
        String column = item != null && item.column() != null ? item.column() : shape.names()[i];
        if (column == null) {
            return declared;
        }
        PgType described = store.describedAs(table, column);
        for (SqliteStore.TableColumn c : store.columns(state, schemaVersion, table)) {
            if (c.name().equalsIgnoreCase(column)) {
                PgType type = described != null ? described : c.pgType();
                return type != null && declaration.equalsIgnoreCase(c.declaredType()) ? ColumnType.declared(type, -1)
                        : declared;
            }
        }
        return declared;
    }

    /**
     * What PostgreSQL does with a value's context that SQLite would not:
     * <ul>
     * <li>an untyped literal takes the type of the column it meets: {@code ref = 'B0EE...'} compares
     *     uuids, {@code active = 'true'} booleans, {@code INSERT ... VALUES ('2024-01-15T10:30Z')}
     *     into a timestamp column stores a timestamp; SQLite would compare and store the text as
     *     written, so such literals, and parameters the client sent as text, are cast to the column's type;
     * <li>DEFAULT in {@code INSERT ... VALUES} and {@code UPDATE ... SET} (Drizzle writes it for
     *     every column it leaves out), which SQLite does not know, becomes the column's DEFAULT
     *     expression, or NULL.
     * </ul>
     */
    private static String coerceToColumns(Translation t, Classification c, ColumnContext context,
            List<PgType> parameterTypes) {
        if (c.kind() == tandem.core.sql.StatementKind.DDL) {
            return t.sql();
        }
        Map<Integer, String> casts = new HashMap<>();
        Map<Integer, String> defaults = new HashMap<>();
        List<Token> tokens = t.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            SqliteStore.TableColumn generated = context.insertTargetAt(i);
            if (generated != null && "always".equals(generated.generated()) && !token.isKeyword("default")) {
                throw new ProxyException(SqlState.GENERATED_ALWAYS, "cannot insert a non-DEFAULT value into column \""
                        + generated.name() + "\"", "Column \"" + generated.name() + "\" is an identity column defined as "
                        + "GENERATED ALWAYS.", "Use OVERRIDING SYSTEM VALUE to override.");
            }
            if (token.isKeyword("default")) {
                SqliteStore.TableColumn column = context.columnAt(i);
                if (column != null) {
                    defaults.put(i, column.defaultValue() == null ? "NULL" : "(" + column.defaultValue() + ")");
                }
                continue;
            }
            boolean candidate;
            if (token.type().isString()) {
                candidate = true;
            } else if (token.type() == TokenType.PARAMETER && token.raw(t.source()).startsWith("$")) {
                int n = Integer.parseInt(token.raw(t.source()).substring(1));
                PgType type = n <= parameterTypes.size() ? parameterTypes.get(n - 1) : PgType.TEXT;
                candidate = type == PgType.TEXT || type == PgType.VARCHAR || type == PgType.BPCHAR
                        || type == PgType.UNKNOWN;
            } else {
                candidate = false;
            }
            if (!candidate || isCastOperand(tokens, i) || t.template().castsToken(i)) {
                continue;
            }
            CastTarget target = TypeNames.coercion(context.declaredTypeAt(i));
            if (target != null) {
                casts.put(i, target.function() + "(" + target.extraArguments() + ")");
            }
        }
        return casts.isEmpty() && defaults.isEmpty() ? t.sql() : t.template().render(casts, defaults);
    }

    /** {@code 'x'::type} and {@code CAST('x' AS type)}: the client typed the value already. */
    private static boolean isCastOperand(List<Token> tokens, int i) {
        boolean castAfter = i + 1 < tokens.size() && tokens.get(i + 1).type() == TokenType.CAST;
        boolean castCall = i >= 2 && i + 1 < tokens.size() && tokens.get(i + 1).isKeyword("as")
                && tokens.get(i - 1).type() == TokenType.LEFT_PAREN && tokens.get(i - 2).isKeyword("cast");
        return castAfter || castCall;
    }

    /**
     * The select items, one per result column: a single {@code *} stands for however many columns
     * the statement has beyond the other items; with more than one the columns cannot be told apart.
     */
    private static List<Translation.SelectItem> alignItems(List<Translation.SelectItem> items, int columns) {
        if (items == null) {
            return null;
        }
        long stars = items.stream().filter(i -> i == SelectItems.STAR).count();
        if (stars == 0) {
            return items.size() == columns ? items : null;
        }
        int expanded = columns - (items.size() - 1);
        if (stars > 1 || expanded < 0) {
            return null;
        }
        List<Translation.SelectItem> aligned = new ArrayList<>(columns);
        for (Translation.SelectItem item : items) {
            if (item == SelectItems.STAR) {
                for (int k = 0; k < expanded; k++) {
                    aligned.add(SelectItems.STAR);
                }
            } else {
                aligned.add(item);
            }
        }
        return aligned;
    }

    /**
     * SQLite's name for a column the text could not name: a table column's name, or for an
     * expression its text, which would show tandem's translation; PostgreSQL says ?column?.
     */
    private static String fallbackName(String sqliteName, String table) {
        if (sqliteName == null) {
            return "?column?";
        }
        if (table != null && !table.isEmpty()) {
            return sqliteName;
        }
        for (int i = 0; i < sqliteName.length(); i++) {
            char c = sqliteName.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '$') {
                return "?column?";
            }
        }
        return sqliteName;
    }

    /** SHOW name, SHOW TIME ZONE, SHOW TRANSACTION ISOLATION LEVEL, SHOW ALL: the parameter, lower case. */
    private static String showName(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        StringBuilder words = new StringBuilder();
        for (int i = 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            switch (t.type()) {
                case IDENTIFIER, QUOTED_IDENTIFIER -> words.append(words.isEmpty() ? "" : " ").append(t.text());
                case DOT -> words.append('.');
                case SEMICOLON -> {
                }
                default -> throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + t.raw(sql)
                        + "\"");
            }
        }
        String name = words.toString().replace(" .", ".").replace(". ", ".");
        return switch (name) {
            case "" -> throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at end of input");
            case "time zone" -> "timezone";
            case "transaction isolation level" -> "transaction_isolation";
            case "session authorization" -> "session_authorization";
            default -> name.toLowerCase(Locale.ROOT);
        };
    }

    private static String constraintsMode(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        if (tokens.size() == 4 && tokens.get(2).isKeyword("all")
                && (tokens.get(3).isKeyword("deferred") || tokens.get(3).isKeyword("immediate"))) {
            return tokens.get(3).text();
        }
        throw Refusals.of("SET CONSTRAINTS for named constraints", "SQLite defers all foreign keys or none: SET "
                + "CONSTRAINTS ALL DEFERRED");
    }

    private static void checkTruncate(String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.contains("cascade")) {
            throw Refusals.of("TRUNCATE ... CASCADE", "truncate the referencing tables first, or declare the foreign "
                    + "keys ON DELETE CASCADE and use DELETE");
        }
    }

}
