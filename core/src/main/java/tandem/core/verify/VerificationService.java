package tandem.core.verify;

import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * Verification as a running tandem offers it (the admin API): one at a time, in the background,
 * and the latest report. Each outcome is also kept in the new store ({@link VerificationLog}),
 * which decides whether reads may move there.
 */
public final class VerificationService {

    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

    private final Supplier<Verifier> verifiers;
    private final VerificationLog outcomes;
    private final ChangedRows changed;
    private volatile Verifier.Report latest;
    private volatile String lastError;
    private Thread running;

    public VerificationService(Supplier<Verifier> verifiers, VerificationLog outcomes) {
        this(verifiers, outcomes, null);
    }

    /** @param changed told when a verification of the whole store came back clean (older changes are proven), or null */
    public VerificationService(Supplier<Verifier> verifiers, VerificationLog outcomes, ChangedRows changed) {
        this.verifiers = verifiers;
        this.outcomes = outcomes;
        this.changed = changed;
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
                Verifier.Report report = verifiers.get().run(tables, repair);
                latest = report;
                outcomes.record(report, tables.isEmpty());
                if (changed != null && tables.isEmpty() && report.clean()) {
                    changed.verified(report.startedAt());
                }
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

    /** The latest report kept in the new store, whichever tandem or command ran it (JSON), or null. */
    public String latestStoredReport() {
        return outcomes.latestReport();
    }

    /**
     * The latest verification's outcome as the new store keeps it: also one the CLI ran, or one
     * from before tandem restarted; null when none finished.
     */
    public VerificationLog.Outcome latestOutcome() {
        return outcomes.latest();
    }
}
