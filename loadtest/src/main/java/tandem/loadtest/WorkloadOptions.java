package tandem.loadtest;

import java.time.Duration;

/**
 * What a {@link Workload} drives and for how long. It stops at whichever limit comes first:
 * {@code duration} (null for none) or {@code operations} in all clients together (0 for none);
 * one of them must be set.
 *
 * @param url a PostgreSQL JDBC URL: tandem, or a PostgreSQL server directly
 * @param user the user to log in as
 * @param password the password, or null
 * @param clients how many clients run at once, each on a connection of its own
 * @param duration how long to run, or null
 * @param operations how many operations to run in all, or 0
 * @param mix how often each kind of operation runs
 * @param seed seeds each client's choices (client i draws from seed + i); row ids are random
 *     regardless, so that runs against the same database never collide
 * @param hotRows how many content rows every client updates on purpose, so that they contend
 */
public record WorkloadOptions(String url, String user, String password, int clients, Duration duration,
        long operations, Mix mix, long seed, int hotRows) {

    public WorkloadOptions {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url '" + url + "' is not a PostgreSQL JDBC URL (expected: "
                    + "jdbc:postgresql://host:port/database)");
        }
        if (clients < 1) {
            throw new IllegalArgumentException("clients: " + clients + " (expected: >= 1)");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
        }
        if (operations < 0) {
            throw new IllegalArgumentException("operations: " + operations + " (expected: >= 0)");
        }
        if (duration == null && operations == 0) {
            throw new IllegalArgumentException("a workload needs a duration or an operation count to stop at");
        }
        if (hotRows < 1) {
            throw new IllegalArgumentException("hotRows: " + hotRows + " (expected: >= 1)");
        }
        if (mix == null) {
            mix = Mix.DEFAULT;
        }
    }

    /** Defaults for the rest: 4 clients for 30 seconds, the default mix, seed 42, 8 hot rows. */
    public static WorkloadOptions of(String url, String user, String password) {
        return new WorkloadOptions(url, user, password, 4, Duration.ofSeconds(30), 0, Mix.DEFAULT, 42, 8);
    }

    public WorkloadOptions withClients(int n) {
        return new WorkloadOptions(url, user, password, n, duration, operations, mix, seed, hotRows);
    }

    public WorkloadOptions withDuration(Duration d) {
        return new WorkloadOptions(url, user, password, clients, d, operations, mix, seed, hotRows);
    }

    public WorkloadOptions withOperations(long n) {
        return new WorkloadOptions(url, user, password, clients, duration, n, mix, seed, hotRows);
    }

    public WorkloadOptions withMix(Mix m) {
        return new WorkloadOptions(url, user, password, clients, duration, operations, m, seed, hotRows);
    }

    public WorkloadOptions withSeed(long s) {
        return new WorkloadOptions(url, user, password, clients, duration, operations, mix, s, hotRows);
    }

    public WorkloadOptions withHotRows(int n) {
        return new WorkloadOptions(url, user, password, clients, duration, operations, mix, seed, n);
    }
}
