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

    /** What each tandem holds for (see {@link ControlStore#holding}), by name; a tandem in the map is alive. */
    private final java.util.Map<String, Long> holding = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Runnable> listeners = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * This store as the tandem {@code name} sees it: the same state and events, and its own part in
     * a cutover. Announcements reach the other tandems at once, on the announcing thread.
     */
    ControlStore as(String name) {
        InMemoryControlStore shared = this;
        return new ControlStore() {
            @Override
            public Optional<MigrationState> load() {
                return shared.load();
            }

            @Override
            public long save(MigrationState state, long expected) {
                return shared.save(state, expected);
            }

            @Override
            public MigrationEvent append(MigrationEvent event) {
                return shared.append(event);
            }

            @Override
            public List<MigrationEvent> events(long afterId, int limit) {
                return shared.events(afterId, limit);
            }

            @Override
            public void announce() {
                listeners.forEach((other, changed) -> {
                    if (!other.equals(name)) {
                        changed.run();
                    }
                });
            }

            @Override
            public void onAnnounce(Runnable changed) {
                listeners.put(name, changed);
            }

            @Override
            public void holding(long version) {
                holding.put(name, version);
            }

            @Override
            public List<String> notHolding(long version, java.time.Duration within) {
                return holding.entrySet().stream().filter(e -> !e.getKey().equals(name) && e.getValue() != version)
                        .map(java.util.Map.Entry::getKey).sorted().toList();
            }
        };
    }
}
