package tandem.core.backfill;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** How far one table's copy is: rows read of the total, rows inserted, the rate and what is left. */
public final class TableProgress {

    /** Where a table's copy is. */
    public enum State { WAITING, COPYING, DONE, FAILED }

    private final String table;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong inserted = new AtomicLong();
    /** Rows read by this run (a resumed copy's earlier rows do not count toward its rate). */
    private final AtomicLong readThisRun = new AtomicLong();
    private volatile State state = State.WAITING;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile String error;

    TableProgress(String table) {
        this.table = table;
    }

    /** The table was counted before its copy starts, so that the whole backfill's total is known from the start. */
    void expect(long totalRows) {
        total.set(totalRows);
    }

    void begin(long totalRows, long alreadyRead, long alreadyInserted, Instant now) {
        total.set(totalRows);
        read.set(alreadyRead);
        inserted.set(alreadyInserted);
        started = now;
        state = State.COPYING;
    }

    void add(int rowsRead, int rowsInserted) {
        read.addAndGet(rowsRead);
        readThisRun.addAndGet(rowsRead);
        inserted.addAndGet(rowsInserted);
        if (read.get() > total.get()) {
            total.set(read.get()); // the table grew since it was counted
        }
    }

    void done(Instant now) {
        total.set(read.get());
        finished = now;
        state = State.DONE;
    }

    void skipDone(long rowsRead, long rowsInserted) {
        read.set(rowsRead);
        inserted.set(rowsInserted);
        total.set(rowsRead);
        state = State.DONE;
    }

    void failed(String why, Instant now) {
        error = why;
        finished = now;
        state = State.FAILED;
    }

    public String table() {
        return table;
    }

    public State state() {
        return state;
    }

    public long total() {
        return total.get();
    }

    public long read() {
        return read.get();
    }

    public long inserted() {
        return inserted.get();
    }

    /** Rows read by this run (not those a resumed copy read before). */
    public long readThisRun() {
        return readThisRun.get();
    }

    public long remaining() {
        return Math.max(0, total.get() - read.get());
    }

    public String error() {
        return error;
    }

    /** Rows per second read by this run so far; 0 before it started. */
    public double rowsPerSecond(Instant now) {
        Instant from = started;
        if (from == null) {
            return 0;
        }
        Instant to = finished != null ? finished : now;
        double seconds = Math.max(0.001, Duration.between(from, to).toMillis() / 1000.0);
        return readThisRun.get() / seconds;
    }

    /** The time left at the current rate, or null when unknown. */
    public Duration eta(Instant now) {
        if (state == State.DONE) {
            return Duration.ZERO;
        }
        double rate = rowsPerSecond(now);
        return rate <= 0 ? null : Duration.ofMillis((long) (remaining() / rate * 1000));
    }
}
