package tandem.proxy.backend;

import java.util.List;
import java.util.concurrent.CompletionStage;

import tandem.core.mirror.Changes;
import tandem.core.mirror.RowWriter.Replay;
import tandem.core.mirror.WriteRewriter;

/**
 * What a relay needs to mirror writes: the rewriter that makes writes on mirrored tables return
 * their keys, and what to do once a transaction with such writes committed on the primary. Absent
 * (null) when there is no new store.
 */
public record Mirroring(WriteRewriter rewriter, CommitSync sync) {

    /** Copies a committed transaction's rows to the secondary; completes when the client may be told. */
    @FunctionalInterface
    public interface CommitSync {
        CompletionStage<?> committed(Changes changes, List<Replay> replays);
    }
}
