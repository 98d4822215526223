package tandem.adapters.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.sqlite.SqliteStore;
import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.Stores;
import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.MigrationConfig;
import tandem.core.mirror.Changes;
import tandem.core.mirror.Key;
import tandem.core.mirror.MirroredTables;
import tandem.core.mirror.RowReader;
import tandem.core.mirror.RowSync;
import tandem.core.store.Store;

/**
 * Two syncs of one key never land out of order: the secondary's lock is taken before the image is
 * read from the primary, so the sync that writes last read last. Shown with a sync held between
 * reading its image and writing it, and with many threads (and two "replicas", each with its own
 * pool to the new store) updating, deleting and re-inserting a few keys at once.
 *
 * <p>Under the many threads, equal end states alone would miss most reordering (the last sync of
 * a key repairs what an earlier one got wrong), so every write on the primary takes a version from
 * one counter, in increasing order per key, and a trigger on the new store records each write of
 * a version lower than one it already saw for the key.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowSyncOrderingIT {

    private static final String TABLE = "CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL, "
            + "version int NOT NULL)";
    /** Records writes on the new store that go back to an older version of their row. */
    private static final String[] AUDIT = {"CREATE SCHEMA audit",
            "CREATE TABLE audit.seen (id int PRIMARY KEY, version int NOT NULL)",
            "CREATE TABLE audit.regressions (id int, seen int, written int)",
            """
            CREATE FUNCTION audit.no_regression() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                highest int;
            BEGIN
                -- syncs of one key hold its advisory lock until they commit: no race on audit.seen
                SELECT version INTO highest FROM audit.seen WHERE id = NEW.id;
                IF highest > NEW.version THEN
                    INSERT INTO audit.regressions VALUES (NEW.id, highest, NEW.version);
                END IF;
                INSERT INTO audit.seen VALUES (NEW.id, NEW.version)
                    ON CONFLICT (id) DO UPDATE SET version = GREATEST(audit.seen.version, EXCLUDED.version);
                RETURN NULL;
            END $$""",
            "CREATE TRIGGER no_regression AFTER INSERT OR UPDATE ON counters FOR EACH ROW "
                    + "EXECUTE FUNCTION audit.no_regression()"};

    private TestDatabase oldDb;
    private TestDatabase newDb;
    private PostgresStore old;
    private PostgresStore pg;
    private PostgresStore pgReplica;
    private MirroredTables plan;

    @BeforeAll
    void open(TestDatabase db) {
        oldDb = db;
        newDb = TestPostgres.shared().createDatabase("ordering_new");
        oldDb.execute(TABLE, "CREATE SEQUENCE versions");
        newDb.execute(TABLE);
        newDb.execute(AUDIT);
        old = Stores.postgres("old", oldDb);
        pg = Stores.postgres("new", newDb);
        pgReplica = Stores.postgres("new", newDb);
        plan = MirroredTables.plan(MigrationConfig.defaults(), old, pg);
    }

    @AfterAll
    void close() {
        old.close();
        pg.close();
        pgReplica.close();
    }

    @BeforeEach
    void empty() {
        oldDb.execute("TRUNCATE counters");
        newDb.execute("TRUNCATE counters", "TRUNCATE audit.seen", "TRUNCATE audit.regressions");
    }

    /** The primary's reader, with a hook run after the image is read and before the writer gets it. */
    private static RowReader held(Store primary, Runnable afterRead) {
        RowReader real = primary.rowReader();
        return (table, keys) -> {
            var rows = real.read(table, keys);
            afterRead.run();
            return rows;
        };
    }

    private static Changes key(int id) {
        return new Changes("t" + id, Map.of("counters", Set.of(Key.of(id))));
    }

    /** Waits (without sleeping blindly) until {@code n} sessions wait for an advisory lock on the new store. */
    private void awaitLockWaiters(int n) throws SQLException {
        Instant deadline = Instant.now().plusSeconds(10);
        try (Connection c = newDb.connect(); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        + "AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
                    rs.next();
                    if (rs.getInt(1) >= n) {
                        return;
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no sync waited for the key's lock within 10 s");
                }
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void aSyncHeldBetweenReadingAndWritingMakesTheNextSyncOfItsKeyWaitSoTheNewestImageLandsLast() throws Exception {
        oldDb.execute("INSERT INTO counters VALUES (1, 10, 1)");
        CountDownLatch readA = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        RowSync a = new RowSync(held(old, () -> {
            readA.countDown();
            await(releaseA);
        }), pg.rowWriter(), plan);
        RowSync b = new RowSync(old.rowReader(), pgReplica.rowWriter(), plan);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<Integer> first = threads.submit(() -> a.sync(key(1), List.of()));
            assertThat(readA.await(10, TimeUnit.SECONDS)).isTrue(); // A holds the image of version 1
            oldDb.execute("UPDATE counters SET value = 20, version = 2 WHERE id = 1");
            Future<Integer> second = threads.submit(() -> b.sync(key(1), List.of()));
            awaitLockWaiters(1); // B (another replica's pool) waits for A's lock before it reads anything
            releaseA.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        } finally {
            releaseA.countDown();
            threads.shutdownNow();
        }
        assertThat(rows(newDb)).containsExactly(List.of(1, 20, 2));
    }

    @Test
    void aDeletedRowNeverComesBackWhenAnOlderSyncOfItIsStillInFlight() throws Exception {
        oldDb.execute("INSERT INTO counters VALUES (7, 1, 1)");
        CountDownLatch readA = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        RowSync a = new RowSync(held(old, () -> {
            readA.countDown();
            await(releaseA);
        }), pg.rowWriter(), plan);
        RowSync b = RowSync.between(old, pg, plan);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<Integer> insert = threads.submit(() -> a.sync(key(7), List.of()));
            assertThat(readA.await(10, TimeUnit.SECONDS)).isTrue(); // A read the row as it was before the delete
            oldDb.execute("DELETE FROM counters WHERE id = 7");
            Future<Integer> delete = threads.submit(() -> b.sync(key(7), List.of()));
            awaitLockWaiters(1);
            releaseA.countDown();
            insert.get(10, TimeUnit.SECONDS);
            delete.get(10, TimeUnit.SECONDS);
        } finally {
            releaseA.countDown();
            threads.shutdownNow();
        }
        assertThat(rows(newDb)).isEmpty();
        assertThat(rows(oldDb)).isEmpty();
    }

    @Test
    void manyThreadsWritingAFewKeysOnPostgresLeaveTheNewStoreEqualRowForRow() throws Exception {
        RowSync[] replicas = {new RowSync(jittery(old), pg.rowWriter(), plan),
                new RowSync(jittery(old), pgReplica.rowWriter(), plan)};
        hammer(replicas, (id, op) -> {
            try (Connection c = oldDb.connect()) {
                c.setAutoCommit(false);
                // the key's writes one at a time, each taking its version after the last committed
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setInt(1, id);
                    lock.execute();
                }
                write(c, id, op, "nextval('versions')");
                c.commit();
            }
        });
        assertThat(rows(newDb)).isEqualTo(rows(oldDb));
        assertNoRegressions();
    }

    @Test
    void manyThreadsWritingAFewKeysOnSqliteLeaveTheNewStoreEqualRowForRow(@TempDir Path dir) throws Exception {
        try (SqliteStore sqlite = Stores.sqlite(dir, "app.db", "CREATE TABLE counters (id INTEGER PRIMARY KEY, "
                + "value INTEGER NOT NULL, version INTEGER NOT NULL)", "CREATE TABLE write_clock (n INTEGER NOT NULL)",
                "INSERT INTO write_clock VALUES (0)")) {
            MigrationConfig config = MigrationConfig.defaults();
            config = new MigrationConfig(config.tables(), List.of("write_clock"), config.keyless(),
                    config.mirrorTimeout(), config.readPercent(), config.shadowSample());
            MirroredTables fromSqlite = MirroredTables.plan(config, sqlite, pg);
            RowSync[] replicas = {new RowSync(jittery(sqlite), pg.rowWriter(), fromSqlite),
                    new RowSync(jittery(sqlite), pgReplica.rowWriter(), fromSqlite)};
            Map<Long, Connection> connections = new ConcurrentHashMap<>();
            try {
                hammer(replicas, (id, op) -> {
                    Connection c = connections.computeIfAbsent(Thread.currentThread().threadId(), t -> {
                        try {
                            return Stores.sqliteConnection(dir.resolve("app.db"));
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    // one writer at a time in SQLite: the clock and the row move together
                    try (Statement s = c.createStatement()) {
                        s.execute("BEGIN IMMEDIATE");
                        try {
                            s.execute("UPDATE write_clock SET n = n + 1");
                            write(c, id, op, "(SELECT n FROM write_clock)");
                            s.execute("COMMIT");
                        } catch (SQLException e) {
                            s.execute("ROLLBACK");
                            throw e;
                        }
                    }
                });
            } finally {
                for (Connection c : connections.values()) {
                    c.close();
                }
            }
            List<List<Object>> expected = new ArrayList<>();
            try (Connection c = Stores.sqliteConnection(dir.resolve("app.db")); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, value, version FROM counters ORDER BY id")) {
                while (rs.next()) {
                    expected.add(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3)));
                }
            }
            // the keys may all end deleted (each write picks at random); assertNoRegressions proves writes were synced
            assertThat(rows(newDb)).isEqualTo(expected);
            assertNoRegressions();
        }
    }

    private void assertNoRegressions() throws SQLException {
        assertThat(RowSyncIT.rows(newDb, "SELECT id, seen, written FROM audit.regressions"))
                .as("writes on the new store of an image older than one it already had (id, seen, written)").isEmpty();
        assertThat(RowSyncIT.rows(newDb, "SELECT count(*) FROM audit.seen").get(0).get(0))
                .as("the audit saw the writes").isNotEqualTo(0L);
    }

    private interface Write {
        void run(int id, int op) throws SQLException;
    }

    /**
     * 6 threads, 40 writes each on keys 1..4: update (most), delete, or insert again; each write
     * is followed by a sync of its key through one of two replicas.
     */
    private static void hammer(RowSync[] replicas, Write write) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                done.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 40; i++) {
                        int id = 1 + random.nextInt(4);
                        write.run(id, random.nextInt(10));
                        replicas[random.nextInt(replicas.length)].sync(key(id), List.of());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * op 0-6 updates the row (or, half the time when it is gone, inserts it again), 7-8 delete it, 9
     * inserts it if absent; {@code nextVersion} is the SQL for the row's new version.
     */
    private static void write(Connection c, int id, int op, String nextVersion) throws SQLException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (op >= 7 && op <= 8) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM counters WHERE id = ?")) {
                ps.setInt(1, id);
                ps.executeUpdate();
            }
            return;
        }
        String sql = op <= 6 ? "UPDATE counters SET value = ?, version = " + nextVersion + " WHERE id = ?"
                : "INSERT INTO counters (value, id, version) VALUES (?, ?, " + nextVersion + ") ON CONFLICT (id) DO NOTHING";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, random.nextInt(1_000_000));
            ps.setInt(2, id);
            if (ps.executeUpdate() == 0 && op <= 6 && random.nextBoolean()) {
                write(c, id, 9, nextVersion);
            }
        }
    }

    /** The primary's reader, pausing at random between reading an image and handing it over. */
    private static RowReader jittery(Store primary) {
        return held(primary, () -> {
            if (ThreadLocalRandom.current().nextInt(3) == 0) {
                LockSupport.parkNanos(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 15)).toNanos());
            }
        });
    }

    private static List<List<Object>> rows(TestDatabase db) throws SQLException {
        return RowSyncIT.rows(db, "SELECT id, value, version FROM counters ORDER BY id");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the held sync");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
