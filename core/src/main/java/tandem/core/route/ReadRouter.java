package tandem.core.route;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

import tandem.core.sql.Classification;
import tandem.core.sql.StatementKind;
import tandem.core.sql.TableRef;

/**
 * Decides where a batch of statements runs. Writes, DDL, transaction control, session commands and
 * anything unknown run on the primary, as does everything inside a transaction (a transaction sees
 * one store's snapshot). A batch of plain reads outside a transaction runs on the secondary with
 * the configured probability, unless it reads a table the secondary cannot serve faithfully: one
 * not mirrored, or one with changes still waiting in the repair log.
 */
public final class ReadRouter {

    public static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(5);

    private final ReadShare share;
    private final Predicate<String> mirrored;
    private final Predicate<String> pendingRepairs;
    private final RandomGenerator random;
    private final LongSupplier nanoTime;
    /** Until when (in {@link #nanoTime} time) reads stay on the primary after the secondary failed one; 0: not paused. */
    private volatile long pausedUntil;

    /**
     * @param mirrored whether a table (lower-cased name) is mirrored to the secondary
     * @param pendingRepairs whether a table (lower-cased) has changes waiting in the repair log, asked on every read
     */
    public ReadRouter(ReadShare share, Predicate<String> mirrored, Predicate<String> pendingRepairs, RandomGenerator random) {
        this(share, mirrored, pendingRepairs, random, System::nanoTime);
    }

    /** @param nanoTime the ticker the pause after a failure is timed by */
    public ReadRouter(ReadShare share, Predicate<String> mirrored, Predicate<String> pendingRepairs, RandomGenerator random,
            LongSupplier nanoTime) {
        this.share = share;
        this.mirrored = mirrored;
        this.pendingRepairs = pendingRepairs;
        this.random = random;
        this.nanoTime = nanoTime;
    }

    /** Whether the batch could be served by the secondary at all, whatever the share. */
    public boolean eligible(List<Classification> statements, boolean inTransaction) {
        if (inTransaction || statements.isEmpty()) {
            return false;
        }
        for (Classification c : statements) {
            if (c.kind() != StatementKind.READ || c.lockingRead() || c.readTables().isEmpty()) {
                return false;
            }
            for (TableRef table : c.readTables()) {
                String name = table.name().toLowerCase(Locale.ROOT);
                if ((table.schema() != null && !table.schema().equalsIgnoreCase("public")) || !mirrored.test(name)
                        || pendingRepairs.test(name)) {
                    return false;
                }
            }
        }
        return true;
    }

    public Route route(List<Classification> statements, boolean inTransaction) {
        int percent = share.percent();
        if (percent == 0 || paused() || !eligible(statements, inTransaction)) {
            return Route.PRIMARY;
        }
        return percent == 100 || random.nextInt(100) < percent ? Route.SECONDARY : Route.PRIMARY;
    }

    /**
     * The secondary failed a read (which then ran on the primary): reads stay on the primary for
     * {@link #PAUSE_AFTER_FAILURE}, so a secondary that is down costs one fallback, not one per read.
     *
     * @return whether this call started a pause (the caller logs it once)
     */
    public boolean pauseAfterFailure() {
        boolean started = !paused();
        pausedUntil = nanoTime.getAsLong() + PAUSE_AFTER_FAILURE.toNanos();
        return started;
    }

    private boolean paused() {
        long until = pausedUntil;
        return until != 0 && nanoTime.getAsLong() - until < 0;
    }
}
