package tandem.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tandem.core.mirror.Changes;
import tandem.core.mirror.CommitSync;
import tandem.core.mirror.Key;
import tandem.core.mirror.Mirror;
import tandem.core.mirror.PendingRepairs;
import tandem.core.mirror.RowSync;
import tandem.core.mirror.RowWriter;
import tandem.core.mirror.RowWriter.Replay;

/** A session's writes: kept when its transaction commits, dropped when it rolls back, the commit held until synced. */
class SessionWritesTest {

    private final List<Changes> synced = new ArrayList<>();
    private final List<List<Replay>> replayed = new ArrayList<>();
    private final List<CompletableFuture<Object>> syncs = new ArrayList<>();
    private final CommitSync mirror = (changes, replays) -> {
        synced.add(changes);
        replayed.add(replays);
        CompletableFuture<Object> sync = new CompletableFuture<>();
        syncs.add(sync);
        return sync;
    };
    private final SessionWrites writes = new SessionWrites(mirror);

    @Test
    void aCommittedTransactionsKeysWaitForTheSyncAndTheClientWaitsForIt() {
        writes.token("tx-1");
        writes.key("users", Key.of(1L));
        writes.key("users", Key.of(2L));
        writes.key("orders", Key.of(10L));
        assertThat(writes.awaitingSync()).isFalse();
        writes.committed();
        assertThat(writes.awaitingSync()).isTrue();
        CompletableFuture<Void> hold = writes.syncCommitted();
        assertThat(synced).singleElement().satisfies(c -> {
            assertThat(c.token()).isEqualTo("tx-1");
            assertThat(c.keysByTable().get("users")).containsExactlyInAnyOrder(Key.of(1L), Key.of(2L));
            assertThat(c.keysByTable().get("orders")).containsExactly(Key.of(10L));
        });
        assertThat(hold).as("the client hears of its commit only once it is synced or queued").isNotDone();
        syncs.get(0).complete("SYNCED");
        assertThat(hold).isCompleted();
        assertThat(writes.awaitingSync()).isFalse();
    }

    @Test
    void aRolledBackTransactionIsNeverSynced() {
        writes.key("users", Key.of(1L));
        writes.replay("INSERT INTO audit VALUES (now())", List.of());
        writes.rolledBack();
        writes.committed();
        assertThat(writes.awaitingSync()).isFalse();
        assertThat(writes.syncCommitted()).isCompleted();
        assertThat(synced).isEmpty();
    }

    @Test
    void aTransactionWithoutWritesOnMirroredTablesHasNothingToWaitFor() {
        writes.committed();
        assertThat(writes.awaitingSync()).isFalse();
        assertThat(writes.syncCommitted()).isCompleted();
    }

    @Test
    void statementsToReplayGoWithTheirTransactionInOrder() {
        writes.replay("INSERT INTO audit VALUES (1)", List.of());
        writes.replay("INSERT INTO audit VALUES ($1)", List.of(2));
        writes.committed();
        writes.syncCommitted();
        assertThat(replayed).singleElement().satisfies(r -> assertThat(r).extracting(Replay::sql)
                .containsExactly("INSERT INTO audit VALUES (1)", "INSERT INTO audit VALUES ($1)"));
    }

    @Test
    void severalCommitsInOneBatchAreHeldUntilAllAreSynced() {
        writes.key("users", Key.of(1L));
        writes.committed();
        writes.key("users", Key.of(2L));
        writes.committed();
        CompletableFuture<Void> hold = writes.syncCommitted();
        assertThat(synced).hasSize(2);
        syncs.get(1).complete("SYNCED");
        assertThat(hold).isNotDone();
        syncs.get(0).complete("QUEUED");
        assertThat(hold).isCompleted();
    }

    @Test
    void aSyncThatFailsUnexpectedlyStillLetsTheClientGoOnItsRowsWaitInTheRepairLog() {
        writes.key("users", Key.of(1L));
        writes.committed();
        CompletableFuture<Void> hold = writes.syncCommitted();
        syncs.get(0).completeExceptionally(new IllegalStateException("a bug"));
        assertThat(hold).isCompleted();
    }

    @Test
    void aCommitIsHeldNoLongerThanTheMirrorTimeoutWhenTheNewStoreHangs() throws Exception {
        CountDownLatch hung = new CountDownLatch(1);
        RowWriter hangs = (keys, images, statements) -> {
            try {
                hung.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (Mirror mirror = new Mirror(new RowSync(null, hangs, null), null, new PendingRepairs(),
                Duration.ofMillis(200), new SimpleMeterRegistry())) {
            SessionWrites held = new SessionWrites((changes, replays) -> mirror.committed(changes, replays));
            held.replay("INSERT INTO audit VALUES (1)", List.of());
            held.committed();
            long started = System.nanoTime();
            held.syncCommitted().get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the client hears of its commit once the "
                    + "timeout has passed, the rest left to the repair log and the verifier").isLessThan(Duration.ofSeconds(5));
        } finally {
            hung.countDown();
        }
    }

    @Test
    void keysOfAWriteStoppedAtTheClientsRowLimitStayForTheDrainer() {
        writes.token("tx-2");
        writes.key("users", Key.of(1L));
        writes.untracked();
        writes.committed();
        writes.syncCommitted();
        assertThat(synced).singleElement().satisfies(c -> assertThat(c.token()).isNull());
    }
}
