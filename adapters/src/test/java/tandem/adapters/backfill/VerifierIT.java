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
import org.junit.jupiter.params.provider.EnumSource;

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
 * The verifier against both old stores: both stores read in key order and merged, with pages much
 * smaller than the table so that differences fall on page edges and at both ends; and, where the
 * stores order a table's keys differently, the same answers by looking keys up.
 */
class VerifierIT {

    enum Old { SQLITE, POSTGRES }

    private Store old;
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

    @ParameterizedTest
    @EnumSource(Old.class)
    void findsEveryMissingExtraAndDifferingRowAndRepairsThem(Old kind, @TempDir Path dir) throws Exception {
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
        return new Verifier(plan, old.pageReader(), old.rowReader(), target.pageReader(), target.rowReader(),
                RowSync.between(old, target, plan), new Verifier.Settings(pageSize, 20, 2), Clock.systemUTC());
    }
}
