package tandem.core.sql;

/** What a statement does, as far as routing cares. */
public enum StatementKind {
    /**
     * Reads only: SELECT, VALUES, TABLE, WITH ... SELECT, EXPLAIN without ANALYZE, COPY ... TO
     * STDOUT, and FETCH and MOVE, which read a cursor that exists only on the session that
     * declared it. A SELECT ... FOR UPDATE is a READ with {@link Classification#lockingRead()}.
     */
    READ,
    /** Changes rows: INSERT, UPDATE, DELETE, MERGE, COPY ... FROM, data-modifying CTEs, nextval/setval. */
    WRITE,
    /** Changes the schema or privileges, including SELECT ... INTO and CREATE TABLE ... AS. */
    DDL,
    /** BEGIN, COMMIT, ROLLBACK, savepoints, two-phase commit, SET TRANSACTION. */
    TRANSACTION,
    /** Changes or reads the session's state: SET, RESET, SHOW, LISTEN, PREPARE, DECLARE, ... */
    SESSION,
    /**
     * Anything else, or anything not understood; callers route it to the primary store. This
     * includes CALL, DO, EXPLAIN ANALYZE, VACUUM, LOCK, malformed text, and a SELECT that calls a
     * function bound to the primary's session or transaction (advisory locks, set_config,
     * currval, pg_notify, ...).
     */
    OTHER,
    /** No statement at all: only whitespace, comments or semicolons. */
    EMPTY
}
