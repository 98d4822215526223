package tandem.adapters.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static tandem.adapters.mirror.MirrorFixture.eventually;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestPostgres;
import tandem.core.mirror.Changes;
import tandem.core.mirror.PendingRepairs;
import tandem.core.mirror.RowSync;
import tandem.core.verify.SyncedRowCheck;

/**
 * Synced rows read again from both stores after their sync: a row that still matches counts as a
 * match; one changed on the new store behind tandem's back counts as a mismatch once a second look
 * confirms it; a table with pending repairs is left alone.
 */
@ExtendWith(PostgresExtension.class)
class SyncedRowCheckIT {

    private MirrorFixture stores;
    private SimpleMeterRegistry registry;
    private SyncedRowCheck check;
    private final PendingRepairs pending = new PendingRepairs();

    @BeforeEach
    void open() throws Exception {
        stores = new MirrorFixture(TestPostgres.shared().createDatabase("recheck_old"));
        registry = new SimpleMeterRegistry();
        check = new SyncedRowCheck(stores.plan, stores.old.rowReader(), stores.pg.rowReader(), pending,
                new SyncedRowCheck.Settings(1.0, Duration.ZERO, 100), registry);
    }

    @AfterEach
    void close() throws Exception {
        check.close();
        stores.close();
    }

    private double count(String outcome) {
        return registry.find("tandem.verify.synced").tag("outcome", outcome).counter().count();
    }

    private Changes synced(Changes changes) {
        RowSync.between(stores.old, stores.pg, stores.plan).sync(changes, List.of());
        check.synced(changes);
        return changes;
    }

    @Test
    void aRowChangedBehindTandemsBackIsAMismatchAndAnUntouchedOneAMatch() throws Exception {
        synced(stores.writeUser(1, "ann"));
        eventually("the first row is checked", () -> count("match") == 1);

        synced(stores.writeUser(2, "bob"));
        stores.newDb.execute("UPDATE users SET name = 'changed on the new store' WHERE id = 2");
        eventually("the second row is a mismatch after a second look", () -> count("mismatch") == 1);
        assertThat(count("match")).isEqualTo(1);
    }

    @Test
    void tablesWithPendingRepairsAreLeftAlone() throws Exception {
        pending.add("users");
        synced(stores.writeUser(3, "eve"));
        stores.newDb.execute("UPDATE users SET name = 'not yet repaired' WHERE id = 3");
        Thread.sleep(2500);
        assertThat(count("mismatch") + count("match")).isZero();
    }
}
