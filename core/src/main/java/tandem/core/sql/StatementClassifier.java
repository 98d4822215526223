package tandem.core.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tells what a statement is: read, write, DDL, transaction control, session state or other; its
 * command tag; the tables it writes and reads; and what it ties to its server session. Callers
 * split a Query string first ({@link StatementSplitter}); given several statements anyway, this
 * answers OTHER with everything any of them does. Thread-safe and uncached: the hot path goes
 * through {@link ClassificationCache}.
 *
 * <p>This is a tokenizer with rules, not a parser, and it errs on the side of the primary store:
 * whatever it does not understand is OTHER, never READ. Known blind spots: a user-defined
 * function called from a SELECT may write (name it in {@code writeFunctions}), and DO blocks and
 * procedures are opaque.
 *
 * <p>Throughput idea, not a test: classify a corpus of ~50 typical statements (pgbench's, Drizzle's
 * generated SQL) 1e6 times uncached and through the cache after a warm-up, and compare
 * nanoseconds per statement with and without the cache; a JMH harness in {@code loadtest} is the
 * place for it.
 */
public final class StatementClassifier {

    private final Set<String> writeFunctions;

    public StatementClassifier() {
        this(Set.of());
    }

    /**
     * @param writeFunctions names of functions (lower case, unqualified) that change data, beyond
     *     nextval and setval, so a SELECT calling one is a WRITE
     */
    public StatementClassifier(Set<String> writeFunctions) {
        Set<String> names = new java.util.HashSet<>();
        for (String name : writeFunctions) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        this.writeFunctions = Set.copyOf(names);
    }

    public Classification classify(String statement) {
        return classify(statement, true);
    }

    /**
     * @param standardConformingStrings the session's setting; when off, a backslash escapes a quote
     *     inside {@code '...'}, which changes where strings (and so statements) end
     */
    public Classification classify(String statement, boolean standardConformingStrings) {
        List<Token> tokens = SqlLexer.tokenize(statement, standardConformingStrings);
        boolean semicolon = false;
        for (Token token : tokens) {
            semicolon |= token.type() == TokenType.SEMICOLON;
        }
        if (!semicolon) {
            return StatementAnalysis.classify(new Tokens(statement, tokens), writeFunctions);
        }
        List<StatementSplitter.Range> ranges = StatementSplitter.ranges(statement, standardConformingStrings);
        List<Classification> parts = new ArrayList<>(ranges.size());
        int next = 0;
        for (StatementSplitter.Range range : ranges) {
            while (next < tokens.size() && tokens.get(next).start() < range.start()) {
                next++;
            }
            int from = next;
            while (next < tokens.size() && tokens.get(next).end() <= range.end()) {
                next++;
            }
            parts.add(StatementAnalysis.classify(new Tokens(statement, tokens.subList(from, next)), writeFunctions));
        }
        return switch (parts.size()) {
            case 0 -> Classification.EMPTY;
            case 1 -> parts.get(0);
            default -> StatementAnalysis.merge(parts);
        };
    }
}
