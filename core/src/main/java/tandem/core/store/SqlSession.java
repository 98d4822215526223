package tandem.core.store;

import java.util.List;
import java.util.Map;

import tandem.core.session.TransactionStatus;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;

/**
 * A PostgreSQL session emulated over a store that is not PostgreSQL (SQLite): the statement-level
 * half of an emulated server. The protocol half (messages, portals, formats, skip-until-Sync) lives
 * in the proxy and drives this interface from one thread at a time, except {@link #cancel()}.
 *
 * <p>Work comes in batches, as PostgreSQL sees it: one simple Query, or the extended-protocol
 * messages up to a Sync. Outside an explicit transaction block a batch is one implicit transaction:
 * it commits at {@link #endBatch} unless a statement failed, in which case all of it rolls back.
 * BEGIN inside a batch turns it into an explicit block that outlives the batch.
 *
 * <p>Every failure is a {@link tandem.core.error.ProxyException} with the SQLSTATE PostgreSQL
 * would have used; what does not translate to the store fails clearly rather than answering wrong.
 */
public interface SqlSession extends AutoCloseable {

    /**
     * Parses and checks one statement; {@code parameterTypes} are what the client declared (OID 0
     * left to the session to infer), possibly fewer than the statement uses.
     */
    PreparedSql prepare(String sql, List<PgType> parameterTypes);

    /**
     * Starts a batch. {@code writes} says whether any statement in it may write (or begins a
     * transaction that may). It is a hint: a session may take the store's writer for the whole
     * batch, or (as the SQLite session does) take connections at the first statement that needs
     * one and move to the writer at the first statement that writes.
     */
    void beginBatch(boolean writes);

    /**
     * Runs a prepared statement with bound values (Java values as {@link tandem.core.type} models
     * them, null for NULL) in the current batch.
     */
    Cursor execute(PreparedSql statement, List<Object> parameters);

    /**
     * Ends the batch: commits its implicit transaction, or rolls it back when {@code failed}; an
     * explicit block stays open (and is marked failed when {@code failed}). Returns the status to
     * report in ReadyForQuery. Also called for batches in which nothing ran (no beginBatch), so that
     * a failed Parse inside an explicit block still fails the block, as in PostgreSQL.
     */
    TransactionStatus endBatch(boolean failed);

    TransactionStatus status();

    /** The settings that shape how values are written as text: TimeZone, DateStyle, extra_float_digits. */
    PgSessionSettings outputSettings();

    /** ParameterStatus values to report at login. */
    Map<String, String> reportedParameters();

    /** ParameterStatus values that changed since the last call (a SET of application_name, say). */
    Map<String, String> changedParameters();

    /**
     * What the client changed with SET since it connected (committed), as the statements that give a
     * PostgreSQL session the same values: name to {@code SET name TO value}. For a session that
     * moves to a PostgreSQL store at a cutover.
     */
    default Map<String, String> settingsAsSql() {
        return Map.of();
    }

    /** Interrupts whatever runs now; called from another thread. */
    void cancel();

    /** Rolls back anything open and gives back the store's connections. */
    @Override
    void close();

    /** A parsed statement: what Describe reports before it runs. */
    interface PreparedSql {

        String sql();

        /** One per parameter the statement uses, inferred where the client left it open. */
        List<PgType> parameterTypes();

        /**
         * The columns it returns; empty for statements that return no rows. Types may be refined
         * once the statement runs (SQLite types expression columns by value).
         */
        List<Column> columns();

        boolean returnsRows();

        /** Whether running it can change nothing in the store, so that a reader connection will do. */
        boolean readOnly();

        /** The statement's command word(s) as CommandComplete begins, e.g. {@code INSERT}. */
        String command();

        /**
         * Whether column {@code i}'s type is decided at each execution by its first value (its
         * {@link #columns()} type is what is reported before): SQLite's untyped expressions.
         */
        default boolean typedByValue(int i) {
            return false;
        }
    }

    /** The rows of one execution, read forward; a command's cursor has no rows. */
    interface Cursor extends AutoCloseable {

        /**
         * The result columns. For a statement that only reads, a type {@link PreparedSql#columns()}
         * could not know may be decided here by the first row's value (the cursor reads ahead one
         * row to say); for a statement that writes, these are the columns Describe reported.
         */
        List<Column> columns();

        boolean next();

        /** The current row's value in {@code column} (0-based), in the Java model of its type. */
        Object value(int column);

        /** The CommandComplete tag, once {@link #next()} has returned false. */
        String commandTag();

        @Override
        void close();
    }

    /** A result column as RowDescription reports it. */
    record Column(String name, PgType type, int tableOid, short columnNumber) {
    }
}
