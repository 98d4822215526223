package tandem.adapters.sqlite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.sql.Classification;
import tandem.core.sql.SessionFeature;
import tandem.core.sql.SqlLexer;
import tandem.core.sql.StatementKind;
import tandem.core.sql.TableRef;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;

/**
 * Translates one PostgreSQL statement into SQLite's dialect by splicing the source at token
 * offsets ({@link SqlLexer}), so everything it does not touch reaches SQLite byte for byte.
 * Results are cached by statement text: applications send the same few hundred texts again and
 * again.
 *
 * <p>What it does, in the order a reader meets it:
 * <ul>
 * <li>{@code $1}..{@code $n} become {@code ?1}..{@code ?n}, numbered exactly (SQLite would number
 *     {@code $n} by first appearance).
 * <li>Casts ({@code x::type}, {@code CAST(x AS type)}, {@code DATE '2024-01-15'}) call a tandem
 *     function with PostgreSQL's semantics ({@link CastTarget}).
 * <li>{@code E'..'}, {@code U&'..'} and {@code $$..$$} strings become plain SQLite strings.
 * <li>LIKE gets PostgreSQL's default {@code ESCAPE '\'}; ILIKE calls {@code tandem_ilike}.
 * <li>{@code CURRENT_TIMESTAMP}, {@code LOCALTIMESTAMP}, {@code CURRENT_DATE}, {@code LOCALTIME}
 *     and {@code random()} call tandem functions with PostgreSQL's meaning (transaction time, the
 *     session's zone, a float in [0, 1)).
 * <li>{@code a / b} and {@code a % b} fail on a zero divisor as in PostgreSQL (SQLite answers NULL),
 *     and {@code %} keeps fractions (SQLite truncates its operands to integers first).
 * <li>Operands of {@code ||} that hold arithmetic are parenthesised: PostgreSQL binds {@code + - * /}
 *     tighter than {@code ||}, SQLite the other way round.
 * <li>{@code x ->> 'k'} returns text as in PostgreSQL (SQLite returns the SQL value: 1 for true).
 * <li>ORDER BY items get PostgreSQL's NULL order spelled out ({@code NULLS LAST} ascending,
 *     {@code NULLS FIRST} descending); SQLite's default is the opposite.
 * <li>{@code FOR UPDATE}/{@code FOR SHARE} clauses are dropped: the statement runs on the store's
 *     only writer, which already serialises every writer. {@code LIMIT ALL} and
 *     {@code FETCH FIRST n ROWS ONLY} become LIMIT clauses.
 * </ul>
 * Constructs whose meaning SQLite cannot reproduce are refused ({@link Refusals}). Schema
 * statements (CREATE, ALTER, DROP) pass through untranslated, after checks that they would not tie
 * the SQLite schema to tandem.
 */
final class SqliteTranslator {

    /** Functions tandem registers on its connections; a schema that calls one works only through tandem. */
    static final Set<String> TANDEM_FUNCTIONS = Set.of("now", "gen_random_uuid", "uuid_generate_v4",
            "statement_timestamp", "clock_timestamp", "transaction_timestamp", "current_setting", "greatest", "least",
            "version", "current_database", "current_schema", "pg_backend_pid", "regexp_replace");

    private static final int MAX_CACHED_LENGTH = 16 * 1024;

    private final Cache<String, Translation> cache;

    SqliteTranslator(int maximumSize) {
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    Translation translate(String sql, Classification classification) {
        if (sql.length() > MAX_CACHED_LENGTH) {
            return new Rewrite(LateralJoins.inline(sql), classification).run();
        }
        return cache.get(sql, s -> new Rewrite(LateralJoins.inline(s), classification).run());
    }

    /** One statement's translation; not reused. */
    private static final class Rewrite {

        private record CastSpan(int start, int end, CastTarget target) {
        }

        private final String sql;
        private final Classification classification;
        private final List<Token> tokens;
        private final int n;
        private final Operands operands;
        private final String[] replace;
        private final boolean[] skip;
        private final List<SqlTemplate.Wrap> wraps = new ArrayList<>();
        private final List<CastSpan> casts = new ArrayList<>();
        private final Map<Integer, CastTarget> castParameters = new HashMap<>();
        private int parameterCount;
        private boolean readsCatalogs;

        Rewrite(String sql, Classification classification) {
            this.sql = sql;
            this.classification = classification;
            this.tokens = SqlLexer.tokenize(sql);
            this.n = tokens.size();
            this.operands = new Operands(tokens, sql);
            this.replace = new String[n];
            this.skip = new boolean[n];
        }

        Translation run() {
            refuseStatement();
            if (classification.kind() == StatementKind.DDL) {
                checkSchemaStatement();
                return new Translation(sql, 0, Map.of(), null, tokens, sql,
                        new SqlTemplate(sql, tokens, new String[n], List.of()), false);
            }
            qualifiedTables();
            for (int i = 0; i < n; i++) {
                if (!skip[i]) {
                    token(i);
                }
            }
            List<Translation.SelectItem> items = SelectItems.of(tokens, sql, classification, this::castCovering,
                    operands);
            SqlTemplate template = new SqlTemplate(sql, tokens, replace, wraps);
            return new Translation(template.render(), parameterCount, Map.copyOf(castParameters), items, tokens,
                    sql, template, readsCatalogs);
        }

        // ---- whole statements ----

        private void refuseStatement() {
            Set<SessionFeature> features = classification.sessionFeatures();
            if (features.contains(SessionFeature.TEMPORARY_OBJECT)) {
                throw Refusals.temporaryTables();
            }
            String command = classification.command();
            if (command.equals("COPY")) {
                throw Refusals.copy();
            }
            if (command.equals("EXPLAIN")) {
                throw Refusals.explain();
            }
            if (command.equals("DO") || command.equals("CALL")) {
                throw Refusals.procedures(command);
            }
            if (command.equals("FETCH") || command.equals("MOVE")) {
                throw Refusals.sqlCursors(command);
            }
            for (int i = 0; i + 1 < n; i++) {
                if (tokens.get(i).type() == TokenType.SEMICOLON && tokens.get(i + 1).type() != TokenType.SEMICOLON) {
                    throw new ProxyException(SqlState.SYNTAX_ERROR, "cannot insert multiple commands into a prepared "
                            + "statement");
                }
            }
            if (classification.kind() == StatementKind.DDL && n > 0 && tokens.get(0).isKeyword("select")) {
                throw Refusals.selectInto();
            }
        }

        private void checkSchemaStatement() {
            for (int i = 0; i < n; i++) {
                Token t = tokens.get(i);
                if (t.type() == TokenType.CAST) {
                    throw Refusals.castsInSchema();
                }
                if (t.type() != TokenType.IDENTIFIER) {
                    continue;
                }
                switch (t.text()) {
                    case "serial", "serial4", "bigserial", "serial8", "smallserial", "serial2" ->
                            throw Refusals.serialTypes(t.text());
                    default -> {
                        boolean call = i + 1 < n && tokens.get(i + 1).type() == TokenType.LEFT_PAREN;
                        if (call && (TANDEM_FUNCTIONS.contains(t.text()) || t.text().startsWith("tandem_"))) {
                            throw Refusals.tandemFunctionInSchema(t.text());
                        }
                    }
                }
            }
        }

        /**
         * Tables named with their schema as SQLite names them ({@link SchemaTranslator}): public's by
         * their name ({@code public.users} is {@code "users"}), another schema's as one name
         * ({@code drizzle.journal} is {@code "drizzle.journal"}).
         */
        private void qualifiedTables() {
            Set<TableRef> tables = new java.util.HashSet<>(classification.readTables());
            tables.addAll(classification.writeTables());
            for (int i = 0; i + 3 < n; i++) { // pg_catalog.f(...): the function tandem registers under f
                if (tokens.get(i).isKeyword("pg_catalog") && tokens.get(i + 1).type() == TokenType.DOT
                        && tokens.get(i + 2).type() == TokenType.IDENTIFIER && tokens.get(i + 3).type() == TokenType.LEFT_PAREN) {
                    replace[i] = tokens.get(i + 2).raw(sql); // an emptied token takes the blank before it along
                    replace[i + 1] = "";
                    replace[i + 2] = "";
                    skip[i] = skip[i + 1] = skip[i + 2] = true;
                }
            }
            for (int i = 0; i < n; i++) { // pg_class without its schema is pg_catalog's, as on PostgreSQL's search path
                Token t = tokens.get(i);
                if (t.type() == TokenType.IDENTIFIER && t.text().startsWith("pg_") && !is(i + 1, TokenType.DOT)
                        && !is(i + 1, TokenType.LEFT_PAREN) && (i == 0 || tokens.get(i - 1).type() != TokenType.DOT)
                        && tables.contains(TableRef.of(t.text())) && SqliteCatalogs.TABLES.contains("pg_catalog." + t.text())) {
                    replace[i] = SchemaTranslator.quote("pg_catalog." + t.text());
                    skip[i] = true;
                    readsCatalogs = true;
                }
            }
            for (int i = 0; i + 2 < n; i++) {
                Token schema = tokens.get(i);
                if (!schema.type().isName() || tokens.get(i + 1).type() != TokenType.DOT
                        || !tokens.get(i + 2).type().isName() || i > 0 && tokens.get(i - 1).type() == TokenType.DOT) {
                    continue;
                }
                String name = tokens.get(i + 2).text();
                if (!tables.contains(new TableRef(schema.text(), name))) {
                    continue;
                }
                if (schema.text().equals("pg_catalog") || schema.text().equals("information_schema")) {
                    if (!SqliteCatalogs.TABLES.contains(schema.text() + "." + name)) {
                        throw new ProxyException(SqlState.UNDEFINED_TABLE, "relation \"" + schema.text() + "." + name
                                + "\" does not exist", null, "tandem answers these catalogs over SQLite: "
                                + String.join(", ", new java.util.TreeSet<>(SqliteCatalogs.TABLES)));
                    }
                    readsCatalogs = true;
                }
                replace[i] = SchemaTranslator.quote(schema.text().equals("public") ? name : schema.text() + "." + name);
                replace[i + 1] = "";
                replace[i + 2] = "";
                skip[i] = skip[i + 1] = skip[i + 2] = true;
                i += 2;
            }
        }

        /** PostgreSQL's JSON function as SQLite's of the same meaning ({@code json_agg} is {@code json_group_array}). */
        private void rename(int i, boolean call, String sqliteName) {
            if (call) {
                replace[i] = sqliteName;
            }
        }

        // ---- tokens ----

        private void token(int i) {
            Token t = tokens.get(i);
            switch (t.type()) {
                case PARAMETER -> parameter(i, t);
                case ESCAPE_STRING, UNICODE_STRING, DOLLAR_STRING -> replace[i] = quote(t.text());
                case STRING -> {
                    if (sql.charAt(t.start()) != '\'') {
                        replace[i] = quote(t.text()); // N'...'
                    }
                }
                case BIT_STRING, HEX_STRING -> throw Refusals.bitStrings();
                case CAST -> cast(i);
                case LEFT_BRACKET -> throw Refusals.arrays("subscripts [...]");
                case OPERATOR -> operator(i);
                case IDENTIFIER -> keyword(i, t.text());
                default -> {
                }
            }
        }

        private void parameter(int i, Token t) {
            String raw = t.raw(sql);
            if (raw.charAt(0) != '$') {
                throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + raw + "\"", null,
                        "PostgreSQL numbers parameters $1, $2, ...");
            }
            int number = Integer.parseInt(raw.substring(1));
            if (number < 1 || number > 65535) {
                throw new ProxyException(SqlState.UNDEFINED_PARAMETER, "there is no parameter " + raw);
            }
            parameterCount = Math.max(parameterCount, number);
            replace[i] = "?" + number;
        }

        /** {@code x::type} → {@code tandem_<type>(x, modifiers)}. */
        private void cast(int k) {
            int start = operands.primaryStart(k);
            if (start < 0) {
                throw syntaxError(k);
            }
            CastTarget.Parsed parsed = CastTarget.parse(tokens, k + 1, sql);
            int last = parsed.end() - 1;
            for (int j = k; j <= last; j++) {
                replace[j] = "";
                skip[j] = true;
            }
            CastTarget target = parsed.target();
            wrap(start, last, target.function() + "(", target.extraArguments() + ")");
            operands.recordCast(last, start);
            casts.add(new CastSpan(start, last, target));
            if (start == k - 1 && tokens.get(start).type() == TokenType.PARAMETER) {
                castParameters.put(parameterNumber(start), target);
            }
        }

        /** {@code CAST(x AS type)} → {@code tandem_<type>(x, modifiers)}. */
        private void castCall(int c) {
            int open = c + 1;
            int close = operands.match(open);
            int as = -1;
            for (int j = open + 1; j < close; j++) {
                Token t = tokens.get(j);
                if (t.type() == TokenType.LEFT_PAREN || t.isKeyword("case")) {
                    j = operands.match(j);
                } else if (t.isKeyword("as")) {
                    as = j;
                }
            }
            if (as < 0 || close >= n) {
                throw syntaxError(c);
            }
            CastTarget.Parsed parsed = CastTarget.parse(tokens, as + 1, sql);
            if (parsed.end() != close) {
                throw syntaxError(parsed.end());
            }
            CastTarget target = parsed.target();
            replace[c] = target.function();
            replace[as] = target.extraArguments();
            for (int j = as + 1; j < close; j++) {
                replace[j] = "";
                skip[j] = true;
            }
            casts.add(new CastSpan(c, close, target));
            if (as == open + 2 && tokens.get(open + 1).type() == TokenType.PARAMETER) {
                castParameters.put(parameterNumber(open + 1), target);
            }
        }

        /** {@code DATE '2024-01-15'}, {@code TIMESTAMP WITH TIME ZONE '...'}: a cast of the literal. */
        private void typedLiteral(int i) {
            CastTarget.Parsed parsed = CastTarget.parse(tokens, i, sql);
            int literal = parsed.end();
            if (literal >= n || !tokens.get(literal).type().isString()) {
                throw syntaxError(i);
            }
            for (int j = i; j < literal; j++) {
                replace[j] = "";
                skip[j] = true;
            }
            CastTarget target = parsed.target();
            wrap(literal, literal, target.function() + "(", target.extraArguments() + ")");
            casts.add(new CastSpan(i, literal, target));
        }

        private void operator(int i) {
            String op = tokens.get(i).raw(sql);
            switch (op) {
                case "~", "~*", "!~", "!~*" -> regex(i, op);
                case "~~", "~~*", "!~~", "!~~*" -> throw Refusals.regex(op);
                case "@>", "<@", "&&" -> throw Refusals.arrays("operator " + op);
                case "?|", "?&", "#>", "#>>", "@?", "@@", "-|-", "<->" -> throw Refusals.of("operator " + op,
                        "use SQLite's json_extract() and json_each() for JSON paths and membership");
                case "^" -> throw Refusals.of("operator ^", "use power(a, b)");
                case "->>" -> jsonText(i);
                case "/", "%" -> divisor(i);
                case "||" -> concatenation(i);
                default -> {
                }
            }
        }

        private void keyword(int i, String word) {
            boolean afterDot = i > 0 && tokens.get(i - 1).type() == TokenType.DOT;
            boolean call = is(i + 1, TokenType.LEFT_PAREN);
            if (afterDot) {
                return;
            }
            switch (word) {
                case "ilike" -> ilike(i);
                case "like" -> like(i);
                case "similar" -> {
                    if (isKeyword(i + 1, "to")) {
                        throw Refusals.similarTo();
                    }
                }
                case "distinct" -> {
                    if (isKeyword(i + 1, "on")) {
                        throw Refusals.distinctOn();
                    }
                }
                case "array" -> {
                    if (call || is(i + 1, TokenType.LEFT_BRACKET)) {
                        throw Refusals.arrays("ARRAY");
                    }
                }
                case "any", "some", "all" -> {
                    if (call && i > 0 && tokens.get(i - 1).type() == TokenType.OPERATOR) {
                        throw Refusals.arrays(word.toUpperCase() + "(...)");
                    }
                }
                case "json_agg", "jsonb_agg" -> rename(i, call, "json_group_array");
                case "json_build_array", "jsonb_build_array" -> rename(i, call, "json_array");
                case "json_build_object", "jsonb_build_object" -> rename(i, call, "json_object");
                case "json_object_agg", "jsonb_object_agg" -> rename(i, call, "json_group_object");
                case "current_timestamp" -> clockValue(i, "now()", "tandem_now");
                case "localtimestamp" -> clockValue(i, "tandem_localtimestamp()", "tandem_localtimestamp");
                case "localtime" -> clockValue(i, "tandem_localtime()", "tandem_localtime");
                case "current_date" -> replace[i] = "tandem_current_date()";
                case "current_time" -> throw Refusals.of("CURRENT_TIME (time with time zone)",
                        "use LOCALTIME or CURRENT_TIMESTAMP");
                case "current_user", "session_user", "current_role" -> {
                    if (!call) {
                        replace[i] = "tandem_current_user()";
                    }
                }
                case "random" -> {
                    if (call && is(i + 2, TokenType.RIGHT_PAREN)) {
                        replace[i] = "tandem_random";
                    }
                }
                case "cast" -> {
                    if (call) {
                        castCall(i);
                    }
                }
                case "extract" -> {
                    if (call) {
                        throw Refusals.extract();
                    }
                }
                case "interval" -> {
                    if (i + 1 < n && tokens.get(i + 1).type().isString()) {
                        throw Refusals.interval();
                    }
                }
                case "for" -> lockingClause(i);
                case "order" -> {
                    if (isKeyword(i + 1, "by")) {
                        orderBy(i + 2);
                    }
                }
                case "limit" -> {
                    if (isKeyword(i + 1, "all")) {
                        replace[i + 1] = "-1";
                        skip[i + 1] = true;
                    }
                }
                case "fetch" -> fetchFirst(i);
                case "set_config" -> {
                    if (call) {
                        throw Refusals.setConfig();
                    }
                }
                case "pg_notify" -> {
                    if (call) {
                        throw Refusals.notifications("pg_notify()");
                    }
                }
                default -> {
                    if (call && (word.startsWith("pg_advisory") || word.startsWith("pg_try_advisory"))) {
                        throw Refusals.advisoryLocks(word + "()");
                    }
                    if (CastTarget.startsTypedLiteral(tokens, i)) {
                        typedLiteral(i);
                    }
                }
            }
        }

        /** CURRENT_TIMESTAMP [(p)] and friends: the transaction's time, as PostgreSQL means it. */
        private void clockValue(int i, String plain, String withPrecision) {
            if (is(i + 1, TokenType.LEFT_PAREN) && is(i + 2, TokenType.NUMBER) && is(i + 3, TokenType.RIGHT_PAREN)) {
                replace[i] = withPrecision;
            } else {
                replace[i] = plain;
            }
        }

        /** {@code a ILIKE b [ESCAPE e]} → {@code tandem_ilike(a, b [, e])}; NOT ILIKE → NOT tandem_ilike(...). */
        private void ilike(int i) {
            boolean not = isKeyword(i - 1, "not");
            int leftEnd = not ? i - 1 : i;
            int start = operands.start(leftEnd, Operands.Level.OTHER);
            int end = operands.end(i + 1, Operands.Level.OTHER);
            if (start < 0 || end < 0) {
                throw syntaxError(i);
            }
            if (isKeyword(end, "escape")) {
                int escapeEnd = operands.end(end + 1, Operands.Level.PRIMARY);
                if (escapeEnd < 0) {
                    throw syntaxError(end);
                }
                replace[end] = ",";
                end = escapeEnd;
            }
            replace[i] = ",";
            if (not) {
                replace[i - 1] = "";
            }
            wrap(start, end - 1, (not ? "NOT " : "") + "tandem_ilike(", ")");
        }

        /**
         * {@code a ~ b} (and {@code ~*}, {@code !~}, {@code !~*}): PostgreSQL's regular expression
         * match, case-insensitive with {@code *}, negated with {@code !}, by {@code tandem_regex}.
         */
        private void regex(int i, String op) {
            int start = operands.start(i, Operands.Level.OTHER);
            int end = operands.end(i + 1, Operands.Level.OTHER);
            if (start < 0 || end < 0) {
                throw syntaxError(i);
            }
            replace[i] = ",";
            wrap(start, end - 1, (op.startsWith("!") ? "NOT " : "") + "tandem_regex(", ", " + (op.endsWith("*") ? 1 : 0)
                    + ")");
        }

        /** PostgreSQL's LIKE escapes with a backslash unless told otherwise; SQLite's has no escape at all. */
        private void like(int i) {
            int end = operands.end(i + 1, Operands.Level.OTHER);
            if (end < 0 || isKeyword(end, "escape")) {
                return;
            }
            wrap(i + 1, end - 1, "", " ESCAPE '\\'");
        }

        /** {@code a ->> b} is text in PostgreSQL; SQLite's returns the SQL value (1 for true, 42 for 42). */
        private void jsonText(int i) {
            int start = operands.start(i, Operands.Level.OTHER);
            int end = operands.end(i + 1, Operands.Level.ADDITIVE);
            if (start < 0 || end < 0) {
                throw syntaxError(i);
            }
            replace[i] = "->";
            wrap(start, end - 1, "tandem_json_text(", ")");
        }

        /**
         * {@code a / b} → {@code tandem_divide(a, b)}: PostgreSQL fails on a zero divisor where SQLite
         * answers NULL, and takes the remainder of non-integers where SQLite truncates them first.
         */
        private void divisor(int i) {
            int start = operands.start(i, Operands.Level.MULTIPLICATIVE);
            int end = operands.end(i + 1, Operands.Level.PRIMARY);
            if (start < 0 || end <= i + 1) {
                return; // not an operator between two operands; SQLite reports the syntax error
            }
            boolean modulo = tokens.get(i).raw(sql).equals("%");
            replace[i] = ",";
            wrap(start, end - 1, modulo ? "tandem_modulo(" : "tandem_divide(", ")");
        }

        /** PostgreSQL reads {@code a || b * 2} as {@code a || (b * 2)}, SQLite as {@code (a || b) * 2}. */
        private void concatenation(int i) {
            int start = operands.start(i, Operands.Level.ADDITIVE);
            if (start >= 0 && operands.hasArithmetic(start, i - 1)) {
                wrap(start, i - 1, "(", ")");
            }
            int end = operands.end(i + 1, Operands.Level.ADDITIVE);
            if (end > i + 1 && operands.hasArithmetic(i + 1, end - 1)) {
                wrap(i + 1, end - 1, "(", ")");
            }
        }

        /**
         * PostgreSQL sorts NULL as larger than any value (last ascending, first descending), SQLite
         * as smaller: each ORDER BY item without a NULLS clause gets PostgreSQL's default spelled
         * out. SQLite still uses an index for it.
         */
        private void orderBy(int from) {
            int j = from;
            while (j < n) {
                int start = j;
                int k = j;
                boolean nulls = false;
                boolean descending = false;
                while (k < n) {
                    Token t = tokens.get(k);
                    if (t.type() == TokenType.LEFT_PAREN || t.isKeyword("case")) {
                        k = operands.match(k) + 1;
                        continue;
                    }
                    if (t.type() == TokenType.RIGHT_PAREN || t.type() == TokenType.SEMICOLON
                            || t.type() == TokenType.COMMA || isOrderByEnd(t)) {
                        break;
                    }
                    nulls |= t.isKeyword("nulls");
                    descending |= t.isKeyword("desc");
                    k++;
                }
                if (k > start && !nulls) {
                    wrap(start, k - 1, "", descending ? " NULLS FIRST" : " NULLS LAST");
                }
                if (k < n && tokens.get(k).type() == TokenType.COMMA) {
                    j = k + 1;
                } else {
                    return;
                }
            }
        }

        private static boolean isOrderByEnd(Token t) {
            if (t.type() != TokenType.IDENTIFIER) {
                return false;
            }
            return switch (t.text()) {
                case "limit", "offset", "fetch", "for", "union", "intersect", "except", "rows", "range", "groups",
                        "returning", "window", "on" -> true;
                default -> false;
            };
        }

        /** FOR UPDATE [OF t, ...] [NOWAIT | SKIP LOCKED], FOR SHARE, ...: the writer lock already serialises. */
        private void lockingClause(int i) {
            int j = i;
            while (isKeyword(j, "for")) {
                int k = j + 1;
                if (isKeyword(k, "update") || isKeyword(k, "share")) {
                    k++;
                } else if (isKeyword(k, "no") && isKeyword(k + 1, "key") && isKeyword(k + 2, "update")) {
                    k += 3;
                } else if (isKeyword(k, "key") && isKeyword(k + 1, "share")) {
                    k += 2;
                } else {
                    break;
                }
                if (isKeyword(k, "of")) {
                    k++;
                    while (k < n && tokens.get(k).type().isName()) {
                        k++;
                        while (is(k, TokenType.DOT) && k + 1 < n) {
                            k += 2;
                        }
                        if (!is(k, TokenType.COMMA)) {
                            break;
                        }
                        k++;
                    }
                }
                if (isKeyword(k, "nowait")) {
                    k++;
                } else if (isKeyword(k, "skip") && isKeyword(k + 1, "locked")) {
                    k += 2;
                }
                for (int m = j; m < k; m++) {
                    replace[m] = "";
                    skip[m] = true;
                }
                j = k;
            }
        }

        /** FETCH FIRST|NEXT [n] ROW|ROWS ONLY → LIMIT n. */
        private void fetchFirst(int i) {
            if (!isKeyword(i + 1, "first") && !isKeyword(i + 1, "next")) {
                return;
            }
            int k = i + 2;
            String count = "1";
            if (is(k, TokenType.NUMBER) || is(k, TokenType.PARAMETER)) {
                count = null;
                k++;
            }
            if (!(isKeyword(k, "row") || isKeyword(k, "rows")) || !isKeyword(k + 1, "only")) {
                return;
            }
            replace[i] = count == null ? "LIMIT" : "LIMIT " + count;
            replace[i + 1] = "";
            skip[i + 1] = true;
            replace[k] = "";
            replace[k + 1] = "";
            skip[k] = true;
            skip[k + 1] = true;
        }

        // ---- output ----

        private void wrap(int start, int end, String prefix, String suffix) {
            wraps.add(new SqlTemplate.Wrap(start, end, prefix, suffix, wraps.size()));
        }

        /** The cast whose span is exactly [from, to], or null; select items ask this to type a column. */
        private CastTarget castCovering(int from, int to) {
            for (CastSpan span : casts) {
                if (span.start() == from && span.end() == to) {
                    return span.target();
                }
            }
            return null;
        }

        // ---- helpers ----

        private int parameterNumber(int i) {
            return Integer.parseInt(tokens.get(i).raw(sql).substring(1));
        }

        private boolean is(int i, TokenType type) {
            return i >= 0 && i < n && tokens.get(i).type() == type;
        }

        private boolean isKeyword(int i, String word) {
            return i >= 0 && i < n && tokens.get(i).isKeyword(word);
        }

        private ProxyException syntaxError(int i) {
            String near = i < n ? tokens.get(i).raw(sql) : null;
            return new ProxyException(SqlState.SYNTAX_ERROR, near == null ? "syntax error at end of input"
                    : "syntax error at or near \"" + near + "\"");
        }

        private static String quote(String text) {
            return "'" + text.replace("'", "''") + "'";
        }
    }
}
