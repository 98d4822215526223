package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.MigrationConfig;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;

/**
 * Cutover through a running tandem in front of two PostgreSQL stores, under load from several
 * clients: the new store becomes the primary while clients see a pause, never an error; writes
 * made while promoted reach the old store, so a rollback afterwards loses nothing; a restart
 * stays promoted; complete stops mirroring; a session bound to an old-store connection is ended
 * with 57P01 rather than left writing where nothing mirrors it.
 */
class CutoverIT {

    private TestDatabase oldDb;
    private TestDatabase newDb;
    private Proxy proxy;
    private Supplier<Proxy> restart;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private void start() throws Exception {
        oldDb = TestPostgres.shared().createDatabase("cut_old");
        newDb = TestPostgres.shared().createDatabase("cut_new");
        for (TestDatabase db : List.of(oldDb, newDb)) {
            db.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, hits int NOT NULL DEFAULT 0)");
        }
        oldDb.execute("INSERT INTO items SELECT g, 'item ' || g, 0 FROM generate_series(1, 100) g");
        StoreConfig oldStore = StoreConfig.postgres(oldDb.jdbcUrl(), oldDb.user(), blank(oldDb.password()));
        StoreConfig newStore = StoreConfig.postgres(newDb.jdbcUrl(), newDb.user(), blank(newDb.password()));
        TandemConfig.Builder builder = TandemConfig.builder().database(oldDb.name()).oldStore(oldStore)
                .newStore(newStore).migration(MigrationConfig.defaults().withShadowSample(0));
        restart = () -> Proxy.start(builder, oldDb.name());
        proxy = restart.get();
        backfillAndVerify();
        HttpResponse<String> reads = proxy.admin("PUT", "/api/reads", "{\"percent\": 100}");
        assertThat(reads.statusCode()).as(reads.body()).isEqualTo(200);
    }

    /** Clients that insert and update rows until stopped, each acknowledged insert remembered. */
    private final class Load implements AutoCloseable {
        final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong transactions = new AtomicLong();
        final AtomicLong slowest = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong ids = new AtomicLong(1000);
        private final List<Thread> clients = new ArrayList<>();

        Load(int count) {
            this(proxy, count, 1000);
        }

        /** {@code count} clients of {@code through}, inserting ids from {@code firstId} on. */
        Load(Proxy through, int count, long firstId) {
            ids.set(firstId);
            for (int i = 0; i < count; i++) {
                boolean inTransactions = i % 2 == 0;
                clients.add(Thread.ofPlatform().name("load-" + i).start(() -> run(through, inTransactions)));
            }
        }

        private void run(Proxy through, boolean inTransactions) {
            try (Connection c = through.connect()) {
                c.setAutoCommit(!inTransactions);
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO items (id, name) VALUES (?, ?)");
                        PreparedStatement update = c.prepareStatement("UPDATE items SET hits = hits + 1 WHERE id = ?")) {
                    while (running.get()) {
                        long id = ids.incrementAndGet();
                        long t0 = System.nanoTime();
                        try {
                            insert.setLong(1, id);
                            insert.setString(2, "written through tandem " + id);
                            insert.executeUpdate();
                            update.setLong(1, 1 + id % 100);
                            update.executeUpdate();
                            if (inTransactions) {
                                c.commit();
                            }
                            acknowledged.add(id);
                            transactions.incrementAndGet();
                        } catch (SQLException e) {
                            failures.add(e.getSQLState() + " " + e.getMessage());
                            if (inTransactions) {
                                c.rollback();
                            }
                        }
                        slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    }
                }
            } catch (SQLException e) {
                failures.add(e.getSQLState() + " " + e.getMessage());
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : clients) {
                t.join(10_000);
            }
        }
    }

    @Test
    void aCutoverUnderLoadFailsNoClientAndARollbackAfterItLosesNoWrite() throws Exception {
        start();
        assertThat(database()).as("the primary before the cutover").isEqualTo(oldDb.name());
        Set<Long> whilePromoted;
        try (Load load = new Load(4)) {
            Thread.sleep(500);
            HttpResponse<String> cut = proxy.admin("POST", "/api/cutover", null);
            assertThat(cut.statusCode()).as(cut.body()).isEqualTo(200);
            assertThat(cut.body()).contains("\"phase\" : \"promoted\"");
            Set<Long> before = Set.copyOf(load.acknowledged);
            Thread.sleep(700);
            whilePromoted = new java.util.HashSet<>(load.acknowledged);
            whilePromoted.removeAll(before);
            assertThat(database()).as("the primary after the cutover").isEqualTo(newDb.name());

            HttpResponse<String> back = proxy.admin("POST", "/api/rollback", "{\"reason\": \"drill\"}");
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            assertThat(back.body()).contains("\"phase\" : \"syncing\"");
            Thread.sleep(500);
            load.close();
            assertThat(load.failures).as("clients see a pause, never an error").isEmpty();
            assertThat(load.transactions.get()).isGreaterThan(50);
            assertThat(whilePromoted).as("writes made while promoted").isNotEmpty();
        }
        assertThat(database()).as("the primary after the rollback").isEqualTo(oldDb.name());
        assertThat(ids(oldDb)).as("the old store, primary again, has every write made while the new one was")
                .containsAll(whilePromoted);
        awaitSame(Duration.ofSeconds(15));
        assertThat(events()).contains("cutover started").contains("cutover done: the new store is the primary")
                .contains("rolled back from promoted: the old store is the primary again").contains(": drill");
    }

    /**
     * Two tandems in front of the same stores, both under load: the cutover through one waits until
     * the other holds its transactions too, and both swap in the same pause, no client failing.
     * One that cannot hold (a transaction open on it) makes the cutover give up, naming it.
     */
    @Test
    void twoTandemsCutOverInOnePause() throws Exception {
        start();
        Proxy other = restart.get();
        try {
            Thread.sleep(1500); // each said it is alive at a tick
            try (Connection open = other.connect()) {
                open.setAutoCommit(false);
                try (Statement s = open.createStatement()) {
                    s.executeUpdate("UPDATE items SET hits = hits + 1 WHERE id = 1"); // and not committed
                }
                HttpResponse<String> refused = proxy.admin("POST", "/api/cutover", null);
                assertThat(refused.statusCode()).isEqualTo(409);
                assertThat(refused.body()).contains("cutover abandoned: other tandem(s) did not hold their transactions "
                        + "within 2 s: ");
                open.commit();
            }
            assertThat(status(other)).contains("\"phase\" : \"switching\"");

            try (Load here = new Load(proxy, 2, 1000); Load there = new Load(other, 2, 500_000)) {
                Thread.sleep(500);
                HttpResponse<String> cut = proxy.admin("POST", "/api/cutover", null);
                assertThat(cut.statusCode()).as(cut.body()).isEqualTo(200);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!status(other).contains("\"phase\" : \"promoted\"") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(500);
                here.close();
                there.close();
                assertThat(here.failures).as("clients of the tandem that cut over").isEmpty();
                assertThat(there.failures).as("clients of the other tandem").isEmpty();
                assertThat(there.transactions.get()).isPositive();
            }
            try (Connection c = other.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).as("the other tandem swapped too").isEqualTo(newDb.name());
            }
            awaitSame(Duration.ofSeconds(15));
        } finally {
            other.close();
        }
    }

    private static String status(Proxy p) {
        return p.admin("GET", "/api/status", null).body();
    }

    @Test
    void aPromotedTandemRestartsPromotedAndCompleteStopsMirroring() throws Exception {
        start();
        assertThat(proxy.admin("POST", "/api/complete", null).body())
                .contains("complete needs the new store as the primary (phase promoted); the phase is switching");
        assertThat(proxy.admin("POST", "/api/cutover", null).statusCode()).isEqualTo(200);
        write(5001);
        assertThat(ids(oldDb)).as("mirrored back to the old store").contains(5001L);

        proxy.close();
        proxy = restart.get();
        assertThat(status()).contains("\"phase\" : \"promoted\"");
        assertThat(database()).as("still the primary after a restart").isEqualTo(newDb.name());
        write(5002);
        assertThat(ids(oldDb)).contains(5002L);

        HttpResponse<String> done = proxy.admin("POST", "/api/complete", null);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        write(5003);
        assertThat(ids(newDb)).contains(5003L);
        assertThat(ids(oldDb)).as("no longer mirrored").doesNotContain(5003L);
        HttpResponse<String> back = proxy.admin("POST", "/api/rollback", null);
        assertThat(back.statusCode()).isEqualTo(409);
        assertThat(back.body()).contains("the migration is complete");
        assertThat(events()).contains("migration complete: writes are no longer mirrored to the old store");
    }

    /**
     * The cutover compares the rows written since the last clean verification: one changed in the
     * new store behind tandem's back abandons it, naming the row; after a restart, what was written
     * before it is unknown to this tandem, so a new verification must come first.
     */
    @Test
    void aCutoverComparesTheRowsWrittenSinceTheLastVerification() throws Exception {
        start();
        write(6001);
        write(6002);
        newDb.execute("UPDATE items SET name = 'changed behind tandem' WHERE id = 6002");
        HttpResponse<String> abandoned = proxy.admin("POST", "/api/cutover", null);
        assertThat(abandoned.statusCode()).isEqualTo(409);
        assertThat(abandoned.body()).contains("cutover abandoned: 1 row(s) written since the last verification differ "
                + "between the stores after the mirror caught up: items [6002]: differs; name old 'one write', new "
                + "'changed behind tandem'").contains("verify --repair");
        assertThat(database()).as("still on the old primary").isEqualTo(oldDb.name());

        proxy.close();
        proxy = restart.get();
        HttpResponse<String> unknown = proxy.admin("POST", "/api/cutover", null);
        assertThat(unknown.statusCode()).isEqualTo(409);
        assertThat(unknown.body()).contains("cutover must wait: the last clean verification started at")
                .contains("rows written in between can only be compared by a new verification");

        assertThat(proxy.admin("POST", "/api/verify", "{\"repair\": true}").statusCode()).isEqualTo(202);
        assertThat(proxy.awaitVerification()).contains("\"clean\" : true");
        write(6003);
        HttpResponse<String> cut = proxy.admin("POST", "/api/cutover", null);
        assertThat(cut.statusCode()).as(cut.body()).isEqualTo(200);
        assertThat(events()).contains("the 1 row(s) written since the last verification were the same in both stores");
    }

    @Test
    void aSessionBoundToAnOldStoreConnectionIsEndedWith57P01AtItsNextTransaction() throws Exception {
        start();
        try (Connection pinned = proxy.connect(); Statement s = pinned.createStatement()) {
            s.execute("SELECT pg_advisory_lock(42)"); // lives on its server connection: the session keeps it
            assertThat(proxy.admin("POST", "/api/cutover", null).statusCode()).isEqualTo(200);
            SQLException ended = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> s.execute("INSERT INTO items (id, name) VALUES (6001, 'after the cutover')"));
            assertThat(ended.getSQLState()).isEqualTo("57P01");
            assertThat(ended.getMessage()).contains("the primary moved to store").contains("reconnect");
        }
        assertThat(ids(oldDb)).doesNotContain(6001L);
        write(6002);
        assertThat(ids(newDb)).contains(6002L);
    }

    /**
     * Over a SQLite old store, sessions run on the emulation until the cutover and on the relay to
     * the new store after it: a session of the emulation moves at its next batch, its prepared
     * statements with it; writes made while promoted reach the SQLite file (and stay there after a
     * rollback, which ends relayed sessions with 57P01).
     */
    @Test
    void aSqliteOldStoreCutsOverToTheRelayAndRollsBackWithTheWritesMadeMeanwhile() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("tandem-cutover").resolve("old.db");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hits INTEGER NOT NULL DEFAULT 0)");
            s.execute("INSERT INTO items (id, name) VALUES (1, 'from sqlite'), (2, 'also from sqlite')");
        }
        newDb = TestPostgres.shared().createDatabase("cut_sqlite_new");
        newDb.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, hits int NOT NULL DEFAULT 0)");
        StoreConfig newStore = StoreConfig.postgres(newDb.jdbcUrl(), newDb.user(), blank(newDb.password()));
        TandemConfig.Builder builder = TandemConfig.builder().database("app").oldStore(StoreConfig.sqlite(file))
                .newStore(newStore).migration(MigrationConfig.defaults().withShadowSample(0));
        proxy = Proxy.start(builder, "app");
        backfillAndVerify();
        assertThat(proxy.admin("PUT", "/api/reads", "{\"percent\": 100}").statusCode()).isEqualTo(200);

        try (Connection moving = proxy.connect();
                PreparedStatement bump = moving.prepareStatement("UPDATE items SET hits = hits + 1 WHERE id = ?");
                PreparedStatement name = moving.prepareStatement("SELECT name, hits FROM items WHERE id = ?");
                PreparedStatement totals = moving.prepareStatement(
                        "SELECT count(*), coalesce(sum(hits), 0), max(name) FROM items WHERE id > ?");
                PreparedStatement groups = moving.prepareStatement(
                        "SELECT name, count(*) FROM items WHERE id > ? GROUP BY name ORDER BY name")) {
            try (Statement s = moving.createStatement()) {
                s.execute("SET TIME ZONE 'America/New_York'");
                s.execute("SET statement_timeout = '5s'");
                s.execute("SET search_path TO public, \"$user\"");
            }
            for (int i = 0; i < 6; i++) { // past pgjdbc's prepareThreshold: named statements, results in binary
                bump.setLong(1, 1);
                bump.executeUpdate();
                name.setLong(1, 2);
                try (ResultSet rs = name.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(2)).isZero();
                }
                assertThat(totalsAndGroups(totals, groups)).isEqualTo("2 " + (i + 1) + " from sqlite; also from sqlite 1,"
                        + " from sqlite 1");
            }
            HttpResponse<String> cut = proxy.admin("POST", "/api/cutover", null);
            assertThat(cut.statusCode()).as(cut.body()).isEqualTo(200);
            bump.setLong(1, 1);
            assertThat(bump.executeUpdate()).as("the session moved to the new store with its statements").isEqualTo(1);
            name.setLong(1, 1);
            try (ResultSet rs = name.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("from sqlite");
                assertThat(rs.getInt(2)).isEqualTo(7);
            }
            assertThat(totalsAndGroups(totals, groups)).as("the same types from the new store as the emulation described")
                    .isEqualTo("2 7 from sqlite; also from sqlite 1, from sqlite 1");
            try (Statement s = moving.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database(), "
                    + "current_setting('TimeZone'), current_setting('statement_timeout'), current_setting('search_path')")) {
                rs.next();
                assertThat(rs.getString(1)).as("the moved session runs on the new store").isEqualTo(newDb.name());
                assertThat(rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4))
                        .as("with the settings it made with SET").isEqualTo("America/New_York 5s public, \"$user\"");
            }
        }
        assertThat(database()).as("relayed to the new store").isEqualTo(newDb.name());
        write(7001);
        assertThat(sqliteIds(file)).as("mirrored back to the SQLite file").contains(7001L);
        assertThat(sqliteHits(file, 1)).as("the moved session's update, mirrored back").isEqualTo(7);

        Connection relayed = proxy.connect();
        Statement onRelay = relayed.createStatement();
        onRelay.execute("SELECT 1");
        HttpResponse<String> back = proxy.admin("POST", "/api/rollback", null);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        SQLException ended = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> onRelay.execute("SELECT 1"));
        assertThat(ended.getSQLState()).as("a relayed session cannot move back to the emulation").isEqualTo("57P01");
        relayed.close();
        assertThat(database()).as("on the emulation again").isEqualTo("app");
        write(7002);
        assertThat(sqliteIds(file)).contains(7001L, 7002L);
        assertThat(ids(newDb)).as("mirrored to the new store again").contains(7001L, 7002L);
    }

    private static int sqliteHits(java.nio.file.Path file, long id) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT hits FROM items WHERE id = " + id)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Set<Long> sqliteIds(java.nio.file.Path file) throws SQLException {
        Set<Long> ids = new java.util.HashSet<>();
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM items")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static String totalsAndGroups(PreparedStatement totals, PreparedStatement groups) throws SQLException {
        StringBuilder out = new StringBuilder();
        totals.setLong(1, 0);
        try (ResultSet rs = totals.executeQuery()) {
            rs.next();
            out.append(rs.getLong(1)).append(' ').append(rs.getLong(2)).append(' ').append(rs.getString(3)).append(';');
        }
        groups.setLong(1, 0);
        try (ResultSet rs = groups.executeQuery()) {
            while (rs.next()) {
                out.append(' ').append(rs.getString(1)).append(' ').append(rs.getLong(2)).append(',');
            }
        }
        return out.substring(0, out.length() - 1);
    }

    private void write(long id) throws SQLException {
        try (Connection c = proxy.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO items (id, name) VALUES (?, 'one write')")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** The database the primary's connection is on, through tandem. */
    private String database() throws SQLException {
        try (Connection c = proxy.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Set<Long> ids(TestDatabase db) throws SQLException {
        Set<Long> ids = new java.util.HashSet<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM items")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Both stores hold the same rows (the mirror may still be draining). */
    private void awaitSame(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String query = "SELECT string_agg(id || ':' || name || ':' || hits, ',' ORDER BY id) FROM items";
        while (true) {
            String old = one(oldDb, query);
            String now = one(newDb, query);
            if (old.equals(now) || System.nanoTime() > deadline) {
                assertThat(now).as("the new store's rows").isEqualTo(old);
                return;
            }
            Thread.sleep(100);
        }
    }

    private static String one(TestDatabase db, String query) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void backfillAndVerify() throws Exception {
        assertThat(proxy.admin("POST", "/api/backfill", "{}").statusCode()).isEqualTo(202);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!status().contains("\"complete\" : true") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(proxy.admin("POST", "/api/verify", "{}").statusCode()).isEqualTo(202);
        assertThat(proxy.awaitVerification()).contains("\"clean\" : true");
    }

    private String status() {
        return proxy.admin("GET", "/api/status", null).body();
    }

    private String events() {
        return proxy.admin("GET", "/api/events?limit=1000", null).body();
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
