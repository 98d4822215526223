package tandem.core.lifecycle;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The server's part of swapping primary and secondary (a cutover, and a rollback after one): the
 * {@link Controller} decides when, bounds every step by the pause limit and saves the phase; these
 * steps act on the client sessions and the mirror.
 */
public interface Switchover {

    /**
     * Why the stores cannot swap roles in this setup, or null when they can: checked before a
     * cutover starts, so that it is refused rather than begun.
     */
    String unsupported();

    /**
     * Stops admitting new transactions (they wait); completes once none is in flight, the moment no
     * transaction spans both sides of the swap.
     */
    CompletableFuture<Void> pause();

    /** How many transactions are still in flight (for the message when the pause limit passes first). */
    int inFlight();

    /**
     * Copies to the store that is about to become primary every change it still lacks (the repair
     * log drained), by {@code deadline}; throws, saying what is left, when it cannot.
     */
    void drain(Instant deadline);

    /**
     * Makes the new store the primary ({@code promoted}), writes mirrored back to the old one; or
     * the old store the primary again. Called while paused, after the phase is saved.
     */
    void swap(boolean promoted);

    /** Admits transactions again, on whichever store is primary now. */
    void resume();

    /** Stops mirroring writes to the secondary (the migration is complete). */
    void stopMirroring();
}
