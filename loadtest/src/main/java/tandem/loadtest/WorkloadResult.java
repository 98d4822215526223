package tandem.loadtest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

/**
 * What a workload run did: operations by kind with their latencies, errors by SQLSTATE (those an
 * operation provoked on purpose apart from the rest), and anomalies — things a correct store never
 * does, such as showing a rolled-back row. Latencies are in microseconds.
 *
 * @param elapsed how long the clients ran
 * @param clients how many clients ran
 * @param operations per kind of operation, only the kinds that ran
 * @param expectedErrors errors provoked on purpose, by SQLSTATE (the deliberate 23505)
 * @param unexpectedErrors every other error, by SQLSTATE (or the exception's class when there was none)
 * @param errorMessages the first message of each unexpected SQLSTATE, prefixed by the operation
 * @param anomalies what a correct store never does, counted by description
 * @param latency all successful operations together
 */
public record WorkloadResult(Duration elapsed, int clients, Map<Operation, OperationStats> operations,
        Map<String, Long> expectedErrors, Map<String, Long> unexpectedErrors, Map<String, String> errorMessages,
        Map<String, Long> anomalies, Latency latency) {

    public WorkloadResult {
        operations = Map.copyOf(operations);
        expectedErrors = Map.copyOf(expectedErrors);
        unexpectedErrors = Map.copyOf(unexpectedErrors);
        errorMessages = Map.copyOf(errorMessages);
        anomalies = Map.copyOf(anomalies);
    }

    /**
     * One kind of operation: how many succeeded (an expected error counts as success: the
     * operation did what it meant to), how many failed, how many updates found no row (a delete
     * came first), and the latencies of the successful ones.
     */
    public record OperationStats(long succeeded, long failed, long noRow, Latency latency) {
        public long total() {
            return succeeded + failed;
        }
    }

    /** Latency percentiles in microseconds. */
    public record Latency(double mean, long p50, long p90, long p99, long p999, long max) {
        static Latency of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0);
            }
            return new Latency(h.getMean(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                    h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
        }
    }

    /** Operations run, failed ones included. */
    public long totalOperations() {
        return operations.values().stream().mapToLong(OperationStats::total).sum();
    }

    public long count(Operation op) {
        OperationStats s = operations.get(op);
        return s == null ? 0 : s.total();
    }

    /** Operations per second over the run. */
    public double throughput() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds == 0 ? 0 : totalOperations() / seconds;
    }

    public long unexpectedErrorCount() {
        return unexpectedErrors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** No unexpected error and no anomaly. */
    public boolean clean() {
        return unexpectedErrors.isEmpty() && anomalies.isEmpty();
    }

    /** A report for a person: a table of operations, then errors and anomalies. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%d operations in %.1f s by %d clients: %.0f ops/s; latency (us) mean %.0f, "
                + "p50 %d, p99 %d, max %d%n", totalOperations(), elapsed.toNanos() / 1e9, clients, throughput(),
                latency.mean(), latency.p50(), latency.p99(), latency.max()));
        out.append(String.format("%-30s %9s %7s %7s %8s %8s %8s %8s %9s%n", "operation", "ok", "failed", "no row",
                "p50 us", "p90 us", "p99 us", "p99.9 us", "max us"));
        for (Operation op : Operation.values()) {
            OperationStats s = operations.get(op);
            if (s != null) {
                Latency l = s.latency();
                out.append(String.format("%-30s %9d %7d %7d %8d %8d %8d %8d %9d%n", op.key(), s.succeeded(), s.failed(),
                        s.noRow(), l.p50(), l.p90(), l.p99(), l.p999(), l.max()));
            }
        }
        out.append("expected errors: ").append(counts(expectedErrors)).append('\n');
        out.append("unexpected errors: ").append(counts(unexpectedErrors)).append('\n');
        errorMessages.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append("  ").append(e.getKey()).append(" first: ").append(e.getValue()).append('\n'));
        out.append("anomalies: ").append(counts(anomalies)).append('\n');
        return out.toString();
    }

    private static String counts(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        List<String> parts = counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " x" + e.getValue()).toList();
        return parts.stream().collect(Collectors.joining(", "));
    }
}
