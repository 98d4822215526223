package tandem.core.mirror;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a session calls once a transaction with captured writes committed on the primary: copies its
 * rows to the secondary (or leaves them to the repair log) and completes when the client may be
 * told of its commit. {@link Mirror#committed} is the one implementation; sessions see only this.
 */
@FunctionalInterface
public interface CommitSync {

    CompletionStage<?> committed(Changes changes, List<RowWriter.Replay> replays);
}
