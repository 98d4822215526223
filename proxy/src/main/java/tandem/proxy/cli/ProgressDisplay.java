package tandem.proxy.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import tandem.core.backfill.TableProgress;

/**
 * Shows a backfill's progress: on a terminal one bar redrawn in place (at most five times a
 * second), otherwise a plain line every few seconds, so that a log file or CI output stays
 * readable.
 */
final class ProgressDisplay {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final long everyNanos;
    private long lastNanos;
    private boolean drawn;
    private final long startedNanos = System.nanoTime();

    ProgressDisplay(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.everyNanos = terminal ? 200_000_000L : 5_000_000_000L;
    }

    /** Whether standard output is a terminal (Console.isTerminal on JDK 22 and later; on 21, a console at all). */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    synchronized void update(List<TableProgress> tables, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastNanos < everyNanos) {
            return;
        }
        lastNanos = now;
        double seconds = Math.max(0.001, (now - startedNanos) / 1e9);
        String line = line(tables, tables.stream().mapToLong(TableProgress::readThisRun).sum() / seconds);
        if (terminal) {
            out.print("\r\u001b[2K" + line);
            drawn = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    synchronized void finish(List<TableProgress> tables) {
        update(tables, true);
        if (terminal && drawn) {
            out.println();
        }
    }

    /** @param rate rows per second read by this run so far */
    static String line(List<TableProgress> tables, double rate) {
        long total = 0;
        long read = 0;
        StringBuilder copying = new StringBuilder();
        for (TableProgress t : tables) {
            total += t.total();
            read += t.read();
            if (t.state() == TableProgress.State.COPYING) {
                copying.append(copying.isEmpty() ? "" : ", ").append(t.table());
            }
        }
        int percent = total == 0 ? 100 : (int) Math.min(100, read * 100 / total);
        int filled = percent * WIDTH / 100;
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        long done = tables.stream().filter(t -> t.state() == TableProgress.State.DONE).count();
        String eta = rate <= 0 || read >= total ? "" : ", about " + format(Duration.ofSeconds((long) ((total - read)
                / rate))) + " left";
        return String.format(Locale.ROOT, "backfill [%s] %3d%%  %,d/%,d rows  %,d rows/s%s  tables %d/%d%s", bar,
                percent, read, total, Math.round(rate), eta, done, tables.size(),
                copying.isEmpty() ? "" : "  copying " + copying);
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60)
                + " min";
    }
}
