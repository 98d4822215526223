package tandem.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.mirror.Changes;
import tandem.core.mirror.CommitSync;
import tandem.core.mirror.Key;
import tandem.core.mirror.RowWriter.Replay;

/**
 * What one client session's transactions wrote on mirrored tables: the keys its writes returned
 * and the statements to replay, gathered while the transaction runs, kept when it commits and
 * dropped when it rolls back; and the commits waiting for their sync. The client hears of a
 * commit only once {@link #syncCommitted()} completed: its rows are on the secondary or in the
 * repair log's hands.
 */
public final class SessionWrites {

    private static final Logger log = LoggerFactory.getLogger(SessionWrites.class);

    private final CommitSync sync;
    private final Changes.Builder changes = new Changes.Builder();
    private final List<Replay> replays = new ArrayList<>();
    private final List<Committed> committed = new ArrayList<>();

    private record Committed(Changes changes, List<Replay> replays) {
    }

    SessionWrites(CommitSync sync) {
        this.sync = sync;
    }

    /** The token under which the transaction's repair-log entries were written (the first one given counts). */
    public void token(String token) {
        changes.token(token);
    }

    /** The open transaction's token, or null before it has one. */
    public String token() {
        return changes.token();
    }

    /** A key a write of the open transaction returned. */
    public void key(String table, Key key) {
        changes.add(table, key);
    }

    /**
     * The repair log holds keys of the open transaction that were not captured (a write stopped at
     * the client's row limit): its entries stay for the drainer rather than go with the sync.
     */
    public void untracked() {
        changes.untracked();
    }

    /** A write on a table mirrored by statement, replayed on the secondary after the commit. */
    public void replay(String sql, List<Object> parameters) {
        replays.add(new Replay(sql, parameters));
    }

    /** The open transaction committed: what it wrote waits for {@link #syncCommitted()}. */
    public void committed() {
        if (!changes.isEmpty() || !replays.isEmpty()) {
            committed.add(new Committed(changes.build(), List.copyOf(replays)));
        }
        rolledBack();
    }

    /** The open transaction rolled back (or failed): nothing of it is synced. */
    public void rolledBack() {
        changes.clear();
        replays.clear();
    }

    /** Whether a commit waits for its sync: the client must not hear of it before {@link #syncCommitted()}. */
    public boolean awaitingSync() {
        return !committed.isEmpty();
    }

    /**
     * Hands every commit waiting to the mirror; completes (never exceptionally) when the client may
     * hear of them: their rows synced, or queued in the repair log when the secondary is slow or down.
     */
    public CompletableFuture<Void> syncCommitted() {
        if (committed.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?>[] syncs = committed.stream()
                .map(c -> sync.committed(c.changes(), c.replays()).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        committed.clear();
        return CompletableFuture.allOf(syncs).handle((ignored, failure) -> {
            if (failure != null) {
                // the mirror queues rather than fails; anything else is a bug, and the rows wait in the repair log
                log.error("syncing a committed transaction failed unexpectedly; its keys wait in the repair log", failure);
            }
            return null;
        });
    }
}
