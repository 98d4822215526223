package tandem.loadtest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** When a workload stops: at a deadline, after a number of operations across all clients, or when told to. */
final class Limit {

    private final long deadline;
    private final boolean timed;
    private final AtomicLong remaining;
    private volatile boolean stopped;

    /** {@code duration} null for no deadline, {@code operations} 0 for no count. */
    Limit(Duration duration, long operations) {
        this.timed = duration != null;
        this.deadline = timed ? System.nanoTime() + duration.toNanos() : 0;
        this.remaining = operations > 0 ? new AtomicLong(operations) : null;
    }

    /** Whether a client may start another operation; counts it when the limit is a number. */
    boolean another() {
        if (stopped || (timed && System.nanoTime() - deadline >= 0)) {
            return false;
        }
        return remaining == null || remaining.getAndDecrement() > 0;
    }

    void stop() {
        stopped = true;
    }
}
