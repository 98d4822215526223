package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;

/**
 * {@code bin/tandem backfill} killed with SIGKILL in the middle of a table, then run again: each
 * batch's rows and its checkpoint commit together, so the new store holds exactly the rows the
 * checkpoint counts, and the second run reads only what was left.
 */
@ExtendWith(PostgresExtension.class)
class BackfillCrashIT {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final int ROWS = 60_000;

    @Test
    void aKilledBackfillResumesFromItsLastCheckpoint(TestDatabase db, @TempDir Path dir) throws Exception {
        Path sqlite = dir.resolve("app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL, weight REAL)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?)")) {
                for (int i = 1; i <= ROWS; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "item " + i);
                    ps.setDouble(3, i / 7.0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        db.execute("CREATE TABLE items (id bigint PRIMARY KEY, label text NOT NULL, weight float8)");
        Path config = dir.resolve("tandem.yaml");
        Files.writeString(config, """
                stores:
                  old:
                    url: jdbc:sqlite:%s
                  new:
                    url: %s
                    user: %s
                """.formatted(sqlite, db.jdbcUrl(), db.user()));

        // slow enough to be killed in the middle: 1,000 rows a batch, 5,000 rows a second
        Process first = start(dir, "first.log", "backfill", "--config", config.toString(), "--batch-size", "1000",
                "--max-rows-per-second", "5000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (checkpointRows(db) < 10_000 && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start().waitFor();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long checkpoint = checkpointRows(db);
        assertThat(checkpoint).as(Files.readString(dir.resolve("first.log"))).isBetween(10_000L, ROWS - 10_000L);
        assertThat(count(db)).as("the rows in the new store are exactly those the checkpoint counts")
                .isEqualTo(checkpoint);

        Process second = start(dir, "second.log", "backfill", "--config", config.toString(), "--batch-size", "1000");
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("second.log"));
        assertThat(second.exitValue()).as(output).isZero();
        assertThat(output).contains("resuming items").contains("backfill complete: 1 tables, 60,000 rows read");
        Matcher thisRun = Pattern.compile("\\(([\\d,]+) read by this run\\)").matcher(output);
        assertThat(thisRun.find()).as(output).isTrue();
        assertThat(Long.parseLong(thisRun.group(1).replace(",", ""))).as("read by the second run")
                .isEqualTo(ROWS - checkpoint);
        assertThat(count(db)).isEqualTo(ROWS);
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT min(id), max(id), count(DISTINCT id) FROM items")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
            assertThat(rs.getLong(2)).isEqualTo(ROWS);
            assertThat(rs.getLong(3)).isEqualTo(ROWS);
        }
    }

    private static long checkpointRows(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(sum(rows_read), 0) FROM tandem.backfill")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0; // the control table is not there yet
        }
    }

    private static long count(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Process start(Path dir, String log, String... args) throws java.io.IOException {
        String[] command = new String[args.length + 1];
        command[0] = ROOT.resolve("bin/tandem").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        builder.environment().put("TANDEM_SKIP_BUILD", "1");
        return builder.start();
    }
}
