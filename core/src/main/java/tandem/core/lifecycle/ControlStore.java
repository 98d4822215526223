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

    /** Appends an event; returns it with its id. */
    MigrationEvent append(MigrationEvent event);

    /** Events with an id above {@code afterId}, oldest first, at most {@code limit}. */
    List<MigrationEvent> events(long afterId, int limit);
}
