package tandem.core.sql;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One pass over a query or data-modifying statement (and everything nested in it) that finds the
 * tables it writes and reads, data-modifying CTEs, locking clauses, SELECT ... INTO and calls to
 * functions that matter for routing.
 *
 * <p>It is not a parser. It tracks parenthesis levels and, per level, which statement the level
 * holds and whether it is inside a FROM list, which is enough to tell a table after FROM, JOIN,
 * USING or a FROM-list comma from a column, an alias or {@code EXTRACT(year FROM ts)}. A
 * data-modifying statement is recognized anywhere by its keyword and what must follow it
 * ({@code INSERT INTO}, {@code UPDATE name ... SET}, {@code DELETE FROM}, {@code MERGE INTO}), so
 * {@code FOR UPDATE}, {@code ON CONFLICT DO UPDATE} and MERGE's {@code THEN UPDATE} are not
 * mistaken for one.
 */
final class QueryScanner {

    private static final Set<String> WRITE_FUNCTIONS = Set.of("nextval", "setval");
    private static final Set<String> ADVISORY_LOCKS = Set.of(
            "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared");
    private static final Set<String> ADVISORY_UNLOCKS = Set.of(
            "pg_advisory_unlock", "pg_advisory_unlock_shared", "pg_advisory_unlock_all");
    /**
     * Functions whose effect or answer belongs to the primary's session or transaction: a SELECT
     * that calls one must not be served by the secondary, though it writes no rows.
     */
    private static final Set<String> PRIMARY_ONLY_FUNCTIONS = Set.of(
            "currval", "lastval", "pg_notify", "txid_current", "txid_current_if_assigned", "pg_current_xact_id",
            "pg_current_xact_id_if_assigned", "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared",
            "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared", "lo_creat", "lo_create", "lo_import",
            "lo_export", "lo_unlink", "lo_from_bytea", "lo_put", "pg_terminate_backend", "pg_cancel_backend",
            "pg_reload_conf", "pg_rotate_logfile", "pg_switch_wal", "pg_create_restore_point", "dblink_exec",
            "pg_create_logical_replication_slot", "pg_create_physical_replication_slot", "pg_drop_replication_slot");

    /** What one parenthesis level holds. */
    private static final class Level {
        /** Whether a FROM at this level starts a table list (false inside function arguments). */
        boolean query;
        /** The level's statement: select, values, table, insert, update, delete, merge or replace. */
        String kind;
        boolean fromList;
        boolean pendingItem;
        boolean usingSeen;

        Level(boolean query) {
            this.query = query;
        }
    }

    private final Tokens t;
    private final Set<String> extraWriteFunctions;
    private final Set<String> cteNames = new HashSet<>();

    final Set<TableRef> writes = new LinkedHashSet<>();
    final Set<TableRef> reads = new LinkedHashSet<>();
    final EnumSet<SessionFeature> features = EnumSet.noneOf(SessionFeature.class);
    /** The statement at the outermost level: select, values, table, insert, update, delete, merge, replace; or null. */
    String mainKind;
    boolean dataModifying;
    boolean selectInto;
    boolean lockingRead;
    boolean topLevelReturning;
    boolean callsWriteFunction;
    boolean callsPrimaryOnlyFunction;

    private QueryScanner(Tokens t, Set<String> extraWriteFunctions) {
        this.t = t;
        this.extraWriteFunctions = extraWriteFunctions;
    }

    /**
     * Scans tokens [from, to). {@code executes} says whether the statement runs the query now
     * (a SELECT does, CREATE VIEW does not), so function calls in it count.
     */
    static QueryScanner scan(Tokens t, int from, int to, Set<String> extraWriteFunctions, boolean executes) {
        QueryScanner scanner = new QueryScanner(t, extraWriteFunctions);
        scanner.collectCteNames(from, to);
        scanner.walk(from, to);
        if (executes) {
            scanner.functionCalls(from, to);
        }
        return scanner;
    }

    private void walk(int from, int to) {
        Deque<Level> levels = new ArrayDeque<>();
        Level top = new Level(true);
        levels.push(top);
        for (int i = from; i < to; i++) {
            Token token = t.get(i);
            Level level = levels.peek();
            switch (token.type()) {
                case LEFT_PAREN -> {
                    Level inner = new Level(t.startsQuery(i + 1));
                    if (level.pendingItem) {
                        level.pendingItem = false;
                        if (!inner.query) {
                            // FROM (a JOIN b ON ...): a parenthesized join tree, whose first token is a table
                            inner.query = true;
                            inner.fromList = true;
                            inner.pendingItem = true;
                        }
                    }
                    levels.push(inner);
                    continue;
                }
                case RIGHT_PAREN -> {
                    if (levels.size() > 1) {
                        levels.pop();
                    }
                    continue;
                }
                default -> {
                }
            }
            if (level.pendingItem) {
                i = fromItem(i, level) - 1;
                continue;
            }
            if (token.type() == TokenType.COMMA) {
                level.pendingItem = level.fromList;
                continue;
            }
            if (token.type() != TokenType.IDENTIFIER) {
                continue;
            }
            switch (token.text()) {
                case "select", "values" -> setKind(level, token.text());
                case "table" -> {
                    setKind(level, "table");
                    level.pendingItem = true;
                }
                case "from" -> {
                    boolean distinctFrom = t.isKeyword(i - 1, "distinct")
                            && (t.isKeyword(i - 2, "is") || t.isKeyword(i - 2, "not"));
                    if (level.query && !distinctFrom) {
                        level.fromList = true;
                        level.pendingItem = true;
                    }
                }
                case "join" -> {
                    level.fromList = true;
                    level.pendingItem = true;
                }
                case "using" -> {
                    // DELETE ... USING and MERGE ... USING name tables; JOIN ... USING (cols) does not
                    boolean delete = "delete".equals(level.kind);
                    if (!level.usingSeen && (delete || "merge".equals(level.kind))) {
                        level.usingSeen = true;
                        level.fromList = delete;
                        level.pendingItem = true;
                    }
                }
                case "insert", "update", "delete", "merge", "replace" -> {
                    int next = dataModifying(i, level);
                    if (next > i) {
                        i = next - 1;
                    }
                }
                case "into" -> {
                    if ("select".equals(level.kind)) {
                        i = selectInto(i) - 1;
                    }
                }
                case "for" -> {
                    level.fromList = false;
                    if (t.isKeyword(i + 1, "update") || t.isKeyword(i + 1, "share")
                            || (t.isKeyword(i + 1, "no") && t.isKeyword(i + 2, "key") && t.isKeyword(i + 3, "update"))
                            || (t.isKeyword(i + 1, "key") && t.isKeyword(i + 2, "share"))) {
                        lockingRead = true;
                    }
                }
                case "returning" -> {
                    level.fromList = false;
                    if (levels.size() == 1) {
                        topLevelReturning = true;
                    }
                }
                case "on" -> {
                    if (t.isKeyword(i + 1, "conflict")) {
                        level.fromList = false;
                    }
                }
                case "where", "group", "having", "window", "order", "limit", "offset", "fetch", "union", "intersect",
                        "except", "set", "do", "when" -> level.fromList = false;
                default -> {
                }
            }
        }
        mainKind = top.kind;
    }

    private static void setKind(Level level, String kind) {
        if (level.kind == null) {
            level.kind = kind;
        }
    }

    /** Reads the FROM item at i; returns the index of the next token to look at. */
    private int fromItem(int i, Level level) {
        level.pendingItem = false;
        int j = i;
        while (t.isKeyword(j, "lateral") || t.isKeyword(j, "only")) {
            j++;
        }
        if (t.is(j, TokenType.LEFT_PAREN)) {
            // a subquery or join tree: the '(' branch of walk() takes it from here
            level.pendingItem = true;
            return j;
        }
        if (t.isKeyword(j, "rows") && t.isKeyword(j + 1, "from")) {
            return j + 2;
        }
        Tokens.Name name = t.name(j);
        if (name == null) {
            return Math.max(j, i + 1);
        }
        if (!t.is(name.next(), TokenType.LEFT_PAREN)) {
            TableRef ref = name.ref();
            if (ref.schema() != null || !cteNames.contains(ref.name())) {
                reads.add(ref);
            }
        }
        return name.next();
    }

    /**
     * If the keyword at i starts a data-modifying statement, records its target and returns the
     * index after the target's name; otherwise returns -1.
     */
    private int dataModifying(int i, Level level) {
        String word = t.keyword(i);
        String before = t.keyword(i - 1);
        if (before != null) {
            switch (before) {
                // FOR [NO KEY] UPDATE, ON CONFLICT DO UPDATE, MERGE's WHEN ... THEN UPDATE|DELETE|INSERT
                case "for", "key", "do", "then" -> {
                    return -1;
                }
                default -> {
                }
            }
        }
        int j = i + 1;
        switch (word) {
            case "insert" -> {
                if (t.isKeyword(j, "or") && t.keyword(j + 1) != null) {
                    j += 2; // SQLite: INSERT OR REPLACE|IGNORE|ABORT|FAIL|ROLLBACK INTO
                }
                if (!t.isKeyword(j, "into")) {
                    return -1;
                }
                j++;
            }
            case "replace", "merge" -> {
                if (!t.isKeyword(j, "into")) {
                    return -1;
                }
                j++;
            }
            case "delete" -> {
                if (!t.isKeyword(j, "from")) {
                    return -1;
                }
                j++;
            }
            case "update" -> {
                if (t.isKeyword(j, "or") && t.keyword(j + 1) != null) {
                    j += 2; // SQLite: UPDATE OR IGNORE
                }
            }
            default -> {
                return -1;
            }
        }
        if (t.isKeyword(j, "only")) {
            j++;
        }
        Tokens.Name target = t.target(j);
        if (target == null) {
            return -1;
        }
        if (word.equals("update") && !updateSetFollows(target.next())) {
            return -1;
        }
        writes.add(target.ref());
        dataModifying = true;
        setKind(level, word);
        return target.next();
    }

    /** UPDATE name [*] [[AS] alias] SET: anything else is not an UPDATE statement. */
    private boolean updateSetFollows(int k) {
        if (t.isOperator(k, "*")) {
            k++;
        }
        if (t.isKeyword(k, "as")) {
            k++;
        }
        if (!t.isKeyword(k, "set") && t.isName(k)) {
            k++;
        }
        return t.isKeyword(k, "set");
    }

    /** SELECT ... INTO [TEMP|TEMPORARY|UNLOGGED] [TABLE] name: creates a table. Returns the index after it. */
    private int selectInto(int i) {
        selectInto = true;
        int j = i + 1;
        boolean temporary = false;
        if (t.isKeyword(j, "global") || t.isKeyword(j, "local")) {
            j++;
        }
        if (t.isKeyword(j, "temp") || t.isKeyword(j, "temporary")) {
            temporary = true;
            j++;
        } else if (t.isKeyword(j, "unlogged")) {
            j++;
        }
        if (t.isKeyword(j, "table")) {
            j++;
        }
        Tokens.Name name = t.name(j);
        if (name != null) {
            temporary |= "pg_temp".equals(name.ref().schema());
            j = name.next();
        }
        if (temporary) {
            features.add(SessionFeature.TEMPORARY_OBJECT);
        }
        return j;
    }

    /** WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (query), name ...: names that are not tables. */
    private void collectCteNames(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!t.isKeyword(i, "as")) {
                continue;
            }
            int body = i + 1;
            if (t.isKeyword(body, "not")) {
                body++;
            }
            if (t.isKeyword(body, "materialized")) {
                body++;
            }
            if (!t.is(body, TokenType.LEFT_PAREN) || !t.startsQuery(body + 1)) {
                continue;
            }
            int name = i - 1;
            if (t.is(name, TokenType.RIGHT_PAREN)) {
                name = t.opening(name) - 1;
            }
            boolean listed = t.isKeyword(name - 1, "with") || t.isKeyword(name - 1, "recursive")
                    || t.is(name - 1, TokenType.COMMA);
            if (name >= from && listed && t.type(name) != null && t.type(name).isName()) {
                cteNames.add(t.get(name).text());
            }
        }
    }

    private void functionCalls(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!t.is(i + 1, TokenType.LEFT_PAREN) || t.type(i) == null || !t.type(i).isName()) {
                continue;
            }
            String name = t.get(i).text();
            if (WRITE_FUNCTIONS.contains(name) || extraWriteFunctions.contains(name)) {
                callsWriteFunction = true;
            } else if (ADVISORY_LOCKS.contains(name)) {
                features.add(SessionFeature.ADVISORY_LOCK);
                callsPrimaryOnlyFunction = true;
            } else if (ADVISORY_UNLOCKS.contains(name)) {
                features.add(SessionFeature.ADVISORY_UNLOCK);
                callsPrimaryOnlyFunction = true;
            } else if (name.equals("set_config")) {
                features.add(SessionFeature.SET_CONFIG);
                callsPrimaryOnlyFunction = true;
            } else if (PRIMARY_ONLY_FUNCTIONS.contains(name)) {
                callsPrimaryOnlyFunction = true;
            }
        }
    }
}
