package tandem.core.store;

import java.util.Optional;

/**
 * A database tandem serves or copies to, as {@code core} sees it: implemented in {@code adapters}
 * for each database. A PostgreSQL store is reached by client traffic through the wire relay
 * ({@link #wireEndpoint()}); a SQLite store through an emulated PostgreSQL session
 * ({@link #openSession(SessionSettings)}).
 */
public interface Store extends AutoCloseable {

    /** The role name from the config, {@code old} or {@code new}. */
    String name();

    StoreKind kind();

    /** The version string to report as server_version: the server's own, or a compatible one. */
    String serverVersion();

    /** Checks within a short timeout that the store answers; throws ProxyException (08006) if not. */
    void ping();

    /** For PostgreSQL stores: where the relay connects. */
    Optional<WireEndpoint> wireEndpoint();

    /** For stores tandem emulates PostgreSQL over: a new client session. */
    SqlSession openSession(SessionSettings settings);

    /**
     * For stores whose result types tandem infers (SQLite): a column of one of these tables (the new
     * store's) is reported in the type they declare for it, so that a client sees the same types
     * before and after a cutover. Others ignore it: their own server describes their results.
     */
    default void describeColumnsAs(java.util.Collection<tandem.core.mirror.Table> tables) {
    }

    /** The store's tables as they are now (introspected again on each call). */
    default tandem.core.mirror.Schema schema() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" does not offer introspection yet");
    }

    /** Reads row images by key, for syncs from this store. */
    default tandem.core.mirror.RowReader rowReader() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" does not offer reading rows by key yet");
    }

    /** Writes row images by key, for syncs to this store. */
    default tandem.core.mirror.RowWriter rowWriter() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" does not offer writing rows by key yet");
    }

    /** The repair log kept in this store while it is the primary. */
    default tandem.core.mirror.RepairLog repairLog() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" does not offer a repair log yet");
    }

    /** Runs tandem's own reads on this store (shadow reads, reads served for an emulated primary). */
    /**
     * Keeps a consistent copy of the store as it is now beside it, the rollback point taken before
     * a backfill; returns where, or null where tandem cannot make one (take the store's own backup).
     */
    default java.nio.file.Path keepSnapshot() {
        return null;
    }

    /** Reads its tables in key order, a page at a time: the old store's side of a backfill. */
    default tandem.core.backfill.PageReader pageReader() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" cannot be backfilled from yet");
    }

    /** Reads a table by ranges of its integer key: this store's side of a verification by fingerprints. */
    default tandem.core.verify.KeyRanges keyRanges() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" cannot be verified by key ranges yet");
    }

    /** Loads copied rows and keeps the backfill's checkpoints: the new store's side of a backfill. */
    default tandem.core.backfill.BatchLoader batchLoader() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" cannot be backfilled into yet");
    }

    /** Keeps the outcome of each verification: the new store's side of the read gate. */
    default tandem.core.verify.VerificationLog verificationLog() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" cannot keep verifications yet");
    }

    /** Keeps the migration's phase and events: the controller's state, in the new store. */
    default tandem.core.lifecycle.ControlStore controlStore() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" cannot keep the migration's state");
    }

    default ReadQueries readQueries() {
        throw new UnsupportedOperationException(kind().displayName() + " store \"" + name() + "\" does not run reads for tandem yet");
    }

    @Override
    void close();
}
