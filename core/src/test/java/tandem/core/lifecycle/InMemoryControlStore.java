package tandem.core.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The controller's state kept in memory, for tests of the controller's rules; the store's own test is PostgresControlStoreIT. */
final class InMemoryControlStore implements ControlStore {

    private MigrationState state;
    private final List<MigrationEvent> events = new ArrayList<>();
    /** When set, every call fails as a store that does not answer would. */
    volatile boolean failing;
    /** Run once before the next save: another tandem's save landing in between. */
    volatile Runnable beforeNextSave;

    private void answer() {
        if (failing) {
            throw new IllegalStateException("store \"new\" is not reachable");
        }
    }

    @Override
    public synchronized Optional<MigrationState> load() {
        answer();
        return Optional.ofNullable(state);
    }

    @Override
    public synchronized long save(MigrationState s, long expected) {
        answer();
        Runnable before = beforeNextSave;
        beforeNextSave = null;
        if (before != null) {
            before.run();
        }
        if ((state == null ? 0 : state.version()) != expected) {
            return -1;
        }
        long version = expected + 1;
        state = s.saved(version);
        return version;
    }

    @Override
    public synchronized MigrationEvent append(MigrationEvent e) {
        answer();
        MigrationEvent stored = new MigrationEvent(events.size() + 1, e.at(), e.kind(), e.message(), e.details());
        events.add(stored);
        return stored;
    }

    @Override
    public synchronized List<MigrationEvent> events(long afterId, int limit) {
        return events.stream().filter(e -> e.id() > afterId).limit(limit).toList();
    }
}
