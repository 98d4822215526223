package tandem.loadtest;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * What one client saw, kept by that client's thread alone (no locks on the hot path) and merged
 * into a {@link WorkloadResult} when the run ends.
 */
final class ClientStats {

    // three significant digits: a latency report needs no more, and the histograms stay small
    private static final int DIGITS = 3;

    final Map<Operation, Histogram> latencies = new EnumMap<>(Operation.class);
    final Map<Operation, Long> failed = new EnumMap<>(Operation.class);
    final Map<Operation, Long> noRow = new EnumMap<>(Operation.class);
    final Map<String, Long> expectedErrors = new TreeMap<>();
    final Map<String, Long> unexpectedErrors = new TreeMap<>();
    final Map<String, String> errorMessages = new TreeMap<>();
    final Map<String, Long> anomalies = new TreeMap<>();

    static Histogram histogram() {
        return new Histogram(DIGITS);
    }

    void succeeded(Operation op, long nanos) {
        latencies.computeIfAbsent(op, o -> histogram()).recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    void failed(Operation op, String sqlState, String message) {
        failed.merge(op, 1L, Long::sum);
        unexpectedErrors.merge(sqlState, 1L, Long::sum);
        errorMessages.putIfAbsent(sqlState, op.key() + ": " + message);
    }

    /** An error the operation provoked on purpose, such as the deliberate unique violation. */
    void expectedError(String sqlState) {
        expectedErrors.merge(sqlState, 1L, Long::sum);
    }

    /** An update that found no row: a delete came first. */
    void noRow(Operation op) {
        noRow.merge(op, 1L, Long::sum);
    }

    /** Something a correct store never does, such as showing a rolled-back row. */
    void anomaly(String what) {
        anomalies.merge(what, 1L, Long::sum);
    }
}
