package tandem.core.verify;

import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * Verification as a running tandem offers it (the admin API): one at a time, in the background,
 * and the latest report, which also decides whether reads may move to the new store.
 */
public final class VerificationService {

    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

    private final Supplier<Verifier> verifiers;
    private volatile Verifier.Report latest;
    private volatile String lastError;
    private Thread running;

    public VerificationService(Supplier<Verifier> verifiers) {
        this.verifiers = verifiers;
    }

    /** Starts a verification in the background; fails (55006) while one runs. */
    public synchronized void start(Set<String> tables, boolean repair) {
        if (running != null && running.isAlive()) {
            throw new ProxyException(SqlState.OBJECT_IN_USE, "a verification is running already", null,
                    "wait for it: GET /api/verify/latest shows its report when it is done");
        }
        lastError = null;
        running = Thread.ofPlatform().daemon().name("tandem-verify").start(() -> {
            try {
                latest = verifiers.get().run(tables, repair);
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                log.error("verify failed: {}", e.getMessage());
            }
        });
    }

    public synchronized boolean running() {
        return running != null && running.isAlive();
    }

    /** The last finished verification's report, or null. */
    public Verifier.Report latest() {
        return latest;
    }

    public String lastError() {
        return lastError;
    }

    /** Whether the last verification covered every table and found them the same. */
    public boolean lastClean() {
        Verifier.Report r = latest;
        return r != null && r.clean();
    }
}
