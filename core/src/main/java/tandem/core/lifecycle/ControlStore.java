package tandem.core.lifecycle;

import java.util.List;
import java.util.Optional;

/** Where the controller keeps the migration's state and its event log: the new store's control tables. */
public interface ControlStore {

    /** The state last saved, or empty before the first. */
    Optional<MigrationState> load();

    void save(MigrationState state);

    /** Appends an event; returns it with its id. */
    MigrationEvent append(MigrationEvent event);

    /** Events with an id above {@code afterId}, oldest first, at most {@code limit}. */
    List<MigrationEvent> events(long afterId, int limit);
}
