package tandem.core.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Classifies one statement's tokens. One instance per statement; the public face is
 * {@link StatementClassifier}. Every branch that does not recognize what follows its keyword
 * answers OTHER rather than guess.
 */
final class StatementAnalysis {

    private final Tokens t;
    private final Set<String> writeFunctions;

    private StatementKind kind = StatementKind.OTHER;
    private String command = "";
    private TransactionControl transaction;
    private SetCommand set;
    private final EnumSet<SessionFeature> features = EnumSet.noneOf(SessionFeature.class);
    private final Set<TableRef> writes = new LinkedHashSet<>();
    private final Set<TableRef> reads = new LinkedHashSet<>();
    private boolean returning;
    private boolean lockingRead;

    private StatementAnalysis(Tokens t, Set<String> writeFunctions) {
        this.t = t;
        this.writeFunctions = writeFunctions;
    }

    static Classification classify(Tokens t, Set<String> writeFunctions) {
        return new StatementAnalysis(t, writeFunctions).run();
    }

    private Classification run() {
        if (t.size == 0) {
            return Classification.EMPTY;
        }
        int first = 0;
        while (t.is(first, TokenType.LEFT_PAREN)) {
            first++;
        }
        String head = t.keyword(first);
        for (int i = 0; i < t.size; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.UNTERMINATED || type == TokenType.UNKNOWN) {
                // the server will reject it; nothing about it can be trusted
                return other(t.upper(first));
            }
        }
        if (head == null) {
            return other("");
        }
        if (first > 0) {
            return switch (head) {
                case "select", "values", "table", "with" -> query(head);
                default -> other(t.upper(first));
            };
        }
        return switch (head) {
            case "select", "values", "table", "with", "insert", "update", "delete", "merge", "replace" -> query(head);
            case "explain" -> explain();
            case "copy" -> copy();
            case "begin" -> begin();
            case "start" -> t.isKeyword(1, "transaction")
                    ? transactionModes(TransactionControl.Command.BEGIN, "START TRANSACTION", 2)
                    : other("START");
            case "commit", "end" -> commit(head);
            case "rollback", "abort" -> rollback(head);
            case "savepoint" -> savepoint(TransactionControl.Command.SAVEPOINT, "SAVEPOINT", 1);
            case "release" -> savepoint(TransactionControl.Command.RELEASE, "RELEASE",
                    t.isKeyword(1, "savepoint") ? 2 : 1);
            case "prepare" -> prepare();
            case "set" -> set();
            case "reset" -> reset();
            case "show" -> session("SHOW");
            case "discard" -> discard();
            case "listen" -> session("LISTEN", SessionFeature.LISTEN);
            case "unlisten" -> session("UNLISTEN", SessionFeature.UNLISTEN);
            case "notify" -> session("NOTIFY");
            case "execute" -> session("EXECUTE", SessionFeature.SQL_PREPARED_STATEMENT);
            case "deallocate" -> deallocate();
            case "declare" -> declare();
            case "close" -> session(t.isKeyword(1, "all") ? "CLOSE CURSOR ALL" : "CLOSE CURSOR");
            case "load" -> session("LOAD", SessionFeature.LOAD);
            case "fetch" -> result(StatementKind.READ, "FETCH");
            case "move" -> result(StatementKind.READ, "MOVE");
            case "create" -> create();
            case "alter" -> ddl("ALTER " + ObjectTypes.at(t, 1).tag());
            case "drop" -> ddl("DROP " + ObjectTypes.at(t, 1).tag());
            case "truncate" -> truncate();
            case "comment" -> ddl("COMMENT");
            case "grant" -> ddl(t.findTopLevel(1, t.size, "on") < 0 ? "GRANT ROLE" : "GRANT");
            case "revoke" -> ddl(t.findTopLevel(1, t.size, "on") < 0 ? "REVOKE ROLE" : "REVOKE");
            case "reindex" -> ddl("REINDEX");
            case "cluster" -> ddl("CLUSTER");
            case "refresh" -> t.isKeyword(1, "materialized") ? ddl("REFRESH MATERIALIZED VIEW") : other("REFRESH");
            case "security" -> t.isKeyword(1, "label") ? ddl("SECURITY LABEL") : other("SECURITY");
            case "import" -> t.isKeyword(1, "foreign") ? ddl("IMPORT FOREIGN SCHEMA") : other("IMPORT");
            case "reassign" -> t.isKeyword(1, "owned") ? ddl("REASSIGN OWNED") : other("REASSIGN");
            case "call" -> call();
            case "do" -> other("DO");
            case "vacuum" -> other("VACUUM");
            case "analyze", "analyse" -> other("ANALYZE");
            case "checkpoint" -> other("CHECKPOINT");
            case "lock" -> other("LOCK TABLE");
            default -> other(t.upper(0));
        };
    }

    // ---- queries and data modification ----

    private Classification query(String head) {
        QueryScanner q = QueryScanner.scan(t, 0, t.size, writeFunctions, true);
        boolean dml = isDml(head);
        if (dml && !head.equals(q.mainKind)) {
            return other(t.upper(0)); // "INSERT" without INTO and the like: let the server say what is wrong
        }
        reads.addAll(q.reads);
        writes.addAll(q.writes);
        features.addAll(q.features);
        String main = q.mainKind != null ? q.mainKind : head;
        if (main.equals("with")) {
            return other("SELECT"); // WITH ... followed by something the scanner did not follow
        }
        lockingRead = q.lockingRead;
        command = switch (main) {
            case "insert", "replace" -> "INSERT";
            case "update" -> "UPDATE";
            case "delete" -> "DELETE";
            case "merge" -> "MERGE";
            default -> "SELECT";
        };
        if (q.selectInto) {
            kind = StatementKind.DDL;
        } else if (isDml(main) || q.dataModifying || q.callsWriteFunction) {
            kind = StatementKind.WRITE;
        } else if (q.callsPrimaryOnlyFunction) {
            kind = StatementKind.OTHER;
        } else {
            kind = StatementKind.READ;
        }
        returning = isDml(main) && q.topLevelReturning;
        return build();
    }

    private static boolean isDml(String word) {
        return switch (word) {
            case "insert", "update", "delete", "merge", "replace" -> true;
            default -> false;
        };
    }

    /** EXPLAIN plans without running; EXPLAIN ANALYZE runs the statement, so it goes where a write would. */
    private Classification explain() {
        int j = 1;
        boolean analyze = false;
        if (t.is(j, TokenType.LEFT_PAREN)) {
            int close = t.closing(j);
            for (int k = j + 1; k < close; k++) {
                if (t.isKeyword(k, "analyze") || t.isKeyword(k, "analyse")) {
                    analyze = !isFalse(k + 1);
                }
            }
            j = close + 1;
        } else {
            while (t.isKeyword(j, "analyze") || t.isKeyword(j, "analyse") || t.isKeyword(j, "verbose")) {
                analyze |= !t.isKeyword(j, "verbose");
                j++;
            }
        }
        Classification inner = classify(t.sub(j, t.size), writeFunctions);
        command = "EXPLAIN";
        features.addAll(inner.sessionFeatures());
        if (analyze) {
            reads.addAll(inner.readTables());
            writes.addAll(inner.writeTables());
            kind = StatementKind.OTHER;
            return build();
        }
        reads.addAll(inner.readTables());
        reads.addAll(inner.writeTables());
        kind = switch (inner.kind()) {
            case READ, WRITE, DDL -> StatementKind.READ;
            default -> StatementKind.OTHER; // EXPLAIN EXECUTE needs the session's prepared statement
        };
        return build();
    }

    private boolean isFalse(int i) {
        Token token = t.get(i);
        if (token == null) {
            return false;
        }
        String value = token.type() == TokenType.NUMBER ? t.sql.substring(token.start(), token.end()) : token.text();
        return value != null && (value.equals("false") || value.equals("off") || value.equals("0"));
    }

    private Classification copy() {
        command = "COPY";
        int j = t.isKeyword(1, "binary") ? 2 : 1;
        if (t.is(j, TokenType.LEFT_PAREN)) {
            int close = t.closing(j);
            Classification inner = classify(t.sub(j + 1, close), writeFunctions);
            reads.addAll(inner.readTables());
            writes.addAll(inner.writeTables());
            features.addAll(inner.sessionFeatures());
            boolean toClient = t.isKeyword(close + 1, "to") && t.isKeyword(close + 2, "stdout");
            kind = switch (inner.kind()) {
                case WRITE -> StatementKind.WRITE; // COPY (DELETE ... RETURNING *) TO ...
                case READ -> toClient ? StatementKind.READ : StatementKind.OTHER;
                default -> StatementKind.OTHER;
            };
            return build();
        }
        Tokens.Name table = t.target(j);
        if (table == null) {
            return other("COPY");
        }
        int direction = t.skipGroup(table.next());
        if (t.isKeyword(direction, "from")) {
            writes.add(table.ref());
            kind = StatementKind.WRITE;
        } else if (t.isKeyword(direction, "to")) {
            reads.add(table.ref());
            // TO a server file or program has effects outside the database
            kind = t.isKeyword(direction + 1, "stdout") ? StatementKind.READ : StatementKind.OTHER;
        } else {
            return other("COPY");
        }
        return build();
    }

    // ---- transaction control ----

    private Classification begin() {
        int j = 1;
        // SQLite: BEGIN DEFERRED|IMMEDIATE|EXCLUSIVE [TRANSACTION]
        if (t.isKeyword(j, "deferred") || t.isKeyword(j, "immediate") || t.isKeyword(j, "exclusive")) {
            j++;
        }
        if (t.isKeyword(j, "work") || t.isKeyword(j, "transaction")) {
            j++;
        }
        return transactionModes(TransactionControl.Command.BEGIN, "BEGIN", j);
    }

    private Classification transactionModes(TransactionControl.Command which, String tag, int j) {
        return transaction(modes(which, j), tag);
    }

    /** Reads transaction modes (ISOLATION LEVEL ..., READ ONLY|WRITE, [NOT] DEFERRABLE) from j on. */
    private TransactionControl modes(TransactionControl.Command which, int j) {
        boolean readOnly = false;
        String isolation = null;
        while (j < t.size) {
            if (t.isKeyword(j, "isolation") && t.isKeyword(j + 1, "level")) {
                int level = j + 2;
                if (t.isKeyword(level, "serializable")) {
                    isolation = "serializable";
                    j = level + 1;
                } else if (t.isKeyword(level, "repeatable") && t.isKeyword(level + 1, "read")) {
                    isolation = "repeatable read";
                    j = level + 2;
                } else if (t.isKeyword(level, "read")
                        && (t.isKeyword(level + 1, "committed") || t.isKeyword(level + 1, "uncommitted"))) {
                    isolation = "read " + t.keyword(level + 1);
                    j = level + 2;
                } else {
                    j = level;
                }
            } else if (t.isKeyword(j, "read") && t.isKeyword(j + 1, "only")) {
                readOnly = true;
                j += 2;
            } else if (t.isKeyword(j, "read") && t.isKeyword(j + 1, "write")) {
                readOnly = false;
                j += 2;
            } else {
                j++;
            }
        }
        return new TransactionControl(which, null, null, readOnly, isolation, false);
    }

    private Classification commit(String head) {
        if (head.equals("commit") && t.isKeyword(1, "prepared")) {
            return prepared(TransactionControl.Command.COMMIT_PREPARED, "COMMIT PREPARED");
        }
        int j = skipWorkOrTransaction(1);
        return transaction(new TransactionControl(TransactionControl.Command.COMMIT, null, null, false, null, chain(j)),
                "COMMIT");
    }

    private Classification rollback(String head) {
        if (head.equals("rollback") && t.isKeyword(1, "prepared")) {
            return prepared(TransactionControl.Command.ROLLBACK_PREPARED, "ROLLBACK PREPARED");
        }
        int j = skipWorkOrTransaction(1);
        if (t.isKeyword(j, "to")) {
            return savepoint(TransactionControl.Command.ROLLBACK_TO, "ROLLBACK",
                    t.isKeyword(j + 1, "savepoint") ? j + 2 : j + 1);
        }
        return transaction(
                new TransactionControl(TransactionControl.Command.ROLLBACK, null, null, false, null, chain(j)),
                "ROLLBACK");
    }

    private int skipWorkOrTransaction(int j) {
        return t.isKeyword(j, "work") || t.isKeyword(j, "transaction") ? j + 1 : j;
    }

    private boolean chain(int j) {
        return t.isKeyword(j, "and") && t.isKeyword(j + 1, "chain");
    }

    private Classification savepoint(TransactionControl.Command which, String tag, int nameAt) {
        Token name = t.get(nameAt);
        if (name == null || !name.type().isName()) {
            return other(tag);
        }
        return transaction(new TransactionControl(which, name.text(), null, false, null, false), tag);
    }

    private Classification prepared(TransactionControl.Command which, String tag) {
        Token gid = t.get(2);
        if (gid == null || !gid.type().isString()) {
            return other(tag);
        }
        return transaction(new TransactionControl(which, null, gid.text(), false, null, false), tag);
    }

    private Classification prepare() {
        // PREPARE TRANSACTION 'gid' is two-phase commit; PREPARE name AS ... is a SQL prepared statement
        if (t.isKeyword(1, "transaction") && t.type(2) != null && t.type(2).isString()) {
            return prepared(TransactionControl.Command.PREPARE_TRANSACTION, "PREPARE TRANSACTION");
        }
        return session("PREPARE", SessionFeature.SQL_PREPARED_STATEMENT);
    }

    private Classification transaction(TransactionControl control, String tag) {
        kind = StatementKind.TRANSACTION;
        command = tag;
        transaction = control;
        return build();
    }

    // ---- session ----

    private Classification set() {
        int j = 1;
        SetCommand.Scope scope = SetCommand.Scope.SESSION;
        if (t.isKeyword(j, "local")) {
            scope = SetCommand.Scope.LOCAL;
            j++;
        } else if (t.isKeyword(j, "session") && !t.isKeyword(j + 1, "authorization")
                && !t.isKeyword(j + 1, "characteristics")) {
            j++;
        }
        if (t.isKeyword(j, "transaction")) {
            return transactionModes(TransactionControl.Command.SET_TRANSACTION, "SET", j + 1);
        }
        if (t.isKeyword(j, "constraints")) {
            return session("SET CONSTRAINTS"); // lasts only until the transaction ends
        }
        if (t.isKeyword(j, "session") && t.isKeyword(j + 1, "characteristics")) {
            return sessionCharacteristics(j + 2);
        }
        if (t.isKeyword(j, "session") && t.isKeyword(j + 1, "authorization")) {
            features.add(SessionFeature.ROLE);
            return setTo(scope, "session_authorization", j + 2);
        }
        if (t.isKeyword(j, "role")) {
            features.add(SessionFeature.ROLE);
            int value = t.isKeyword(j + 1, "to") || t.isOperator(j + 1, "=") ? j + 2 : j + 1;
            return setTo(scope, "role", value);
        }
        if (t.isKeyword(j, "time") && t.isKeyword(j + 1, "zone")) {
            return setTo(scope, "timezone", j + 2);
        }
        if (t.isKeyword(j, "names")) {
            return setTo(scope, "client_encoding", j + 1);
        }
        if (t.isKeyword(j, "schema")) {
            return setTo(scope, "search_path", j + 1);
        }
        if (t.isKeyword(j, "xml") && t.isKeyword(j + 1, "option")) {
            return setTo(scope, "xmloption", j + 2);
        }
        String name = parameterName(j);
        if (name == null) {
            return other("SET");
        }
        int after = parameterNameEnd(j);
        if (t.isKeyword(after, "to") || t.isOperator(after, "=")) {
            return setTo(scope, name, after + 1);
        }
        if (t.isKeyword(after, "from") && t.isKeyword(after + 1, "current")) {
            set = SetCommand.of(scope, name, null, false);
            return session("SET");
        }
        return other("SET");
    }

    /** SET ... {@code <value>} where the value starts at token j and runs to the end of the statement. */
    private Classification setTo(SetCommand.Scope scope, String name, int j) {
        String value = t.raw(j, t.size);
        boolean isDefault = value == null
                || (j + 1 == t.size && (t.isKeyword(j, "default") || (name.equals("timezone") && t.isKeyword(j, "local"))));
        set = SetCommand.of(scope, name, value, isDefault);
        return session("SET");
    }

    /**
     * SET SESSION CHARACTERISTICS AS TRANSACTION mode sets the default_transaction_* parameter
     * behind the mode. Only the first mode is reported when several are given.
     */
    private Classification sessionCharacteristics(int j) {
        if (!t.isKeyword(j, "as") || !t.isKeyword(j + 1, "transaction")) {
            return other("SET");
        }
        int mode = j + 2;
        if (t.isKeyword(mode, "isolation") && t.isKeyword(mode + 1, "level")) {
            String isolation = modes(TransactionControl.Command.SET_TRANSACTION, mode).isolationLevel();
            if (isolation == null) {
                return other("SET");
            }
            set = SetCommand.of(SetCommand.Scope.SESSION, "default_transaction_isolation",
                    "'" + isolation + "'", false);
        } else if (t.isKeyword(mode, "read") && (t.isKeyword(mode + 1, "only") || t.isKeyword(mode + 1, "write"))) {
            set = SetCommand.of(SetCommand.Scope.SESSION, "default_transaction_read_only",
                    t.isKeyword(mode + 1, "only") ? "on" : "off", false);
        } else if (t.isKeyword(mode, "deferrable") || (t.isKeyword(mode, "not") && t.isKeyword(mode + 1, "deferrable"))) {
            set = SetCommand.of(SetCommand.Scope.SESSION, "default_transaction_deferrable",
                    t.isKeyword(mode, "not") ? "off" : "on", false);
        } else {
            return other("SET");
        }
        return session("SET");
    }

    private Classification reset() {
        if (t.isKeyword(1, "all")) {
            set = SetCommand.ofResetAll();
        } else if (t.isKeyword(1, "time") && t.isKeyword(2, "zone")) {
            set = SetCommand.ofReset("timezone");
        } else if (t.isKeyword(1, "session") && t.isKeyword(2, "authorization")) {
            features.add(SessionFeature.ROLE);
            set = SetCommand.ofReset("session_authorization");
        } else if (t.isKeyword(1, "transaction") && t.isKeyword(2, "isolation") && t.isKeyword(3, "level")) {
            set = SetCommand.ofReset("transaction_isolation");
        } else {
            String name = parameterName(1);
            if (name == null) {
                return other("RESET");
            }
            if (name.equals("role")) {
                features.add(SessionFeature.ROLE);
            }
            set = SetCommand.ofReset(name);
        }
        return session("RESET");
    }

    /** A run-time parameter's name, dotted for extension and custom parameters, in lower case. */
    private String parameterName(int j) {
        Token first = t.get(j);
        if (first == null || !first.type().isName()) {
            return null;
        }
        StringBuilder name = new StringBuilder(first.text());
        for (int k = j + 1; t.is(k, TokenType.DOT) && t.type(k + 1) != null && t.type(k + 1).isName(); k += 2) {
            name.append('.').append(t.get(k + 1).text());
        }
        return name.toString().toLowerCase(java.util.Locale.ROOT);
    }

    private int parameterNameEnd(int j) {
        int k = j + 1;
        while (t.is(k, TokenType.DOT) && t.type(k + 1) != null && t.type(k + 1).isName()) {
            k += 2;
        }
        return k;
    }

    private Classification discard() {
        String what = t.keyword(1);
        String tag = "DISCARD";
        if (what != null) {
            tag = switch (what) {
                case "all" -> "DISCARD ALL";
                case "plans" -> "DISCARD PLANS";
                case "sequences" -> "DISCARD SEQUENCES";
                case "temp", "temporary" -> "DISCARD TEMP";
                default -> "DISCARD";
            };
        }
        return session(tag, SessionFeature.DISCARD);
    }

    private Classification deallocate() {
        int j = t.isKeyword(1, "prepare") ? 2 : 1;
        return session(t.isKeyword(j, "all") ? "DEALLOCATE ALL" : "DEALLOCATE", SessionFeature.SQL_PREPARED_STATEMENT);
    }

    /** DECLARE name ... CURSOR [WITH HOLD] FOR query: the query runs as the cursor is fetched. */
    private Classification declare() {
        int query = t.findTopLevel(1, t.size, "for");
        int headerEnd = query < 0 ? t.size : query;
        for (int k = 1; k < headerEnd; k++) {
            if (t.isKeyword(k, "with") && t.isKeyword(k + 1, "hold")) {
                features.add(SessionFeature.HOLD_CURSOR);
            }
        }
        if (query >= 0) {
            QueryScanner q = QueryScanner.scan(t, query + 1, t.size, writeFunctions, true);
            reads.addAll(q.reads);
            features.addAll(q.features);
            lockingRead = q.lockingRead;
        }
        return session("DECLARE CURSOR");
    }

    private Classification session(String tag, SessionFeature... pinned) {
        kind = StatementKind.SESSION;
        command = tag;
        for (SessionFeature feature : pinned) {
            features.add(feature);
        }
        return build();
    }

    // ---- schema ----

    private Classification create() {
        int j = 1;
        boolean temporary = false;
        while (true) {
            String word = t.keyword(j);
            if (word == null) {
                break;
            }
            if (word.equals("or") && t.isKeyword(j + 1, "replace")) {
                j += 2;
            } else if (word.equals("temp") || word.equals("temporary")) {
                temporary = true;
                j++;
            } else if (word.equals("global") || word.equals("local") || word.equals("unlogged") || word.equals("unique")
                    || word.equals("recursive") || word.equals("trusted") || word.equals("procedural")
                    || word.equals("constraint") || word.equals("virtual")
                    || (word.equals("default") && t.isKeyword(j + 1, "conversion"))) {
                j++;
            } else {
                break;
            }
        }
        ObjectTypes.Phrase object = ObjectTypes.at(t, j);
        command = "CREATE " + object.tag();
        if (object.is("TABLE") || object.is("MATERIALIZED VIEW")) {
            createAs(object, object.next());
            // ON COMMIT only applies to temporary tables
            for (int on = t.findTopLevel(object.next(), t.size, "on"); on >= 0;
                    on = t.findTopLevel(on + 1, t.size, "on")) {
                temporary |= t.isKeyword(on + 1, "commit");
            }
        } else if (object.is("VIEW")) {
            int as = t.findTopLevel(object.next(), t.size, "as");
            if (as >= 0) {
                reads.addAll(QueryScanner.scan(t, as + 1, t.size, writeFunctions, false).reads);
            }
        }
        // an object created in pg_temp is temporary, and so is a view over a temporary table
        for (int k = 1; k < t.size; k++) {
            temporary |= t.isKeyword(k, "pg_temp") && t.is(k + 1, TokenType.DOT);
        }
        if (temporary) {
            features.add(SessionFeature.TEMPORARY_OBJECT);
        }
        kind = StatementKind.DDL;
        return build();
    }

    /** CREATE TABLE|MATERIALIZED VIEW ... AS query [WITH [NO] DATA]: completes as SELECT n when it fills the table. */
    private void createAs(ObjectTypes.Phrase object, int from) {
        int as = -1;
        for (int k = t.findTopLevel(from, t.size, "as"); k >= 0; k = t.findTopLevel(k + 1, t.size, "as")) {
            if (t.startsQuery(k + 1) || t.isKeyword(k + 1, "execute")) {
                as = k;
                break;
            }
        }
        if (as < 0) {
            return;
        }
        int end = t.size;
        boolean noData = false;
        if (t.isKeyword(end - 1, "data") && t.isKeyword(end - 2, "no") && t.isKeyword(end - 3, "with")) {
            noData = true;
            end -= 3;
        } else if (t.isKeyword(end - 1, "data") && t.isKeyword(end - 2, "with")) {
            end -= 2;
        }
        if (t.isKeyword(as + 1, "execute")) {
            features.add(SessionFeature.SQL_PREPARED_STATEMENT);
        } else {
            QueryScanner q = QueryScanner.scan(t, as + 1, end, writeFunctions, !noData);
            reads.addAll(q.reads);
            features.addAll(q.features);
        }
        if (!noData) {
            command = "SELECT";
        } else if (object.is("TABLE")) {
            command = "CREATE TABLE AS";
        }
    }

    private Classification truncate() {
        int j = t.isKeyword(1, "table") ? 2 : 1;
        while (true) {
            if (t.isKeyword(j, "only")) {
                j++;
            }
            Tokens.Name table = t.target(j);
            if (table == null) {
                break;
            }
            writes.add(table.ref());
            j = table.next();
            if (t.isOperator(j, "*")) {
                j++;
            }
            if (!t.is(j, TokenType.COMMA)) {
                break;
            }
            j++;
        }
        return ddl("TRUNCATE TABLE");
    }

    private Classification ddl(String tag) {
        kind = StatementKind.DDL;
        command = tag;
        return build();
    }

    // ---- other ----

    /** CALL runs a procedure nobody here can see into; its arguments may still take advisory locks. */
    private Classification call() {
        features.addAll(QueryScanner.scan(t, 1, t.size, writeFunctions, true).features);
        return other("CALL");
    }

    private Classification other(String tag) {
        kind = StatementKind.OTHER;
        command = tag;
        return build();
    }

    private Classification result(StatementKind resultKind, String tag) {
        kind = resultKind;
        command = tag;
        return build();
    }

    private Classification build() {
        return new Classification(kind, command, transaction, set, features, new ArrayList<>(writes),
                new ArrayList<>(reads), returning, lockingRead);
    }

    /** Several statements where one was expected: conservatively OTHER, with everything any of them does. */
    static Classification merge(List<Classification> parts) {
        EnumSet<SessionFeature> features = EnumSet.noneOf(SessionFeature.class);
        Set<TableRef> writes = new LinkedHashSet<>();
        Set<TableRef> reads = new LinkedHashSet<>();
        boolean locking = false;
        for (Classification part : parts) {
            features.addAll(part.sessionFeatures());
            writes.addAll(part.writeTables());
            reads.addAll(part.readTables());
            locking |= part.lockingRead();
        }
        return new Classification(StatementKind.OTHER, parts.get(0).command(), null, null, features,
                new ArrayList<>(writes), new ArrayList<>(reads), false, locking);
    }
}
