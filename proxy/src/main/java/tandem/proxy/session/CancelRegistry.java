package tandem.proxy.session;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys tandem gives clients in BackendKeyData, and what a CancelRequest carrying them cancels.
 * The key is checked as PostgreSQL checks it: a wrong secret cancels nothing and says nothing.
 */
public final class CancelRegistry {

    private static final Logger log = LoggerFactory.getLogger(CancelRegistry.class);

    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger nextProcessId = new AtomicInteger(10_000);
    private final ConcurrentHashMap<Integer, Entry> sessions = new ConcurrentHashMap<>();

    private record Entry(int secretKey, Backend backend) {
    }

    public int newProcessId() {
        int id = nextProcessId.getAndIncrement();
        if (id < 0) {
            nextProcessId.set(10_000);
            id = nextProcessId.getAndIncrement();
        }
        return id;
    }

    public int newSecretKey() {
        return random.nextInt();
    }

    public void register(int processId, int secretKey, Backend backend) {
        sessions.put(processId, new Entry(secretKey, backend));
    }

    public void unregister(int processId) {
        sessions.remove(processId);
    }

    public int size() {
        return sessions.size();
    }

    public void cancel(int processId, int secretKey) {
        Entry entry = sessions.get(processId);
        if (entry == null || entry.secretKey() != secretKey) {
            log.debug("cancel request for unknown session {} ignored", processId);
            return;
        }
        log.debug("cancelling what session {} runs", processId);
        entry.backend().cancel();
    }
}
