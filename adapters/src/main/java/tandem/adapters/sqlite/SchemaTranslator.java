package tandem.adapters.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.sql.SqlLexer;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;

/**
 * Schema statements in PostgreSQL's dialect as the SQLite statements that give them the same
 * effect: what {@code pgbench -i}, ORMs' migrators and test setups send. Translated when they run
 * (not when prepared), against the schema as the writer sees it, since several depend on it
 * ({@code IF NOT EXISTS}, an unnamed index's free name, a schema that must exist).
 *
 * <ul>
 * <li>Types keep PostgreSQL's name where SQLite's affinity reads it the same way ({@code
 *     varchar(20)}, {@code numeric(10,2)}, {@code timestamptz}); {@code integer} is written
 *     {@code int4} and {@code real} {@code float4}, since a bare INTEGER or REAL in a SQLite schema
 *     means 64 bits ({@link TypeNames}).
 * <li>{@code serial}, {@code bigserial}, {@code smallserial} and {@code GENERATED ... AS IDENTITY}
 *     on the primary key become SQLite's {@code INTEGER PRIMARY KEY AUTOINCREMENT} (values never
 *     reused, as a sequence's); the PostgreSQL type and how the column is generated are kept in
 *     {@value #COLUMNS}, which the declaration INTEGER cannot carry. Elsewhere they are refused:
 *     SQLite generates values only for that key.
 * <li>Defaults: {@code now()}, {@code CURRENT_TIMESTAMP} and friends become SQLite's clock in
 *     the form tandem stores timestamps; {@code gen_random_uuid()} a random version-4 UUID made
 *     by SQLite; casts of constants are dropped (the column's affinity stores the value).
 * <li>{@code DROP TABLE a, b CASCADE}, {@code DROP INDEX a, b}: one statement each.
 * <li>{@code CREATE INDEX ON t (c)}: named as PostgreSQL names it ({@code t_c_idx}, then
 *     {@code t_c_idx1} ...); access methods other than btree and hash are refused, operator
 *     classes and {@code NULLS FIRST|LAST} dropped (they order, SQLite's index serves either way).
 * <li>A schema is a name prefix: table {@code t} of schema {@code s} is SQLite's table
 *     {@code "s.t"}, and {@code CREATE SCHEMA} records {@code s} in {@value #SCHEMAS}. One file
 *     keeps every schema, so a transaction stays atomic across them (attached databases would not
 *     be, in WAL mode). {@code public} is SQLite's main namespace.
 * <li>{@code WITH (fillfactor=...)} storage parameters are dropped.
 * </ul>
 */
final class SchemaTranslator {

    /** tandem's record of the columns whose PostgreSQL type SQLite's declaration cannot carry. */
    static final String COLUMNS = "tandem_columns";
    /** tandem's record of the schemas created through it. */
    static final String SCHEMAS = "tandem_schemas";

    private static final String CREATE_COLUMNS = "CREATE TABLE IF NOT EXISTS " + COLUMNS + " (table_name TEXT NOT NULL, "
            + "column_name TEXT NOT NULL, type TEXT NOT NULL, generated TEXT NOT NULL, "
            + "PRIMARY KEY (table_name, column_name)) WITHOUT ROWID";
    private static final String CREATE_SCHEMAS = "CREATE TABLE IF NOT EXISTS " + SCHEMAS
            + " (name TEXT PRIMARY KEY) WITHOUT ROWID";

    /** A timestamp as tandem's emulation stores one: UTC, microsecond-style fraction (SQLite has milliseconds). */
    static final String NOW = "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";
    private static final String RANDOM_UUID = "(lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
            + "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
            + "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))))";

    /** What the translation needs to know of the schema as it is now. */
    interface Catalog {
        boolean tableExists(String sqliteName);

        boolean indexExists(String name);

        boolean schemaExists(String name);

        /** The tables {@code sqliteName} references by foreign keys. */
        List<String> parents(String sqliteName);

        /** The SQLite names of the tables of schema {@code schema}. */
        List<String> tablesIn(String schema);

        /** The tables whose foreign keys reference {@code sqliteName}. */
        List<String> children(String sqliteName);

        /** The table's CREATE statement as SQLite keeps it. */
        String tableSql(String sqliteName);

        /** The CREATE statements of the table's indexes and triggers (not those SQLite made for its constraints). */
        List<String> dependents(String sqliteName);

        /** The table's columns, in order. */
        List<String> columns(String sqliteName);
    }

    /** The SQLite statements, run in order in one transaction, and PostgreSQL's command tag. */
    record SchemaChange(String tag, List<String> steps) {
    }

    private final String sql;
    private final List<Token> tokens;
    /** Each parenthesis's partner ({@link Operands#matchGroups}). */
    private final int[] match;
    private final Catalog catalog;
    private final List<String> steps = new ArrayList<>();
    /** ALTER TABLE: the table's columns as its actions so far leave them (lower case). */
    private java.util.Set<String> columnsNow;
    private int p;

    private SchemaTranslator(String sql, Catalog catalog) {
        this.sql = sql;
        this.tokens = new ArrayList<>(SqlLexer.tokenize(sql));
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).type() == TokenType.SEMICOLON) {
            tokens.remove(tokens.size() - 1);
        }
        this.match = Operands.matchGroups(tokens);
        this.catalog = catalog;
    }

    /** Whether {@link #translate} takes this statement, else it goes to SQLite as written. */
    static boolean handles(String command) {
        return switch (command) {
            case "CREATE TABLE", "DROP TABLE", "CREATE INDEX", "DROP INDEX", "CREATE SCHEMA", "DROP SCHEMA",
                    "ALTER TABLE" -> true;
            default -> false;
        };
    }

    static SchemaChange translate(String sql, String command, Catalog catalog) {
        SchemaTranslator t = new SchemaTranslator(sql, catalog);
        return switch (command) {
            case "CREATE TABLE" -> t.createTable();
            case "DROP TABLE" -> t.drop("TABLE");
            case "DROP INDEX" -> t.drop("INDEX");
            case "CREATE INDEX" -> t.createIndex();
            case "CREATE SCHEMA" -> t.createSchema();
            case "DROP SCHEMA" -> t.dropSchema();
            case "ALTER TABLE" -> t.alterTable();
            default -> throw new IllegalArgumentException(command);
        };
    }

    // ---- CREATE TABLE ----

    private SchemaChange createTable() {
        expect("create");
        accept("unlogged"); // no write-ahead log to skip in SQLite's sense: an ordinary table
        expect("table");
        boolean ifNotExists = acceptAll("if", "not", "exists");
        String table = qualifiedName(true);
        if (catalog.tableExists(table)) {
            if (ifNotExists) {
                return new SchemaChange("CREATE TABLE", List.of());
            }
            throw new ProxyException(SqlState.DUPLICATE_TABLE, "relation \"" + unqualified(table) + "\" already exists");
        }
        if (at("as") || at("of") || at("partition")) {
            throw Refusals.of("CREATE TABLE " + tokens.get(p).text().toUpperCase(Locale.ROOT), "create the table "
                    + "with its columns, then INSERT ... SELECT");
        }
        expectType(TokenType.LEFT_PAREN);
        List<String> elements = new ArrayList<>();
        List<String> records = new ArrayList<>();
        List<String> tableKey = tableLevelKey(p);
        while (!atType(TokenType.RIGHT_PAREN)) {
            int end = elementEnd(p);
            elements.add(element(table, p, end, tableKey, records));
            p = end;
            if (atType(TokenType.COMMA)) {
                p++;
            }
        }
        expectType(TokenType.RIGHT_PAREN);
        if (accept("inherits") || accept("partition")) {
            throw Refusals.of("table inheritance and partitioning", "create a plain table");
        }
        if (accept("with")) { // storage parameters: WITH (fillfactor=100)
            skipParenthesised();
        }
        acceptAll("without", "oids"); // PostgreSQL's default
        if (p < tokens.size()) {
            throw syntaxError();
        }
        steps.add("CREATE TABLE " + quote(table) + " (" + String.join(", ", elements) + ")");
        if (!records.isEmpty()) {
            steps.add(CREATE_COLUMNS);
            steps.addAll(records);
        }
        return new SchemaChange("CREATE TABLE", steps);
    }

    /** The columns of a table-level PRIMARY KEY (...), found ahead so a serial column knows it is the key. */
    private List<String> tableLevelKey(int from) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LEFT_PAREN) {
                depth++;
            } else if (t.type() == TokenType.RIGHT_PAREN) {
                depth--;
                if (depth < 0) {
                    break;
                }
            } else if (depth == 0 && t.isKeyword("primary") && i + 2 < tokens.size() && tokens.get(i + 1).isKeyword("key")
                    && tokens.get(i + 2).type() == TokenType.LEFT_PAREN) {
                List<String> names = new ArrayList<>();
                for (int j = i + 3; j < tokens.size() && tokens.get(j).type() != TokenType.RIGHT_PAREN; j++) {
                    if (isName(tokens.get(j))) {
                        names.add(tokens.get(j).text());
                    }
                }
                return names;
            }
        }
        return List.of();
    }

    private static final String KEY_OPTIONS = "\u0000key options\u0000";

    private String element(String table, int from, int end, List<String> tableKey, List<String> records) {
        Token first = tokens.get(from);
        if (first.isKeyword("constraint") || first.isKeyword("primary") || first.isKeyword("unique")
                || first.isKeyword("check") || first.isKeyword("foreign") || first.isKeyword("exclude")) {
            return constraint(from, end);
        }
        if (first.isKeyword("like")) {
            throw Refusals.of("CREATE TABLE ... (LIKE ...)", "list the columns");
        }
        String column = name(first);
        int typeStart = from + 1;
        int typeEnd = typeEnd(typeStart, end);
        DeclaredType type = columnType(typeStart, typeEnd);
        StringBuilder out = new StringBuilder(quote(column)).append(' ');
        boolean primaryKey = tableKey.size() == 1 && tableKey.get(0).equals(column);
        for (int i = typeEnd; i + 1 < end; i++) {
            if (tokens.get(i).isKeyword("primary") && tokens.get(i + 1).isKeyword("key")) {
                primaryKey = true;
            }
        }
        String generated = type.serial ? "serial" : null;
        StringBuilder constraints = new StringBuilder();
        int i = typeEnd;
        while (i < end) {
            Token t = tokens.get(i);
            if (t.isKeyword("generated") && i + 1 < end) {
                int clauseEnd = generatedEnd(i, end);
                String kind = identityKind(i, clauseEnd);
                if (kind == null) {
                    throw Refusals.of("generated columns (GENERATED ALWAYS AS (...) STORED)", "compute the value in the "
                            + "application or in a view");
                }
                generated = kind;
                i = clauseEnd;
                continue;
            }
            if (t.isKeyword("default")) {
                int exprEnd = defaultEnd(i + 1, end);
                constraints.append(" DEFAULT ").append(defaultExpression(i + 1, exprEnd));
                i = exprEnd;
                continue;
            }
            if (t.isKeyword("references")) {
                i++;
                int save = p;
                p = i;
                String parent = qualifiedName(false);
                i = p;
                p = save;
                constraints.append(" REFERENCES ").append(quote(parent));
                continue;
            }
            if (t.isKeyword("primary") && i + 1 < end && tokens.get(i + 1).isKeyword("key")) {
                constraints.append(" PRIMARY KEY").append(KEY_OPTIONS); // known once the identity clause is read
                i += 2;
                continue;
            }
            if (t.isKeyword("unique") && i + 2 < end && tokens.get(i + 1).isKeyword("nulls")) {
                throw Refusals.of("UNIQUE NULLS NOT DISTINCT", "add a CHECK or a unique index on coalesce(...)");
            }
            constraints.append(' ').append(raw(t));
            i++;
        }
        // a generated key never reuses a value, as a sequence; NOT NULL as PostgreSQL's keys are (SQLite
        // lets NULL into a key that is not its rowid)
        String keyOptions = generated != null ? " AUTOINCREMENT" : type.integer() ? "" : " NOT NULL";
        int marker = constraints.indexOf(KEY_OPTIONS);
        if (marker >= 0) {
            constraints.replace(marker, marker + KEY_OPTIONS.length(), keyOptions);
        }
        if (generated == null && primaryKey && type.integer()) {
            generated = "none"; // SQLite's own key all the same: a rowid table, as fast as SQLite can be
        }
        if (generated != null) {
            if (!primaryKey) {
                throw Refusals.of((type.serial ? type.name : "identity") + " columns that are not the primary key",
                        "SQLite generates values only for a table's INTEGER PRIMARY KEY: make " + column
                                + " the primary key, or give its values from the application");
            }
            out.append("INTEGER");
            records.add("INSERT OR REPLACE INTO " + COLUMNS + " VALUES (" + literal(table) + ", " + literal(column)
                    + ", " + literal(type.pgName) + ", " + literal(generated) + ")");
        } else {
            out.append(type.sqlite);
        }
        return out.append(constraints).toString();
    }

    /** A table constraint as written, its referenced table named as SQLite knows it. */
    private String constraint(int from, int end) {
        StringBuilder out = new StringBuilder();
        int copied = tokens.get(from).start();
        for (int i = from; i < end; i++) {
            Token t = tokens.get(i);
            if (t.isKeyword("exclude")) {
                throw Refusals.of("exclusion constraints", "check in the application, or use a unique index");
            }
            if (t.isKeyword("nulls") && i > from && tokens.get(i - 1).isKeyword("unique")) {
                throw Refusals.of("UNIQUE NULLS NOT DISTINCT", "add a CHECK or a unique index on coalesce(...)");
            }
            if (t.isKeyword("references")) {
                int save = p;
                p = i + 1;
                String parent = qualifiedName(false);
                out.append(sql, copied, t.end()).append(' ').append(quote(parent));
                copied = tokens.get(p - 1).end();
                i = p - 1;
                p = save;
            }
        }
        return out.append(sql, copied, tokens.get(end - 1).end()).toString();
    }

    /** The end (exclusive) of the type: the first token that starts a column constraint. */
    private int typeEnd(int from, int end) {
        int depth = 0;
        for (int i = from; i < end; i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LEFT_PAREN || t.type() == TokenType.LEFT_BRACKET) {
                depth++;
            } else if (t.type() == TokenType.RIGHT_PAREN || t.type() == TokenType.RIGHT_BRACKET) {
                depth--;
            } else if (depth == 0 && t.type() == TokenType.IDENTIFIER && switch (t.text()) {
                case "not", "null", "default", "primary", "unique", "check", "references", "constraint", "generated",
                        "collate", "deferrable", "initially" -> true;
                default -> false;
            }) {
                return i;
            }
        }
        return end;
    }

    private record DeclaredType(String name, String sqlite, String pgName, boolean serial) {

        boolean integer() {
            return sqlite.equals("int2") || sqlite.equals("int4") || sqlite.equals("int8") || serial;
        }
    }

    /** A column's type in PostgreSQL's words, as SQLite declares it ({@link SchemaTranslator}'s comment). */
    private DeclaredType columnType(int from, int to) {
        if (from >= to) {
            throw syntaxError();
        }
        for (int i = from; i < to; i++) {
            if (tokens.get(i).type() == TokenType.LEFT_BRACKET || tokens.get(i).isKeyword("array")) {
                throw Refusals.arrays("an array column");
            }
        }
        List<String> words = new ArrayList<>();
        String modifier = null;
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LEFT_PAREN) {
                int close = closing(i);
                modifier = sql.substring(t.start(), tokens.get(close).end()).replaceAll("\\s+", "");
                i = close;
            } else if (t.type() == TokenType.DOT) {
                words.clear(); // pg_catalog.int4
            } else {
                words.add(t.text() == null ? raw(t).toLowerCase(Locale.ROOT) : t.text());
            }
        }
        String name = String.join(" ", words);
        String m = modifier == null ? "" : modifier;
        return switch (name) {
            case "int", "integer", "int4" -> new DeclaredType(name, "int4", "integer", false);
            case "bigint", "int8" -> new DeclaredType(name, "int8", "bigint", false);
            case "smallint", "int2" -> new DeclaredType(name, "int2", "smallint", false);
            case "serial", "serial4" -> new DeclaredType(name, "INTEGER", "integer", true);
            case "bigserial", "serial8" -> new DeclaredType(name, "INTEGER", "bigint", true);
            case "smallserial", "serial2" -> new DeclaredType(name, "INTEGER", "smallint", true);
            case "real", "float4" -> new DeclaredType(name, "float4", "real", false);
            case "double precision", "float8" -> new DeclaredType(name, "float8", "double precision", false);
            case "float" -> floatType(modifier);
            case "numeric", "decimal" -> new DeclaredType(name, "numeric" + m, "numeric" + m, false);
            case "boolean", "bool" -> new DeclaredType(name, "boolean", "boolean", false);
            case "text" -> new DeclaredType(name, "text", "text", false);
            case "varchar", "character varying" -> new DeclaredType(name, "varchar" + m, "character varying" + m, false);
            case "timestamp", "timestamp without time zone" -> new DeclaredType(name, "timestamp",
                    "timestamp without time zone", false);
            case "timestamptz", "timestamp with time zone" -> new DeclaredType(name, "timestamptz",
                    "timestamp with time zone", false);
            case "date" -> new DeclaredType(name, "date", "date", false);
            case "time", "time without time zone" -> new DeclaredType(name, "time", "time without time zone", false);
            case "interval" -> new DeclaredType(name, "interval", "interval", false);
            case "uuid" -> new DeclaredType(name, "uuid", "uuid", false);
            case "json" -> new DeclaredType(name, "json", "json", false);
            case "jsonb" -> new DeclaredType(name, "jsonb", "jsonb", false);
            case "bytea" -> new DeclaredType(name, "bytea", "bytea", false);
            // bpchar(n): SQLite's affinity reads it as text (it has CHAR), and TypeNames pads it to n on output
            case "char", "character", "bpchar" -> new DeclaredType(name, "bpchar" + (m.isEmpty() ? "(1)" : m),
                    "character" + (m.isEmpty() ? "(1)" : m), false);
            default -> throw Refusals.of("the " + name + " type", "use one of the types the README's SQLite "
                    + "section lists (integer, bigint, numeric, double precision, boolean, text, varchar(n), "
                    + "timestamp[tz], date, time, interval, uuid, json, jsonb, bytea)");
        };
    }

    private static DeclaredType floatType(String modifier) {
        int precision = 53;
        if (modifier != null) {
            try {
                precision = Integer.parseInt(modifier.substring(1, modifier.length() - 1));
            } catch (NumberFormatException e) {
                throw new ProxyException(SqlState.SYNTAX_ERROR, "invalid float precision " + modifier);
            }
        }
        return precision <= 24 ? new DeclaredType("float", "float4", "real", false)
                : new DeclaredType("float", "float8", "double precision", false);
    }

    /** ALWAYS or BY DEFAULT for {@code GENERATED ... AS IDENTITY}; null for a generated (computed) column. */
    private String identityKind(int from, int to) {
        boolean identity = false;
        for (int i = from; i < to; i++) {
            if (tokens.get(i).isKeyword("identity")) {
                identity = true;
            }
        }
        if (!identity) {
            return null;
        }
        return tokens.get(from + 1).isKeyword("always") ? "always" : "by default";
    }

    private int generatedEnd(int from, int end) {
        int i = from + 1;
        while (i < end && !tokens.get(i).isKeyword("as")) {
            i++;
        }
        i++; // AS
        if (i < end && tokens.get(i).isKeyword("identity")) {
            i++;
            if (i < end && tokens.get(i).type() == TokenType.LEFT_PAREN) {
                i = closing(i) + 1; // sequence options
            }
            return i;
        }
        if (i < end && tokens.get(i).type() == TokenType.LEFT_PAREN) {
            i = closing(i) + 1;
        }
        return i < end && tokens.get(i).isKeyword("stored") ? i + 1 : i;
    }

    private int defaultEnd(int from, int end) {
        int depth = 0;
        for (int i = from; i < end; i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.LEFT_PAREN) {
                depth++;
            } else if (t.type() == TokenType.RIGHT_PAREN) {
                depth--;
            } else if (depth == 0 && i > from && t.type() == TokenType.IDENTIFIER && switch (t.text()) {
                case "not", "null", "primary", "unique", "check", "references", "constraint", "generated", "collate" ->
                        true;
                default -> false;
            }) {
                return i;
            }
        }
        return end;
    }

    /** A DEFAULT expression SQLite evaluates as PostgreSQL would: the clock, random UUIDs, constants without casts. */
    private String defaultExpression(int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.CAST) { // 'x'::jsonb, 0::numeric(10,2)
                i = castEnd(i + 1, to) - 1;
                continue;
            }
            if (t.type() == TokenType.IDENTIFIER) {
                boolean call = i + 1 < to && tokens.get(i + 1).type() == TokenType.LEFT_PAREN;
                String clock = switch (t.text()) {
                    case "now", "transaction_timestamp", "statement_timestamp", "clock_timestamp" -> call ? NOW : null;
                    case "current_timestamp", "localtimestamp" -> call ? null : NOW;
                    case "current_date" -> call ? null : "(date('now'))";
                    case "gen_random_uuid", "uuid_generate_v4" -> call ? RANDOM_UUID : null;
                    default -> null;
                };
                if (clock != null) {
                    out.append(out.isEmpty() ? "" : " ").append(clock);
                    if (call) {
                        i = closing(i + 1);
                    } else if (i + 1 < to && tokens.get(i + 1).type() == TokenType.LEFT_PAREN) {
                        i = closing(i + 1); // CURRENT_TIMESTAMP(3)
                    }
                    continue;
                }
                if (call && (SqliteTranslator.TANDEM_FUNCTIONS.contains(t.text()) || t.text().startsWith("tandem_"))) {
                    throw Refusals.tandemFunctionInSchema(t.text());
                }
                if (call && t.text().equals("nextval")) {
                    throw Refusals.of("nextval() in a default", "declare the column serial or GENERATED ... AS IDENTITY "
                            + "and make it the primary key");
                }
            }
            out.append(out.isEmpty() ? "" : " ").append(constant(t));
        }
        String expression = out.toString();
        return to - from == 1 ? expression : "(" + expression + ")";
    }

    /** A constant as SQLite writes it: E'..' and $$..$$ strings become plain ones. */
    private String constant(Token t) {
        return switch (t.type()) {
            case ESCAPE_STRING, DOLLAR_STRING, UNICODE_STRING -> literal(t.text());
            default -> raw(t);
        };
    }

    private int castEnd(int from, int to) {
        int i = from;
        while (i < to && (tokens.get(i).type() == TokenType.IDENTIFIER || tokens.get(i).type() == TokenType.QUOTED_IDENTIFIER
                || tokens.get(i).type() == TokenType.DOT)) {
            i++;
            if (i < to && tokens.get(i).type() == TokenType.LEFT_PAREN) {
                i = closing(i) + 1;
            }
            if (i < to && tokens.get(i).type() == TokenType.IDENTIFIER && switch (tokens.get(i).text()) {
                case "precision", "varying", "with", "without", "time", "zone" -> true;
                default -> false;
            }) {
                continue;
            }
            break;
        }
        return i;
    }

    // ---- ALTER TABLE ----

    /**
     * ALTER TABLE's actions, comma-separated, one after the other: ADD / DROP / RENAME COLUMN and
     * RENAME TO as SQLite does them; ADD CONSTRAINT ... UNIQUE as a unique index of that name; other
     * constraints (FOREIGN KEY, CHECK) by SQLite's table rebuild: the table made again with the
     * constraint, its rows copied (each checked against it), indexes and triggers made again.
     */
    private SchemaChange alterTable() {
        expect("alter");
        expect("table");
        boolean ifExists = acceptAll("if", "exists");
        accept("only");
        String table = qualifiedName(false);
        if (!catalog.tableExists(table)) {
            if (ifExists) {
                return new SchemaChange("ALTER TABLE", List.of());
            }
            throw new ProxyException(SqlState.UNDEFINED_TABLE, "relation \"" + unqualified(table) + "\" does not exist");
        }
        List<String> added = new ArrayList<>();
        boolean first = true;
        while (p < tokens.size()) {
            int end = actionEnd(p);
            if (at("rename") && (!first || end < tokens.size())) {
                throw syntaxError(); // PostgreSQL's grammar: RENAME is an ALTER TABLE of its own
            }
            first = false;
            table = action(table, end, added);
            p = end;
            if (acceptType(TokenType.COMMA)) {
                continue;
            }
            if (p < tokens.size()) {
                throw syntaxError();
            }
        }
        if (!added.isEmpty()) {
            if (!steps.isEmpty()) {
                throw Refusals.of("ADD CONSTRAINT with other actions in one ALTER TABLE", "run the ADD CONSTRAINT in "
                        + "an ALTER TABLE of its own");
            }
            rebuild(table, added);
        }
        return new SchemaChange("ALTER TABLE", steps);
    }

    /** One action in tokens [p, end); returns the table's name after it (RENAME TO changes it). */
    private String action(String table, int end, List<String> constraints) {
        if (accept("add")) {
            if (at("constraint") || at("foreign") || at("check") || at("unique") || at("primary")) {
                String name = null;
                if (accept("constraint")) {
                    name = name(tokens.get(p++));
                }
                if (at("unique") && name != null) {
                    p++;
                    int close = closing(p);
                    steps.add("CREATE UNIQUE INDEX " + quote(name) + " ON " + quote(table) + " "
                            + sql.substring(tokens.get(p).start(), tokens.get(close).end()));
                    p = close + 1;
                    return table;
                }
                int from = p;
                p = end;
                constraints.add((name == null ? "" : "CONSTRAINT " + quote(name) + " ") + constraint(from, end));
                return table;
            }
            accept("column");
            boolean ifNotExists = acceptAll("if", "not", "exists");
            String column = name(tokens.get(p));
            if (hasColumn(table, column)) {
                if (ifNotExists) {
                    return table;
                }
                throw new ProxyException(SqlState.DUPLICATE_COLUMN, "column \"" + column + "\" of relation \""
                        + unqualified(table) + "\" already exists");
            }
            List<String> records = new ArrayList<>();
            String definition = element(table, p, end, List.of(), records);
            if (!records.isEmpty()) {
                throw Refusals.of("adding a serial, identity or key column", "SQLite adds no key to an existing table: "
                        + "create the table with it");
            }
            steps.add("ALTER TABLE " + quote(table) + " ADD COLUMN " + definition);
            columnsNow.add(column.toLowerCase(Locale.ROOT));
            return table;
        }
        if (accept("drop")) {
            if (at("constraint")) {
                throw Refusals.of("ALTER TABLE ... DROP CONSTRAINT", "SQLite keeps constraints in the table's "
                        + "definition: recreate the table without it");
            }
            accept("column");
            boolean ifExists = acceptAll("if", "exists");
            String column = name(tokens.get(p++));
            if (!accept("cascade")) {
                accept("restrict");
            }
            if (!hasColumn(table, column)) {
                if (ifExists) {
                    return table;
                }
                throw new ProxyException(SqlState.UNDEFINED_COLUMN, "column \"" + column + "\" of relation \""
                        + unqualified(table) + "\" does not exist");
            }
            steps.add("ALTER TABLE " + quote(table) + " DROP COLUMN " + quote(column));
            columnsNow.remove(column.toLowerCase(Locale.ROOT));
            deleteRecord(table, column);
            return table;
        }
        if (accept("rename")) {
            if (accept("to")) {
                String renamed = name(tokens.get(p++));
                String target = table.contains(".") ? table.substring(0, table.indexOf('.') + 1) + renamed : renamed;
                steps.add("ALTER TABLE " + quote(table) + " RENAME TO " + quote(target));
                if (catalog.tableExists(COLUMNS)) {
                    steps.add("UPDATE " + COLUMNS + " SET table_name = " + literal(target) + " WHERE table_name = "
                            + literal(table));
                }
                return target;
            }
            if (accept("constraint")) {
                throw Refusals.of("ALTER TABLE ... RENAME CONSTRAINT", "recreate the table with the new name");
            }
            accept("column");
            String from = name(tokens.get(p++));
            expect("to");
            String to = name(tokens.get(p++));
            steps.add("ALTER TABLE " + quote(table) + " RENAME COLUMN " + quote(from) + " TO " + quote(to));
            if (catalog.tableExists(COLUMNS)) {
                steps.add("UPDATE " + COLUMNS + " SET column_name = " + literal(to) + " WHERE table_name = "
                        + literal(table) + " AND column_name = " + literal(from));
            }
            return table;
        }
        String action = p < end ? sql.substring(tokens.get(p).start(), tokens.get(end - 1).end()) : "";
        throw Refusals.of("ALTER TABLE ... " + action, "SQLite cannot change a column in place: add a new column, "
                + "copy the values (UPDATE), drop the old one");
    }

    /** Whether the table has the column once the actions before this one ran. */
    private boolean hasColumn(String table, String column) {
        if (columnsNow == null) {
            columnsNow = new java.util.HashSet<>();
            catalog.columns(table).forEach(c -> columnsNow.add(c.toLowerCase(Locale.ROOT)));
        }
        return columnsNow.contains(column.toLowerCase(Locale.ROOT));
    }

    private void deleteRecord(String table, String column) {
        if (catalog.tableExists(COLUMNS)) {
            steps.add("DELETE FROM " + COLUMNS + " WHERE table_name = " + literal(table) + " AND column_name = "
                    + literal(column));
        }
    }

    /**
     * SQLite's way to add constraints: the table made again under a new name with them, every row
     * copied (so each is checked against them: a violation fails the statement, and nothing is
     * changed), the old one dropped and the new one renamed, its indexes and triggers made again.
     * A table others reference is refused: dropping it would empty their parent.
     */
    private void rebuild(String table, List<String> constraints) {
        List<String> children = catalog.children(table).stream().filter(c -> !c.equalsIgnoreCase(table)).toList();
        if (!children.isEmpty()) {
            throw Refusals.of("adding a constraint to a table other tables reference (" + String.join(", ", children)
                    + ")", "SQLite adds constraints by making the table again, which its referencing tables' keys "
                    + "would not survive: declare the constraint in CREATE TABLE");
        }
        String definition = catalog.tableSql(table);
        List<Token> t = SqlLexer.tokenize(definition);
        int open = 0;
        while (open < t.size() && t.get(open).type() != TokenType.LEFT_PAREN) {
            open++;
        }
        int close = open < t.size() ? Operands.matchGroups(t)[open] : -1;
        if (close >= 0 && t.get(close).type() != TokenType.RIGHT_PAREN) {
            close = -1;
        }
        if (close < 0) {
            throw new IllegalStateException("cannot read the definition of " + table + ": " + definition);
        }
        String staging = "tandem_rebuild_" + table;
        String columns = String.join(", ", catalog.columns(table).stream().map(SchemaTranslator::quote).toList());
        List<String> dependents = catalog.dependents(table);
        steps.add("CREATE TABLE " + quote(staging) + " " + definition.substring(t.get(open).start(), t.get(close).start())
                + ", " + String.join(", ", constraints) + definition.substring(t.get(close).start()));
        steps.add("INSERT INTO " + quote(staging) + " (" + columns + ") SELECT " + columns + " FROM " + quote(table));
        steps.add("DROP TABLE " + quote(table));
        steps.add("ALTER TABLE " + quote(staging) + " RENAME TO " + quote(table));
        steps.addAll(dependents);
    }

    /** The end (exclusive) of the ALTER TABLE action at {@code from}: the next comma at its level, or the end. */
    private int actionEnd(int from) {
        for (int i = from; i < tokens.size(); i++) {
            if (tokens.get(i).type() == TokenType.LEFT_PAREN) {
                i = match[i];
            } else if (tokens.get(i).type() == TokenType.COMMA) {
                return i;
            }
        }
        return tokens.size();
    }

    // ---- DROP TABLE / DROP INDEX ----

    private SchemaChange drop(String what) {
        expect("drop");
        expect(what.toLowerCase(Locale.ROOT));
        if (what.equals("INDEX")) {
            accept("concurrently");
        }
        boolean ifExists = acceptAll("if", "exists");
        List<String> names = new ArrayList<>();
        do {
            names.add(qualifiedName(false));
        } while (acceptType(TokenType.COMMA));
        if (!accept("cascade")) {
            accept("restrict");
        }
        if (p < tokens.size()) {
            throw syntaxError();
        }
        List<String> existing = new ArrayList<>();
        for (String name : names) {
            boolean exists = what.equals("TABLE") ? catalog.tableExists(name) : catalog.indexExists(name);
            if (exists) {
                existing.add(name);
            } else if (!ifExists) {
                throw new ProxyException(SqlState.UNDEFINED_TABLE, (what.equals("TABLE") ? "table" : "index") + " \""
                        + unqualified(name) + "\" does not exist");
            }
        }
        if (what.equals("TABLE")) {
            dropTables(childrenFirst(existing));
        } else {
            existing.forEach(index -> steps.add("DROP INDEX " + quote(index)));
        }
        return new SchemaChange("DROP " + what, steps);
    }

    private void dropTables(List<String> tables) {
        boolean records = catalog.tableExists(COLUMNS);
        for (String table : tables) {
            steps.add("DROP TABLE " + quote(table));
            if (records) {
                steps.add("DELETE FROM " + COLUMNS + " WHERE table_name = " + literal(table));
            }
        }
    }

    /**
     * The tables in an order that drops a table after those of the list that reference it: SQLite
     * empties a table it drops, and a parent emptied before its child breaks the child's keys.
     */
    private List<String> childrenFirst(List<String> tables) {
        List<String> ordered = new ArrayList<>();
        List<String> left = new ArrayList<>(tables);
        while (!left.isEmpty()) {
            String next = null;
            for (String candidate : left) {
                boolean referenced = false;
                for (String other : left) {
                    if (!other.equals(candidate) && catalog.parents(other).contains(candidate)) {
                        referenced = true;
                    }
                }
                if (!referenced) {
                    next = candidate;
                    break;
                }
            }
            next = next == null ? left.get(0) : next; // a cycle: SQLite checks the keys at the end
            ordered.add(next);
            left.remove(next);
        }
        return ordered;
    }


    // ---- CREATE INDEX ----

    private SchemaChange createIndex() {
        expect("create");
        boolean unique = accept("unique");
        expect("index");
        accept("concurrently");
        boolean ifNotExists = acceptAll("if", "not", "exists");
        String name = at("on") ? null : qualifiedName(false);
        expect("on");
        accept("only");
        String table = qualifiedName(false);
        if (accept("using")) {
            String method = name(tokens.get(p++));
            if (!method.equals("btree") && !method.equals("hash")) {
                throw Refusals.of("index access method " + method, "SQLite indexes are B-trees: create a btree index, "
                        + "or none");
            }
        }
        if (!atType(TokenType.LEFT_PAREN)) {
            throw syntaxError();
        }
        int close = closing(p);
        List<String> columns = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        int start = p + 1;
        for (int i = start; i <= close; i++) {
            if (i < close && tokens.get(i).type() == TokenType.LEFT_PAREN) {
                i = match[i];
            } else if (i == close || tokens.get(i).type() == TokenType.COMMA) {
                parts.add(indexElement(start, i, columns));
                start = i + 1;
            }
        }
        p = close + 1;
        if (accept("include")) {
            skipParenthesised(); // covering columns: the table row has them
        }
        if (accept("nulls")) {
            throw Refusals.of("UNIQUE NULLS NOT DISTINCT", "add a CHECK or a unique index on coalesce(...)");
        }
        if (accept("with")) {
            skipParenthesised();
        }
        String where = "";
        if (accept("where")) {
            where = " WHERE " + sql.substring(tokens.get(p).start(), tokens.get(tokens.size() - 1).end());
            p = tokens.size();
        }
        if (p < tokens.size()) {
            throw syntaxError();
        }
        if (name == null) {
            name = freeIndexName(unqualified(table), columns);
        } else if (catalog.indexExists(name) || catalog.tableExists(name)) {
            if (ifNotExists) {
                return new SchemaChange("CREATE INDEX", List.of());
            }
            throw new ProxyException(SqlState.DUPLICATE_TABLE, "relation \"" + unqualified(name) + "\" already exists");
        }
        if (!catalog.tableExists(table)) {
            throw new ProxyException(SqlState.UNDEFINED_TABLE, "relation \"" + unqualified(table) + "\" does not exist");
        }
        steps.add("CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + quote(name) + " ON " + quote(table) + " ("
                + String.join(", ", parts) + ")" + where);
        return new SchemaChange("CREATE INDEX", steps);
    }

    /** One indexed column or expression, without operator class or NULLS FIRST|LAST; its name for the index's. */
    private String indexElement(int from, int to, List<String> columns) {
        if (from >= to) {
            throw syntaxError();
        }
        boolean call = isName(tokens.get(from)) && from + 1 < to && tokens.get(from + 1).type() == TokenType.LEFT_PAREN;
        boolean column = isName(tokens.get(from)) && !call;
        columns.add(isName(tokens.get(from)) ? tokens.get(from).text() : "expr"); // a function by its name, as PostgreSQL
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (t.isKeyword("nulls") && i + 1 < to) {
                i++;
                continue;
            }
            if (column && i == from + 1 && t.type() == TokenType.IDENTIFIER && !t.isKeyword("asc") && !t.isKeyword("desc")
                    && !t.isKeyword("collate")) {
                continue; // an operator class: text_pattern_ops
            }
            out.append(out.isEmpty() ? "" : " ").append(column && i == from ? quote(t.text()) : raw(t));
        }
        return out.toString();
    }

    /** PostgreSQL's ChooseIndexName: table_col1_col2_idx, then with 1, 2, ... appended until free. */
    private String freeIndexName(String table, List<String> columns) {
        String base = table + "_" + String.join("_", columns);
        for (int n = 0; ; n++) {
            String suffix = n == 0 ? "_idx" : "_idx" + n;
            String candidate = truncate(base, 63 - suffix.length()) + suffix;
            if (!catalog.indexExists(candidate) && !catalog.tableExists(candidate)) {
                return candidate;
            }
        }
    }

    private static String truncate(String name, int bytes) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length <= bytes) {
            return name;
        }
        int end = bytes;
        while (end > 0 && (b[end] & 0xc0) == 0x80) {
            end--; // not inside a character
        }
        return new String(b, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    // ---- CREATE / DROP SCHEMA ----

    private SchemaChange createSchema() {
        expect("create");
        expect("schema");
        boolean ifNotExists = acceptAll("if", "not", "exists");
        if (at("authorization")) {
            throw Refusals.of("CREATE SCHEMA AUTHORIZATION", "SQLite has no roles: CREATE SCHEMA name");
        }
        String schema = name(tokens.get(p++));
        accept("authorization");
        if (p < tokens.size() && tokens.get(p - 1).isKeyword("authorization")) {
            p++; // the role, which SQLite has no use for
        }
        if (p < tokens.size()) {
            throw Refusals.of("CREATE SCHEMA with elements", "create the schema, then its tables");
        }
        if (schema.equals("public") || schema.startsWith("pg_") || schema.equals("information_schema")
                || catalog.schemaExists(schema)) {
            if (ifNotExists) {
                return new SchemaChange("CREATE SCHEMA", List.of());
            }
            throw new ProxyException(SqlState.DUPLICATE_SCHEMA, "schema \"" + schema + "\" already exists");
        }
        steps.add(CREATE_SCHEMAS);
        steps.add("INSERT INTO " + SCHEMAS + " VALUES (" + literal(schema) + ")");
        return new SchemaChange("CREATE SCHEMA", steps);
    }

    private SchemaChange dropSchema() {
        expect("drop");
        expect("schema");
        boolean ifExists = acceptAll("if", "exists");
        String schema = name(tokens.get(p++));
        boolean cascade = accept("cascade");
        accept("restrict");
        if (p < tokens.size()) {
            throw Refusals.of("DROP SCHEMA of several schemas", "drop them one at a time");
        }
        if (!catalog.schemaExists(schema)) {
            if (ifExists) {
                return new SchemaChange("DROP SCHEMA", List.of());
            }
            throw new ProxyException(SqlState.UNDEFINED_SCHEMA, "schema \"" + schema + "\" does not exist");
        }
        List<String> tables = catalog.tablesIn(schema);
        if (!tables.isEmpty() && !cascade) {
            throw new ProxyException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop schema " + schema
                    + " because other objects depend on it", "table " + tables.get(0) + " depends on schema " + schema,
                    "Use DROP ... CASCADE to drop the dependent objects too.");
        }
        dropTables(childrenFirst(tables));
        steps.add("DELETE FROM " + SCHEMAS + " WHERE name = " + literal(schema));
        return new SchemaChange("DROP SCHEMA", steps);
    }

    // ---- names ----

    /**
     * A table name, {@code name} or {@code schema.name}, as SQLite names it: public's tables by
     * their name, another schema's as {@code schema.name}. With {@code creating}, the schema must
     * exist (PostgreSQL's 3F000 otherwise).
     */
    private String qualifiedName(boolean creating) {
        String first = name(tokens.get(p++));
        if (!acceptType(TokenType.DOT)) {
            return first;
        }
        String second = name(tokens.get(p++));
        if (first.equals("public")) {
            return second;
        }
        if (first.equals("pg_catalog") || first.equals("information_schema")) {
            throw new ProxyException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied to create \"" + first + "."
                    + second + "\"", null, "system catalogs are tandem's emulation of PostgreSQL's; create the table "
                    + "in public or in a schema of your own");
        }
        if (creating && !catalog.schemaExists(first)) {
            throw new ProxyException(SqlState.UNDEFINED_SCHEMA, "schema \"" + first + "\" does not exist");
        }
        return first + "." + second;
    }

    /** The name without the schema prefix tandem gives other schemas' tables. */
    static String unqualified(String sqliteName) {
        int dot = sqliteName.indexOf('.');
        return dot < 0 ? sqliteName : sqliteName.substring(dot + 1);
    }

    private static boolean isName(Token t) {
        return t.type() == TokenType.IDENTIFIER || t.type() == TokenType.QUOTED_IDENTIFIER;
    }

    private String name(Token t) {
        if (!isName(t)) {
            throw syntaxError(t);
        }
        return t.text();
    }

    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    // ---- token cursor ----

    private String raw(Token t) {
        return t.raw(sql);
    }

    private boolean at(String keyword) {
        return p < tokens.size() && tokens.get(p).isKeyword(keyword);
    }

    private boolean atType(TokenType type) {
        return p < tokens.size() && tokens.get(p).type() == type;
    }

    private boolean accept(String keyword) {
        if (at(keyword)) {
            p++;
            return true;
        }
        return false;
    }

    private boolean acceptType(TokenType type) {
        if (atType(type)) {
            p++;
            return true;
        }
        return false;
    }

    private boolean acceptAll(String... keywords) {
        for (int i = 0; i < keywords.length; i++) {
            if (p + i >= tokens.size() || !tokens.get(p + i).isKeyword(keywords[i])) {
                return false;
            }
        }
        p += keywords.length;
        return true;
    }

    private void expect(String keyword) {
        if (!accept(keyword)) {
            throw syntaxError();
        }
    }

    private void expectType(TokenType type) {
        if (!acceptType(type)) {
            throw syntaxError();
        }
    }

    private void skipParenthesised() {
        if (!atType(TokenType.LEFT_PAREN)) {
            throw syntaxError();
        }
        p = closing(p) + 1;
    }

    /** The index of the parenthesis that closes the one at {@code open}. */
    private int closing(int open) {
        int close = match[open];
        if (tokens.get(close).type() != TokenType.RIGHT_PAREN) {
            throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at end of input");
        }
        return close;
    }

    /** The end (exclusive) of the table element starting at {@code from}: the next comma or closing parenthesis at its level. */
    private int elementEnd(int from) {
        for (int i = from; i < tokens.size(); i++) {
            TokenType type = tokens.get(i).type();
            if (type == TokenType.LEFT_PAREN) {
                i = match[i];
            } else if (type == TokenType.RIGHT_PAREN || type == TokenType.COMMA) {
                return i;
            }
        }
        throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at end of input");
    }

    private ProxyException syntaxError() {
        return p < tokens.size() ? syntaxError(tokens.get(p))
                : new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at end of input");
    }

    private ProxyException syntaxError(Token t) {
        return new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + raw(t) + "\"");
    }
}
