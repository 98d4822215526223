package tandem.core.verify;

import java.time.Instant;

/**
 * Where the outcome of each verification is kept, in the new store: whether reads may move to it
 * must not be forgotten when tandem restarts, nor differ between the admin API and the CLI.
 */
public interface VerificationLog {

    /**
     * A finished verification: when it started and finished, whether every table mirrored by row was
     * compared ({@code wholeStore}: no table list was given), and whether they were all the same.
     */
    record Outcome(Instant startedAt, Instant finishedAt, boolean wholeStore, boolean clean, long rowsCompared) {

        /** Whether this outcome lets reads move to the new store. */
        public boolean allowsReads() {
            return wholeStore && clean;
        }
    }

    void record(Verifier.Report report, boolean wholeStore);

    /** The latest outcome, or null when no verification finished yet. */
    Outcome latest();

    /** The latest outcome of a whole-store verification that came back clean, or null when none did. */
    Outcome latestClean();

    /** The latest report, whoever ran it, as {@link Verifier.Report#document} in JSON; null when none is kept. */
    default String latestReport() {
        return null;
    }
}
