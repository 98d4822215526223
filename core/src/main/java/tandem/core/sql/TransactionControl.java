package tandem.core.sql;

/**
 * What a transaction-control statement asks for.
 *
 * @param command which statement it is
 * @param savepoint the normalized savepoint name for SAVEPOINT, RELEASE and ROLLBACK TO; else null
 * @param gid the global transaction id for PREPARE TRANSACTION, COMMIT PREPARED and ROLLBACK PREPARED; else null
 * @param readOnly BEGIN, START TRANSACTION or SET TRANSACTION with READ ONLY
 * @param isolationLevel the isolation level in lower case with single spaces ({@code repeatable read}); null if not given
 * @param chain COMMIT or ROLLBACK AND CHAIN, which starts a new transaction with the same characteristics
 */
public record TransactionControl(
        Command command, String savepoint, String gid, boolean readOnly, String isolationLevel, boolean chain) {

    public enum Command {
        /** BEGIN, START TRANSACTION (and SQLite's BEGIN DEFERRED|IMMEDIATE|EXCLUSIVE). */
        BEGIN,
        /** COMMIT, END. */
        COMMIT,
        /** ROLLBACK, ABORT. */
        ROLLBACK,
        SAVEPOINT,
        /** RELEASE [SAVEPOINT]. */
        RELEASE,
        /** ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT]. */
        ROLLBACK_TO,
        PREPARE_TRANSACTION,
        COMMIT_PREPARED,
        ROLLBACK_PREPARED,
        /** SET TRANSACTION (including SET TRANSACTION SNAPSHOT). */
        SET_TRANSACTION
    }

    static TransactionControl of(Command command) {
        return new TransactionControl(command, null, null, false, null, false);
    }
}
