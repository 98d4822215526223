package tandem.adapters.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.testing.Stores;
import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.MigrationConfig;
import tandem.core.mirror.Key;
import tandem.core.mirror.MirroredTables;
import tandem.core.mirror.RowSync;
import tandem.core.store.Store;
import tandem.core.verify.Verifier;

/**
 * The verifier against both old stores: by fingerprints of key ranges, and by both stores read in
 * key order and merged, with pages much smaller than the table so that differences fall on page
 * edges and at both ends; and, where the stores order a table's keys differently, the same answers
 * by looking keys up.
 */
class VerifierIT {

    enum Old { SQLITE, POSTGRES }

    private Store old;
    private boolean rowByRow;
    private Path sqliteFile;
    private TestDatabase oldDb;
    private TestDatabase newDb;
    private PostgresStore target;

    @AfterEach
    void close() {
        if (old != null) {
            old.close();
        }
        if (target != null) {
            target.close();
        }
    }

    /** By fingerprints of key ranges (halved down to 64 rows where they differ), and by merging every row. */
    @ParameterizedTest
    @CsvSource({"SQLITE, fingerprints", "SQLITE, rows", "POSTGRES, fingerprints", "POSTGRES, rows"})
    void findsEveryMissingExtraAndDifferingRowAndRepairsThem(Old kind, String method, @TempDir Path dir) throws Exception {
        rowByRow = method.equals("rows");
        open(kind, dir, "CREATE TABLE items (id bigint PRIMARY KEY, name text, doc jsonb, at timestamp)",
                kind == Old.SQLITE ? "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, doc JSON, at TIMESTAMP)"
                        : "CREATE TABLE items (id bigint PRIMARY KEY, name text, doc jsonb, at timestamp)");
        for (Connection c : List.of(connectOld(), newDb.connect())) {
            boolean sqlite = c.getMetaData().getURL().startsWith("jdbc:sqlite");
            try (c; PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= 1000; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, i % 9 == 0 ? null : "item " + i);
                    LocalDateTime at = LocalDateTime.of(2024, 3, 1 + i % 28, 10, i % 60, 0);
                    if (sqlite) {
                        ps.setString(3, "{\"tags\":[\"a\",\"b\"],\"n\":" + i + "}"); // as SQLite keeps it: key order, no spaces
                        ps.setString(4, at.toString().replace('T', ' '));
                    } else {
                        ps.setObject(3, "{\"n\": " + i + ", \"tags\": [\"a\", \"b\"]}", Types.OTHER);
                        ps.setObject(4, at);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        assertThat(verifier(64).run(Set.of(), false).clean()).isTrue();

        newDb.execute("DELETE FROM items WHERE id IN (1, 64, 65, 1000)",
                "INSERT INTO items (id, name) VALUES (0, 'before'), (1101, 'between'), (2000, 'after')",
                "UPDATE items SET name = 'changed' WHERE id = 128", "UPDATE items SET doc = '{\"n\": 0}' WHERE id = 129",
                "UPDATE items SET at = at + interval '1 microsecond' WHERE id = 999");
        Verifier.TableReport report = verifier(64).run(Set.of(), false).tables().get(0);
        assertThat(report.missing()).isEqualTo(4);
        assertThat(report.extra()).isEqualTo(3);
        assertThat(report.differing()).isEqualTo(3);
        assertThat(report.compared()).isEqualTo(996);
        assertThat(report.method().name()).isEqualTo(method);
        assertThat(report.oldRows()).isEqualTo(1000);
        assertThat(report.newRows()).isEqualTo(999);
        assertThat(report.examples()).extracting(d -> d.kind() + " " + d.key()).containsExactlyInAnyOrder(
                "missing [1]", "missing [64]", "missing [65]", "missing [1000]", "extra [0]", "extra [1101]",
                "extra [2000]", "differs [128]", "differs [129]", "differs [999]");
        assertThat(report.examples()).filteredOn(d -> d.key().equals(Key.of(128L))).singleElement()
                .satisfies(d -> assertThat(d.columns()).singleElement().satisfies(c -> {
                    assertThat(c.column()).isEqualTo("name");
                    assertThat(c.oldValue()).isEqualTo("'item 128'");
                    assertThat(c.newValue()).isEqualTo("'changed'");
                }));

        Verifier.TableReport repaired = verifier(64).run(Set.of(), true).tables().get(0);
        assertThat(repaired.repaired()).isEqualTo(10);
        assertThat(repaired.stillDiffering()).isZero();
        assertThat(verifier(64).run(Set.of(), false).clean()).isTrue();
    }

    /**
     * Every type fingerprints cover, with edge values, copied by tandem's own row copy: the
     * fingerprints must agree where the rows do (no range falls back to rows), and a change to any
     * one column of any row must be found and named.
     */
    @ParameterizedTest
    @CsvSource({"SQLITE", "POSTGRES"})
    void fingerprintsAgreeOnEveryCoveredTypeAndFindAChangeInAnyColumn(Old kind, @TempDir Path dir) throws Exception {
        String columns = "b boolean, s smallint, i integer, f real, d double precision, n numeric, t text, v varchar(20),"
                + " j json, jb jsonb, u uuid, dt date, tm time, ts timestamp, tz timestamptz";
        open(kind, dir, "CREATE TABLE typed (id bigint PRIMARY KEY, " + columns + ")", kind == Old.SQLITE
                ? "CREATE TABLE typed (id INTEGER PRIMARY KEY, b BOOLEAN, s SMALLINT, i INTEGER, f REAL, d DOUBLE, n NUMERIC,"
                        + " t TEXT, v VARCHAR(20), j JSON, jb JSONB, u UUID, dt DATE, tm TIME, ts TIMESTAMP, tz TIMESTAMPTZ)"
                : "CREATE TABLE typed (id bigint PRIMARY KEY, " + columns + ")");
        String[] rows = {
            "1, TRUE, 0, 0, 0, 0, 0, '', '', '{}', '{}', '00000000-0000-0000-0000-000000000000', '2000-01-01', '00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00'",
            "2, FALSE, -32768, -2147483648, -1.5, -0.0, -12.50, 'é 日本 🙂', 'v', '{\"b\":1,\"a\":[1,2.50,null]}',"
                    + " '{\"bb\":{\"x\":true},\"a\":\"s\",\"a\":-3.0e2}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
                    + " '1970-06-30', '23:59:59.999999', '1969-12-31 23:59:59.5', '2024-02-29 12:00:00+05:30'",
            "3, TRUE, 32767, 2147483647, 3.4028235e38, 1e308, 123456789012345678901234567890.000123, 'plain', '', '[1, \"x\"]',"
                    + " '[{\"k\":[]}, 1e-5, \"\u00e9\"]', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12', '2400-12-31',"
                    + " '12:34:56', '2262-04-11 23:47:16.854775', '1900-01-01 00:00:00-08'",
            "4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"};
        try (Connection c = connectOld(); var st = c.createStatement()) {
            for (String row : rows) {
                String values = kind == Old.SQLITE ? row.replace("TRUE", "1").replace("FALSE", "0") : row;
                st.execute("INSERT INTO typed VALUES (" + values + ")");
            }
        }
        MirroredTables plan = MirroredTables.plan(MigrationConfig.defaults(), old, target);
        RowSync.between(old, target, plan).sync(java.util.Map.of("typed", new java.util.LinkedHashSet<>(
                List.of(Key.of(1L), Key.of(2L), Key.of(3L), Key.of(4L)))), List.of());
        rowByRow = true;
        assertThat(verifier(64).run(Set.of(), false).clean()).as("the rows compared one by one").isTrue();
        rowByRow = false;
        Verifier.TableReport same = verifier(64).run(Set.of(), false).tables().get(0);
        assertThat(same.clean()).isTrue();
        assertThat(same.method().name()).isEqualTo("fingerprints");
        assertThat(same.method().rangesByRow()).as("ranges compared row by row").isZero();
        assertThat(same.compared()).isEqualTo(4);

        String[] changes = {"b = NOT b", "s = s - 1", "i = i + 1", "f = f / 2", "d = 1", "n = -n", "t = t || 'x'",
            "v = 'w'", "j = '[2]'", "jb = '{\"a\": \"t\"}'", "u = gen_random_uuid()", "dt = dt + 1",
            "tm = tm + interval '1 microsecond'", "ts = ts + interval '1 microsecond'", "tz = tz - interval '1 hour'"};
        for (int col = 0; col < changes.length; col++) {
            long id = 2 + col % 2;
            newDb.execute("UPDATE typed SET " + changes[col] + " WHERE id = " + id);
            Verifier.TableReport changed = verifier(64).run(Set.of(), false).tables().get(0);
            assertThat(changed.differing()).as(changes[col]).isEqualTo(1);
            assertThat(changed.examples()).singleElement().satisfies(d -> assertThat(d.key()).isEqualTo(Key.of(id)));
            RowSync.between(old, target, plan).sync(java.util.Map.of("typed", new java.util.LinkedHashSet<>(
                    List.of(Key.of(id)))), List.of());
        }
    }

    /** SQLite orders text keys as text ('10' before '9'); the new store's bigint key orders them as numbers. */
    @Test
    void keysTheStoresOrderDifferentlyAreLookedUpInstead(@TempDir Path dir) throws Exception {
        open(Old.SQLITE, dir, "CREATE TABLE codes (code bigint PRIMARY KEY, label text)",
                "CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT)");
        try (Connection o = connectOld(); Connection n = newDb.connect();
                PreparedStatement po = o.prepareStatement("INSERT INTO codes VALUES (?, ?)");
                PreparedStatement pn = n.prepareStatement("INSERT INTO codes VALUES (?, ?)")) {
            for (int i = 1; i <= 300; i++) {
                po.setString(1, String.valueOf(i));
                po.setString(2, "code " + i);
                po.execute();
                if (i != 77) {
                    pn.setLong(1, i);
                    pn.setString(2, i == 150 ? "other" : "code " + i);
                    pn.execute();
                }
            }
            pn.setLong(1, 9999);
            pn.setString(2, "extra");
            pn.execute();
        }
        Verifier.TableReport report = verifier(32).run(Set.of(), false).tables().get(0);
        assertThat(report.examples()).extracting(d -> d.kind() + " " + d.key()).containsExactlyInAnyOrder(
                "missing [77]", "differs [150]", "extra [9999]");
        assertThat(report.compared()).isEqualTo(299);
        assertThat(report.oldRows()).isEqualTo(300);
        assertThat(report.newRows()).isEqualTo(300);
    }

    /**
     * While the mirror runs, a row read between its commit on the old store and its sync differs for
     * a moment: the differing rows are read again after a wait, and only what still differs is
     * reported. Here row 10 is put right during the wait (as its sync would), row 20 is not.
     */
    @ParameterizedTest
    @CsvSource({"SQLITE", "POSTGRES"})
    void rowsThatAgreeOnASecondLookAreNotReported(Old kind, @TempDir Path dir) throws Exception {
        open(kind, dir, "CREATE TABLE items (id bigint PRIMARY KEY, name text)",
                kind == Old.SQLITE ? "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)"
                        : "CREATE TABLE items (id bigint PRIMARY KEY, name text)");
        for (Connection c : List.of(connectOld(), newDb.connect())) {
            try (c; PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
                for (int i = 1; i <= 100; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "item " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        newDb.execute("UPDATE items SET name = 'in flight' WHERE id IN (10, 20)");
        MirroredTables plan = MirroredTables.plan(MigrationConfig.defaults(), old, target);
        Verifier firstLookOnly = new Verifier(plan, old, target, RowSync.between(old, target, plan),
                new Verifier.Settings(64, 20, 2).withSettle(java.time.Duration.ZERO), Clock.systemUTC());
        assertThat(firstLookOnly.run(Set.of(), false).tables().get(0).differing()).isEqualTo(2);

        Verifier patient = new Verifier(plan, old, target, RowSync.between(old, target, plan),
                new Verifier.Settings(64, 20, 2).withSettle(java.time.Duration.ofSeconds(3)), Clock.systemUTC());
        var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> patient.run(Set.of(), false));
        Thread.sleep(1000); // the first look (a few milliseconds for 100 rows) is over; the second is 2 s away
        newDb.execute("UPDATE items SET name = 'item 10' WHERE id = 10");
        Verifier.TableReport report = running.get().tables().get(0);
        assertThat(report.examples()).extracting(d -> d.kind() + " " + d.key()).containsExactly("differs [20]");
        assertThat(report.differing()).isEqualTo(1);
        assertThat(report.compared()).isEqualTo(100);
    }

    private void open(Old kind, Path dir, String newSchema, String oldSchema) throws Exception {
        newDb = TestPostgres.shared().createDatabase("verify_new");
        newDb.execute(newSchema);
        target = Stores.postgres("new", newDb);
        if (kind == Old.SQLITE) {
            old = Stores.sqlite(dir, "old.db", oldSchema);
            sqliteFile = dir.resolve("old.db");
        } else {
            oldDb = TestPostgres.shared().createDatabase("verify_old");
            oldDb.execute(oldSchema);
            old = Stores.postgres("old", oldDb);
        }
    }

    private Connection connectOld() throws SQLException {
        return sqliteFile != null ? Stores.sqliteConnection(sqliteFile) : oldDb.connect();
    }

    private Verifier verifier(int pageSize) {
        MirroredTables plan = MirroredTables.plan(MigrationConfig.defaults(), old, target);
        Verifier.Settings settings = new Verifier.Settings(pageSize, 20, 2);
        return new Verifier(plan, old, target, RowSync.between(old, target, plan),
                rowByRow ? settings.rowByRow() : settings, Clock.systemUTC());
    }
}
