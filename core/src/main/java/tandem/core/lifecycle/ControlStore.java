package tandem.core.lifecycle;

import java.util.List;
import java.util.Optional;

/** Where the controller keeps the migration's state and its event log: the new store's control tables. */
public interface ControlStore {

    /** The state last saved, or empty before the first. */
    Optional<MigrationState> load();

    /**
     * Saves the state if the saved one is still version {@code expected} (0: none saved yet);
     * returns the new version, one more, or -1 when another tandem saved in between.
     */
    long save(MigrationState state, long expected);

    /**
     * Whether this tandem leads: runs the plan's stages. One of several tandems in front of the same
     * stores leads at a time; when it dies, another takes over. A store for one tandem always leads.
     */
    default boolean lead() {
        return true;
    }

    /**
     * Tells the other tandems that the saved state changed, so that they follow now rather than at
     * their next tick. A store for one tandem has nobody to tell.
     */
    default void announce() {
    }

    /** Calls {@code changed}, on a thread of the store's, each time another tandem announces a change. */
    default void onAnnounce(Runnable changed) {
    }

    /**
     * Says that this tandem is alive and holds its transactions for the cutover saved as state
     * version {@code version} (0: it holds none). Called at every tick, and when that changes.
     */
    default void holding(long version) {
    }

    /**
     * The other tandems seen alive within {@code within} that do not hold their transactions for
     * {@code version}, by name: what a cutover waits for before it swaps the stores.
     */
    default List<String> notHolding(long version, java.time.Duration within) {
        return List.of();
    }

    /** An admin request a tandem that does not lead left for the one that does (a backfill, a verification). */
    record Request(long id, String method, String path, String body) {
    }

    /** Leaves an admin request for the leading tandem (it takes it at its next tick, or when announced). */
    default void request(String method, String path, String body) {
        throw new UnsupportedOperationException("a store for one tandem: it always leads");
    }

    /** The requests left for the leader, oldest first, each given to one caller once; the leader calls it. */
    default List<Request> takeRequests() {
        return List.of();
    }

    /** The leader finished request {@code id}: {@code outcome} says how. */
    default void finished(long id, String outcome) {
    }

    /** Whether a request for {@code path} is left or taken and not finished yet (taken in the last hour). */
    default boolean pending(String path) {
        return false;
    }

    /** Appends an event; returns it with its id. */
    MigrationEvent append(MigrationEvent event);

    /** Events with an id above {@code afterId}, oldest first, at most {@code limit}. */
    List<MigrationEvent> events(long afterId, int limit);
}
