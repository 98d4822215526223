package tandem.core.sql;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one statement is, as far as routing, mirroring and session pinning care. Instances are
 * immutable and shared through the classification cache.
 *
 * @param kind what the statement does; OTHER whenever the classifier is unsure
 * @param command the tag PostgreSQL's CommandComplete carries for the statement, before any row
 *     count ({@code SELECT}, {@code INSERT}, {@code CREATE TABLE}, {@code START TRANSACTION}, ...);
 *     empty for EMPTY. Three are only the statement's own: COMMIT completes as ROLLBACK when the
 *     transaction had failed, EXECUTE completes with the prepared statement's tag, and an
 *     unknown statement gets its first word.
 * @param transaction for TRANSACTION statements, what they ask for; otherwise null
 * @param set for SET and RESET of a run-time parameter, the parameter and its value; otherwise null
 * @param sessionFeatures what the statement leaves behind in its server session; usually empty
 * @param writeTables tables whose rows the statement changes: targets of INSERT, UPDATE, DELETE,
 *     MERGE, COPY ... FROM and TRUNCATE, including those inside data-modifying CTEs
 * @param readTables tables named after FROM, JOIN and USING, in subqueries and CTEs too, best
 *     effort; CTE names and set-returning functions are not tables
 * @param returning the statement itself (not a CTE inside it) has a RETURNING clause
 * @param lockingRead a SELECT ... FOR UPDATE|NO KEY UPDATE|SHARE|KEY SHARE, which reads but takes row locks
 */
public record Classification(
        StatementKind kind,
        String command,
        TransactionControl transaction,
        SetCommand set,
        Set<SessionFeature> sessionFeatures,
        List<TableRef> writeTables,
        List<TableRef> readTables,
        boolean returning,
        boolean lockingRead) {

    private static final Set<SessionFeature> NO_FEATURES = Collections.unmodifiableSet(EnumSet.noneOf(SessionFeature.class));

    /** A Query string with no statement in it, answered with EmptyQueryResponse. */
    public static final Classification EMPTY = of(StatementKind.EMPTY, "");

    public Classification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(command, "command");
        sessionFeatures = sessionFeatures == null || sessionFeatures.isEmpty()
                ? NO_FEATURES
                : Collections.unmodifiableSet(EnumSet.copyOf(sessionFeatures));
        writeTables = writeTables == null ? List.of() : List.copyOf(writeTables);
        readTables = readTables == null ? List.of() : List.copyOf(readTables);
    }

    static Classification of(StatementKind kind, String command) {
        return new Classification(kind, command, null, null, null, null, null, false, false);
    }

    /** Whether the client must stay on its server session from now on. */
    public boolean pinsSession() {
        return !sessionFeatures.isEmpty();
    }
}
