package tandem.core.backfill;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A ceiling on rows per second, shared by the tables copied at once: who is ahead of it waits. */
final class Throttle {

    private final int rowsPerSecond;
    private long nextFreeNanos = System.nanoTime();

    /** @param rowsPerSecond 0 for no ceiling */
    Throttle(int rowsPerSecond) {
        this.rowsPerSecond = rowsPerSecond;
    }

    /** Rows were read: waits until the ceiling allows the next batch. */
    void acquire(int rows) {
        if (rowsPerSecond <= 0 || rows <= 0) {
            return;
        }
        long wakeAt;
        synchronized (this) {
            long now = System.nanoTime();
            nextFreeNanos = Math.max(nextFreeNanos, now) + TimeUnit.SECONDS.toNanos(rows) / rowsPerSecond;
            wakeAt = nextFreeNanos;
        }
        long wait;
        while ((wait = wakeAt - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(wait);
        }
    }
}
