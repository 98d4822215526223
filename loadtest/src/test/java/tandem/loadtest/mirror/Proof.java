package tandem.loadtest.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import tandem.loadtest.AuditResult;
import tandem.loadtest.DemoSchema;
import tandem.loadtest.TableAudit;
import tandem.loadtest.WorkloadResult;

/** The checks every proof ends with. */
final class Proof {

    private Proof() {
    }

    /**
     * Waits until the old store's repair log is empty and tandem's status (the drainer's last count)
     * says so too.
     *
     * @return how long that took
     */
    static Duration awaitDrained(MirrorPair pair, Admin admin, Duration deadline) throws Exception {
        return Admin.await("drained", deadline,
                () -> pair.repairLogRows(false) == 0 && admin.backlogRows() == 0,
                () -> "repair log rows " + pair.repairLogRows(false) + ", status " + admin.status().path("mirror")
                        .path("repair"));
    }

    /** Clients saw nothing but what a store alone would have answered. */
    static void assertClean(WorkloadResult run) {
        assertThat(run.unexpectedErrors()).as(run.describe()).isEmpty();
        assertThat(run.anomalies()).as(run.describe()).isEmpty();
        assertThat(run.clean()).as(run.describe()).isTrue();
    }

    /**
     * The audit over every application table of both stores is clean: the demo tables and nothing
     * else, each with rows, the same rows on both sides.
     */
    static AuditResult assertSameRows(MirrorPair pair) {
        AuditResult audit = pair.audit();
        System.out.print(audit.describe());
        assertThat(audit.clean()).as(audit.describe()).isTrue();
        assertThat(audit.tables()).extracting(TableAudit::table)
                .containsExactlyInAnyOrderElementsOf(DemoSchema.TABLES);
        for (TableAudit table : audit.tables()) {
            assertThat(table.oldRows()).as(table.table() + ": rows to compare").isPositive();
            assertThat(table.newRows()).as(table.table()).isEqualTo(table.oldRows());
            assertThat(table.matchingRows()).as(table.table()).isEqualTo(table.oldRows());
        }
        return audit;
    }
}
