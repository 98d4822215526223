package tandem.proxy.backend;

import tandem.core.mirror.CommitSync;
import tandem.core.mirror.WriteRewriter;

/**
 * What a relay needs to mirror writes: the rewriter that makes writes on mirrored tables return
 * their keys, and what to do once a transaction with such writes committed on the primary. Absent
 * (null) when there is no new store.
 */
public record Mirroring(WriteRewriter rewriter, CommitSync sync, Runnable refused) {
}
