package tandem.core.mirror;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import tandem.core.sql.Classification;
import tandem.core.sql.SqlLexer;
import tandem.core.sql.StatementClassifier;
import tandem.core.sql.StatementKind;
import tandem.core.sql.TableRef;
import tandem.core.sql.Token;
import tandem.core.sql.TokenType;
import tandem.core.store.StoreKind;

/**
 * Decides, for each statement the primary runs during a migration, how the rows it writes reach
 * the secondary (DESIGN.md, "The data path", point 4): a write on a mirrored table with a primary
 * key is rewritten to return the keys of the rows it changes ({@link WritePlan.Capture}), a write
 * on a mirrored table without one is replayed ({@link WritePlan.Replay}), what cannot be mirrored
 * faithfully is refused ({@link WritePlan.Refuse}) and everything else passes
 * ({@link WritePlan.Pass}).
 *
 * <p>One instance serves one primary and one set of mirrored tables, and caches its plans by
 * statement text (the same few hundred texts come again and again, parameters travel apart); make
 * a new one, or {@link #invalidateAll()}, when the set of mirrored tables changes.
 *
 * <p>The mirrored tables are looked up by name as the statement writes it, normalized as the
 * classifier normalizes it: {@code users} for {@code users}, {@code Users}, {@code public.users}
 * on PostgreSQL and {@code main.users} on SQLite; {@code "Users"} for the quoted name; and
 * {@code schema.name} for any other schema.
 *
 * <p>What no statement text shows is out of reach here and stays the verifier's to catch: rows
 * written by triggers, rules, functions and procedures, writes through views, rows that a
 * foreign key's ON DELETE or ON UPDATE action changes in another table, and SQLite's
 * constraint-level ON CONFLICT REPLACE.
 */
public final class WriteRewriter {

    public static final int DEFAULT_MAXIMUM_SIZE = 10_000;

    /** Longer statements are planned but not cached, as in the classification cache: mostly one-off bulk INSERTs. */
    public static final int MAXIMUM_CACHED_LENGTH = 16 * 1024;

    private static final StatementClassifier CLASSIFIER = new StatementClassifier();
    private static final Set<String> RESERVED = Set.of(CaptureSql.WRITE, CaptureSql.LOG, CaptureSql.TOKEN);

    private final StoreKind dialect;
    private final Function<String, Table> tables;
    private final Cache<String, WritePlan> plans;

    /**
     * @param dialect the primary's database
     * @param tables the mirrored tables by name (see the class comment); null for a table not mirrored
     */
    public WriteRewriter(StoreKind dialect, Function<String, Table> tables) {
        this(dialect, tables, DEFAULT_MAXIMUM_SIZE);
    }

    public WriteRewriter(StoreKind dialect, Function<String, Table> tables, int maximumSize) {
        if (maximumSize < 0) {
            throw new IllegalArgumentException("maximumSize: " + maximumSize + " (expected: >= 0)");
        }
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.tables = Objects.requireNonNull(tables, "tables");
        // maintenance (evicting plans of one-off texts) on the writing thread: handing it to the common
        // pool wakes a worker for every few statements, which costs more than the maintenance itself
        this.plans = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
    }

    /**
     * The plan for one statement: a Query's statement after splitting, or a Parse's text, with its
     * classification (which a cached plan does not look at again: it is the text's own). The
     * table lookup may be called from several threads at once.
     */
    public WritePlan plan(String sql, Classification classification) {
        if (sql.length() > MAXIMUM_CACHED_LENGTH) {
            return decide(sql, classification, true);
        }
        return plans.get(sql, text -> decide(text, classification, true));
    }

    /**
     * For a session whose {@code standard_conforming_strings} is off, where a backslash escapes a
     * quote and so moves where strings end. Such sessions are rare: their plans bypass the cache.
     */
    public WritePlan plan(String sql, Classification classification, boolean standardConformingStrings) {
        return standardConformingStrings ? plan(sql, classification) : decide(sql, classification, false);
    }

    public void invalidateAll() {
        plans.invalidateAll();
    }

    /** Approximate number of cached plans, for metrics. */
    public long estimatedSize() {
        return plans.estimatedSize();
    }

    private WritePlan decide(String sql, Classification c, boolean standardStrings) {
        return switch (c.kind()) {
            case READ, TRANSACTION, EMPTY -> WritePlan.PASS;
            case SESSION -> c.command().equals("PREPARE") ? prepare(sql, standardStrings) : WritePlan.PASS;
            case DDL -> schemaChange(sql, c, standardStrings);
            case WRITE, OTHER -> write(sql, c, standardStrings);
        };
    }

    private WritePlan write(String sql, Classification c, boolean standardStrings) {
        boolean dml = switch (c.command()) {
            case "INSERT", "UPDATE", "DELETE", "MERGE" -> true;
            default -> false;
        };
        List<TableRef> mirrored = mirrored(c.writeTables());
        if (c.kind() == StatementKind.WRITE && dml) {
            return dml(sql, c, mirrored, standardStrings);
        }
        if (mirrored.isEmpty()) {
            if (c.command().equals("DO")) {
                return doBlock(sql, standardStrings);
            }
            // a SQLite trigger's BEGIN ... ; END body splits into several statements, which classify as OTHER
            return c.kind() == StatementKind.OTHER ? schemaChange(sql, c, standardStrings) : WritePlan.PASS;
        }
        String table = name(mirrored.get(0));
        return switch (c.command()) {
            case "COPY" -> copiesIntoTable(sql, standardStrings)
                    ? Refusals.copy(table)
                    : Refusals.unknownRows(table, "COPY");
            case "EXPLAIN" -> Refusals.explainAnalyze(table);
            case "SELECT" -> Refusals.otherWrite(table);
            default -> Refusals.unknownRows(table, c.command());
        };
    }

    private WritePlan dml(String sql, Classification c, List<TableRef> mirrored, boolean standardStrings) {
        StatementTokens t = StatementTokens.of(sql, standardStrings);
        WriteShape shape = WriteShape.parse(t);
        if (shape == null || !c.writeTables().contains(shape.target())) {
            return mirrored.isEmpty() ? WritePlan.PASS : Refusals.unknownRows(name(mirrored.get(0)), c.command());
        }
        if (dialect == StoreKind.POSTGRES ? shape.resolution() != null : shape.verb().equals("merge")) {
            return WritePlan.PASS; // syntax this primary does not have: it rejects the statement, and nothing is written
        }
        Table table = lookup(shape.target());
        for (TableRef other : mirrored) {
            if (!other.equals(shape.target())) {
                return Refusals.otherWrite(name(other));
            }
        }
        if (table == null) {
            return WritePlan.PASS;
        }
        for (TableRef cte : shape.cteWrites()) {
            if (cte.name().startsWith("?") || lookup(cte) != null) {
                return Refusals.otherWrite(cte.name().startsWith("?") ? table.name() : name(cte));
            }
        }
        String reserved = reservedName(t);
        if (reserved != null) {
            return Refusals.reservedName(table.name(), reserved);
        }
        if (!table.hasKey()) {
            return new WritePlan.Replay(table);
        }
        WritePlan.Refuse refusal = conflictResolution(shape, table);
        if (refusal == null) {
            refusal = keyAssignment(shape, table);
        }
        if (refusal != null) {
            return refusal;
        }
        int keys = table.key().size();
        List<Integer> keyColumns = new ArrayList<>(keys);
        boolean postgres = dialect == StoreKind.POSTGRES;
        for (int k = 0; k < keys; k++) {
            keyColumns.add(postgres ? k + 1 : k);
        }
        String rewritten = postgres ? CaptureSql.postgres(sql, shape, table) : CaptureSql.sqlite(sql, shape, table);
        return new WritePlan.Capture(rewritten, table, c.command(), shape.returningAt() >= 0,
                postgres ? keys + 1 : keys, postgres ? 0 : -1, keyColumns);
    }

    /**
     * SQLite's OR REPLACE deletes whatever row conflicts on any unique key, and RETURNING reports
     * only the row written: fine when the primary key is the only unique key (the deleted row had
     * the same key, and the sync writes its new image), not otherwise. OR FAIL keeps the rows a
     * statement wrote before the failing one and returns no keys at all, so it may only write one.
     */
    private static WritePlan.Refuse conflictResolution(WriteShape shape, Table table) {
        String resolution = shape.resolution();
        if (resolution == null) {
            return null;
        }
        String verb = shape.verb().equals("insert") ? "INSERT" : "UPDATE";
        if (resolution.equals("replace")) {
            Set<String> key = lowerCase(table.key());
            List<List<String>> others = table.uniqueKeys().stream().filter(u -> !lowerCase(u).equals(key)).toList();
            if (!others.isEmpty()) {
                return Refusals.replace(table.name(), verb + " OR REPLACE", others);
            }
        } else if (resolution.equals("fail") && !(shape.verb().equals("insert") && shape.valuesRows() == 1)) {
            return Refusals.failSeveralRows(table.name(), verb);
        }
        return null;
    }

    /**
     * A key column in a SET changes the row's key, and the old key would stay on the secondary. An
     * upsert's {@code SET id = excluded.id} with {@code ON CONFLICT (id)} is the exception: the
     * conflicting row already has that key (ORMs write every column so).
     */
    private static WritePlan.Refuse keyAssignment(WriteShape shape, Table table) {
        Set<String> key = lowerCase(table.key());
        for (WriteShape.Assignment assignment : shape.assignments()) {
            if (!key.contains(assignment.column().toLowerCase(Locale.ROOT))) {
                continue;
            }
            boolean keepsKey = assignment.clause() == WriteShape.Clause.ON_CONFLICT && assignment.fromExcluded()
                    && assignment.conflictTarget() != null && lowerCase(assignment.conflictTarget()).equals(key);
            if (!keepsKey) {
                return Refusals.keyAssigned(table.name(), assignment.column(), assignment.clause(), table.key());
            }
        }
        return null;
    }

    private WritePlan schemaChange(String sql, Classification c, boolean standardStrings) {
        if (c.command().equals("TRUNCATE TABLE")) {
            List<TableRef> mirrored = mirrored(c.writeTables());
            return mirrored.isEmpty() ? WritePlan.PASS : Refusals.truncate(name(mirrored.get(0)));
        }
        List<TableRef> changed = mirrored(SchemaChanges.tables(StatementTokens.of(sql, standardStrings), c.command()));
        return changed.isEmpty() ? WritePlan.PASS : Refusals.schemaChange(name(changed.get(0)), c.command());
    }

    /** PREPARE name [(types)] AS statement: EXECUTE would run the statement unseen, so a write that needs mirroring is refused. */
    private WritePlan prepare(String sql, boolean standardStrings) {
        StatementTokens t = StatementTokens.of(sql, standardStrings);
        int as = t.findTopLevel(1, "as");
        if (as < 0 || as + 1 >= t.size) {
            return WritePlan.PASS;
        }
        String statement = sql.substring(t.start(as + 1), t.end());
        WritePlan inner = decide(statement, CLASSIFIER.classify(statement, standardStrings), standardStrings);
        return switch (inner) {
            case WritePlan.Pass pass -> pass;
            case WritePlan.Refuse refuse -> refuse;
            case WritePlan.Capture capture -> Refusals.prepare(capture.table().name());
            case WritePlan.Replay replay -> Refusals.prepare(replay.table().name());
        };
    }

    /** A DO block's body is code tandem cannot follow; one that names a mirrored table is refused. */
    private WritePlan doBlock(String sql, boolean standardStrings) {
        for (Token token : SqlLexer.tokenize(sql, standardStrings)) {
            if (!token.type().isString() || token.text() == null) {
                continue;
            }
            for (Token word : SqlLexer.tokenize(token.text())) {
                if (word.type().isName() && tables.apply(word.text()) != null) {
                    return Refusals.doBlock(tables.apply(word.text()).name());
                }
            }
        }
        return WritePlan.PASS;
    }

    /** COPY table FROM ..., as opposed to COPY (data-modifying query) TO ... */
    private static boolean copiesIntoTable(String sql, boolean standardStrings) {
        StatementTokens t = StatementTokens.of(sql, standardStrings);
        return !t.is(t.isKeyword(1, "binary") ? 2 : 1, TokenType.LEFT_PAREN);
    }

    /** A name tandem's rewrite uses, if the statement uses it too. */
    private static String reservedName(StatementTokens t) {
        for (int i = 0; i < t.size; i++) {
            Token token = t.get(i);
            if (!token.type().isName()) {
                continue;
            }
            String name = token.text().toLowerCase(Locale.ROOT);
            if (RESERVED.contains(name) || (name.startsWith(CaptureSql.KEY_PREFIX)
                    && name.length() > CaptureSql.KEY_PREFIX.length()
                    && name.substring(CaptureSql.KEY_PREFIX.length()).chars().allMatch(Character::isDigit))) {
                return token.text();
            }
        }
        return null;
    }

    private List<TableRef> mirrored(List<TableRef> refs) {
        List<TableRef> mirrored = new ArrayList<>();
        for (TableRef ref : refs) {
            if (lookup(ref) != null) {
                mirrored.add(ref);
            }
        }
        return mirrored;
    }

    private Table lookup(TableRef ref) {
        String defaultSchema = dialect == StoreKind.POSTGRES ? "public" : "main";
        if (ref.schema() == null || ref.schema().equals(defaultSchema)) {
            return tables.apply(ref.name());
        }
        return tables.apply(ref.schema() + "." + ref.name());
    }

    /** The mirrored table's own name, for messages. */
    private String name(TableRef ref) {
        Table table = lookup(ref);
        return table != null ? table.name() : ref.toString();
    }

    private static Set<String> lowerCase(List<String> names) {
        Set<String> lower = new HashSet<>();
        for (String name : names) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        return lower;
    }

}
