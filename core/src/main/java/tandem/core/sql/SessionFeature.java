package tandem.core.sql;

/**
 * Something a statement leaves behind in the server session that ran it, so a pooling proxy must
 * keep the client on that one session for the rest of its life (or refuse the statement).
 */
public enum SessionFeature {
    /** LISTEN: notifications arrive on the session that listens. */
    LISTEN,
    /** UNLISTEN: only meaningful on the session that listened. */
    UNLISTEN,
    /** A temporary table, view or sequence, which only its own session can see. */
    TEMPORARY_OBJECT,
    /** pg_advisory_lock and friends at session level: the lock is held until the session unlocks or ends. */
    ADVISORY_LOCK,
    /** pg_advisory_unlock*: must run on the session that holds the lock. */
    ADVISORY_UNLOCK,
    /** DECLARE ... WITH HOLD: the cursor outlives its transaction. */
    HOLD_CURSOR,
    /** SQL-level PREPARE, EXECUTE or DEALLOCATE. */
    SQL_PREPARED_STATEMENT,
    /** set_config(...), which a proxy cannot replay the way it replays SET. */
    SET_CONFIG,
    /** SET ROLE, SET SESSION AUTHORIZATION, RESET ROLE: privileges a proxy must not carry to another session. */
    ROLE,
    /** DISCARD: resets state that a pooling proxy manages itself. */
    DISCARD,
    /** LOAD of a shared library into the session's backend. */
    LOAD
}
