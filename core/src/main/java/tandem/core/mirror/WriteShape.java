package tandem.core.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tandem.core.sql.TableRef;
import tandem.core.sql.TokenType;

/**
 * Where the parts of one INSERT, UPDATE, DELETE or MERGE lie in its text: what the rewriter splices
 * around and what it checks before it captures keys. Offsets are into the statement's text.
 *
 * <p>Like the classifier this reads tokens, not a grammar: it follows the statement's own level
 * (depth zero) and the heads of its WITH queries, which is where PostgreSQL and SQLite put
 * everything that matters here. {@link #parse} answers null when the text does not have the shape
 * it expects, and the rewriter then refuses rather than guess.
 *
 * @param verb insert, update, delete or merge ({@code REPLACE INTO} is an insert)
 * @param resolution SQLite's conflict resolution ({@code INSERT OR IGNORE} is "ignore", {@code REPLACE
 *     INTO} is "replace"), or null
 * @param target the table written
 * @param reference how the statement's own clauses refer to the target: its alias, else the table's
 *     name as written (its last part)
 * @param begin where the first token starts (text before it is comments and space)
 * @param withStart where a leading {@code WITH} starts, or -1
 * @param withEnd where that WITH list's last query ends, or -1
 * @param verbStart where the INSERT, UPDATE, DELETE or MERGE keyword starts
 * @param end where the last token ends (text after it is comments, space and semicolons)
 * @param returningAt where the statement's own RETURNING list starts (after {@code RETURNING} and
 *     PostgreSQL 18's {@code WITH (OLD AS o, NEW AS n)}), or -1 when it has none
 * @param returningGoesAt where SQLite takes a new RETURNING clause: before a trailing ORDER BY or
 *     LIMIT of an UPDATE or DELETE, else at the end
 * @param assignments the columns that SET clauses assign
 * @param cteWrites tables that data-modifying WITH queries write
 * @param valuesRows how many rows an INSERT ... VALUES lists, or -1 when it inserts otherwise
 */
record WriteShape(
        String verb,
        String resolution,
        TableRef target,
        String reference,
        int begin,
        int withStart,
        int withEnd,
        int verbStart,
        int end,
        int returningAt,
        int returningGoesAt,
        List<Assignment> assignments,
        List<TableRef> cteWrites,
        int valuesRows) {

    /** Which SET assigns a column. */
    enum Clause {
        UPDATE("UPDATE"),
        ON_CONFLICT("ON CONFLICT DO UPDATE"),
        MERGE("MERGE ... THEN UPDATE");

        final String text;

        Clause(String text) {
            this.text = text;
        }
    }

    /**
     * One assigned column. For an upsert, {@code conflictTarget} is the ON CONFLICT column list when
     * it is a plain one (else null), and {@code fromExcluded} says the value is exactly
     * {@code excluded.<the same column>}: together they show an assignment that keeps the key.
     */
    record Assignment(String column, Clause clause, boolean fromExcluded, List<String> conflictTarget) {
    }

    private static final Set<String> VERBS = Set.of("insert", "update", "delete", "merge", "replace");

    /** Words that end a SET list at depth zero. */
    private static final Set<String> AFTER_SET = Set.of("from", "where", "returning", "when", "on", "order", "limit");

    /** Words after an UPDATE's or DELETE's target that are not its alias. */
    private static final Set<String> NOT_AN_ALIAS = Set.of(
            "set", "where", "using", "returning", "order", "limit", "from", "indexed", "not");

    static WriteShape parse(StatementTokens t) {
        if (t.size == 0 || t.several) {
            return null;
        }
        int withStart = -1;
        int withEnd = -1;
        int main = 0;
        List<TableRef> cteWrites = new ArrayList<>();
        if (t.isKeyword(0, "with")) {
            main = mainVerb(t);
            if (main < 0) {
                return null;
            }
            withStart = t.start(0);
            withEnd = t.end(main - 1);
            cteWrites(t, main, cteWrites);
        }
        String verb = t.keyword(main);
        if (verb == null || !VERBS.contains(verb)) {
            return null;
        }
        int j = main + 1;
        String resolution = null;
        if (verb.equals("replace")) {
            resolution = "replace";
            verb = "insert";
        } else if ((verb.equals("insert") || verb.equals("update")) && t.isKeyword(j, "or") && t.keyword(j + 1) != null) {
            resolution = t.keyword(j + 1);
            j += 2;
        }
        switch (verb) {
            case "insert", "merge" -> {
                if (!t.isKeyword(j, "into")) {
                    return null;
                }
                j++;
            }
            case "delete" -> {
                if (!t.isKeyword(j, "from")) {
                    return null;
                }
                j++;
            }
            default -> {
            }
        }
        if (t.isKeyword(j, "only")) {
            j++;
        }
        StatementTokens.Name target = t.table(j);
        if (target == null) {
            return null;
        }
        String reference = t.raw(target.last());
        j = target.next();
        if (t.isOperator(j, "*")) {
            j++;
        }
        if (t.isKeyword(j, "as") && t.get(j + 1) != null && t.get(j + 1).type().isName()) {
            reference = t.raw(j + 1);
            j += 2;
        } else if (!verb.equals("insert") && t.get(j) != null
                && (t.is(j, TokenType.QUOTED_IDENTIFIER)
                        || (t.is(j, TokenType.IDENTIFIER) && !NOT_AN_ALIAS.contains(t.keyword(j))))) {
            reference = t.raw(j);
            j++;
        }
        Body body = new Body(t, verb, j);
        body.scan();
        return new WriteShape(verb, resolution, target.ref(), reference, t.begin(), withStart, withEnd, t.start(main),
                t.end(), body.returningAt, body.returningGoesAt, List.copyOf(body.assignments), List.copyOf(cteWrites),
                body.valuesRows);
    }

    /** The index of the statement's own verb after a leading WITH list: its first depth-zero verb. */
    private static int mainVerb(StatementTokens t) {
        for (int i = 1; i < t.size; i++) {
            if (t.depth(i) == 0 && VERBS.contains(String.valueOf(t.keyword(i)))) {
                return i;
            }
            if (t.depth(i) == 0 && (t.isKeyword(i, "select") || t.isKeyword(i, "values") || t.isKeyword(i, "table"))) {
                return -1;
            }
        }
        return -1;
    }

    /** Targets of the WITH queries in [0, main) whose body is an INSERT, UPDATE, DELETE or MERGE. */
    private static void cteWrites(StatementTokens t, int main, List<TableRef> into) {
        for (int i = 1; i < main; i++) {
            if (t.depth(i) != 0 || !t.is(i, TokenType.LEFT_PAREN)
                    || !(t.isKeyword(i - 1, "as") || t.isKeyword(i - 1, "materialized"))) {
                continue;
            }
            int k = i + 1;
            while (t.is(k, TokenType.LEFT_PAREN)) {
                k++;
            }
            String word = t.keyword(k);
            if (word == null || !VERBS.contains(word)) {
                continue;
            }
            int j = k + 1;
            if (t.isKeyword(j, "or")) {
                j += 2;
            }
            if (t.isKeyword(j, "into") || t.isKeyword(j, "from")) {
                j++;
            }
            if (t.isKeyword(j, "only")) {
                j++;
            }
            StatementTokens.Name name = t.table(j);
            // a body the rewriter cannot read still writes something: name it by its keyword
            into.add(name != null ? name.ref() : TableRef.of("?" + word));
        }
    }

    /** The walk over the statement's own level after its target. */
    private static final class Body {
        final StatementTokens t;
        final String verb;
        final int from;
        final List<Assignment> assignments = new ArrayList<>();
        int returningAt = -1;
        int returningGoesAt;
        int valuesRows = -1;
        List<String> conflictTarget;

        Body(StatementTokens t, String verb, int from) {
            this.t = t;
            this.verb = verb;
            this.from = from;
            this.returningGoesAt = t.end();
        }

        void scan() {
            boolean updateSetSeen = false;
            boolean orderOrLimitSeen = false;
            for (int i = from; i < t.size; i++) {
                if (t.depth(i) != 0) {
                    continue;
                }
                String word = t.keyword(i);
                if (word == null) {
                    continue;
                }
                switch (word) {
                    case "values" -> {
                        if (verb.equals("insert") && valuesRows < 0 && t.isKeyword(i - 1, "default")) {
                            valuesRows = 1;
                        } else if (verb.equals("insert") && valuesRows < 0 && directlyAfterTarget(i)) {
                            valuesRows = countRows(i + 1);
                        }
                    }
                    case "set" -> {
                        if (verb.equals("update") && !updateSetSeen) {
                            updateSetSeen = true;
                            i = assignments(i + 1, Clause.UPDATE, null) - 1;
                        } else if (t.isKeyword(i - 1, "update") && t.isKeyword(i - 2, "do")) {
                            i = assignments(i + 1, Clause.ON_CONFLICT, conflictTarget) - 1;
                        } else if (t.isKeyword(i - 1, "update") && t.isKeyword(i - 2, "then")) {
                            i = assignments(i + 1, Clause.MERGE, null) - 1;
                        }
                    }
                    case "conflict" -> {
                        if (t.isKeyword(i - 1, "on")) {
                            conflictTarget = conflictColumns(i + 1);
                        }
                    }
                    case "order", "limit" -> {
                        if ((verb.equals("update") || verb.equals("delete")) && !orderOrLimitSeen && returningAt < 0) {
                            orderOrLimitSeen = true;
                            returningGoesAt = t.start(i);
                        }
                    }
                    case "returning" -> {
                        if (returningAt < 0) {
                            returningAt = t.end(i);
                            if (t.isKeyword(i + 1, "with") && t.is(i + 2, TokenType.LEFT_PAREN)) {
                                int close = t.closing(i + 2);
                                returningAt = close < t.size ? t.end(close) : t.end();
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        /** Whether VALUES at i is the INSERT's source: after the target and its column list, not in a SELECT. */
        private boolean directlyAfterTarget(int i) {
            int j = from;
            if (t.is(j, TokenType.LEFT_PAREN)) {
                j = t.closing(j) + 1;
            }
            if (t.isKeyword(j, "overriding")) {
                j += 3; // OVERRIDING SYSTEM|USER VALUE
            }
            return j == i;
        }

        /**
         * VALUES (...), (...): the number of rows, or -1 when anything but the end of the statement,
         * an ON CONFLICT or a RETURNING follows them (a UNION, say, adds rows).
         */
        private int countRows(int i) {
            int rows = 0;
            while (t.is(i, TokenType.LEFT_PAREN)) {
                rows++;
                i = t.closing(i) + 1;
                if (!t.is(i, TokenType.COMMA)) {
                    break;
                }
                i++;
            }
            boolean ends = i >= t.size || t.isKeyword(i, "on") || t.isKeyword(i, "returning");
            return rows > 0 && ends ? rows : -1;
        }

        /** ON CONFLICT (a, b) ...: the columns when each is a plain name, else null. */
        private List<String> conflictColumns(int i) {
            if (!t.is(i, TokenType.LEFT_PAREN)) {
                return null;
            }
            int close = t.closing(i);
            List<String> columns = new ArrayList<>();
            for (int k = i + 1; k < close; k += 2) {
                if (t.get(k) == null || !t.get(k).type().isName()
                        || !(t.is(k + 1, TokenType.COMMA) || k + 1 == close)) {
                    return null;
                }
                columns.add(t.get(k).text());
            }
            return columns;
        }

        /**
         * Reads a SET list from i: {@code col = expr}, {@code col[1] = expr}, {@code col.field = expr}
         * and {@code (a, b) = ...}, separated by depth-zero commas. Returns the index after it.
         */
        private int assignments(int i, Clause clause, List<String> target) {
            int cases = 0;
            boolean itemStart = true;
            for (; i < t.size; i++) {
                if (t.depth(i) != 0) {
                    continue;
                }
                String word = t.keyword(i);
                if (itemStart) {
                    itemStart = false;
                    if (t.is(i, TokenType.LEFT_PAREN)) {
                        int close = t.closing(i);
                        boolean columnStart = true;
                        for (int k = i + 1; k < close; k++) {
                            if (t.depth(k) == t.depth(i) + 1 && t.is(k, TokenType.COMMA)) {
                                columnStart = true;
                            } else if (columnStart && t.get(k).type().isName()) {
                                assignments.add(new Assignment(t.get(k).text(), clause, false, target));
                                columnStart = false;
                            }
                        }
                        i = close;
                    } else if (t.get(i).type().isName()) {
                        boolean excluded = t.isOperator(i + 1, "=") && t.isKeyword(i + 2, "excluded")
                                && t.is(i + 3, TokenType.DOT) && t.get(i + 4) != null
                                && t.get(i + 4).type().isName()
                                && t.get(i + 4).text().equalsIgnoreCase(t.get(i).text())
                                && (i + 5 == t.size || t.is(i + 5, TokenType.COMMA) || ends(i + 5, 0));
                        assignments.add(new Assignment(t.get(i).text(), clause, excluded, target));
                    }
                    continue;
                }
                if (word != null) {
                    if (word.equals("case")) {
                        cases++;
                    } else if (word.equals("end") && cases > 0) {
                        cases--;
                    } else if (ends(i, cases)) {
                        return i;
                    }
                } else if (t.is(i, TokenType.COMMA)) {
                    itemStart = true;
                }
            }
            return i;
        }

        /** Whether the word at i ends a SET list ({@code IS DISTINCT FROM} and CASE's WHEN do not). */
        private boolean ends(int i, int openCases) {
            String word = t.keyword(i);
            if (word == null || !AFTER_SET.contains(word)) {
                return false;
            }
            if (word.equals("from") && t.isKeyword(i - 1, "distinct")) {
                return false;
            }
            return !(word.equals("when") && openCases > 0);
        }
    }
}
