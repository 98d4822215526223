package tandem.proxy.backend;

import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import tandem.core.session.SessionWrites;

/**
 * A commit's ReadyForQuery, and whatever the server sent after it, held back from the client until
 * {@link SessionWrites#syncCommitted()} completed: the client hears of its commit only once the
 * commit's rows are on the secondary or in the repair log's hands. The server is not read
 * meanwhile; bytes already read queue behind the ReadyForQuery. While it holds, the session is
 * not between transactions: its connection is not given back and no other batch starts.
 */
final class CommitHold {

    private final RelayState state;
    private final SessionWrites writes;
    private ByteBuf held;

    CommitHold(RelayState state, SessionWrites writes) {
        this.state = state;
        this.writes = writes;
    }

    boolean holding() {
        return held != null;
    }

    /**
     * Holds {@code fromReady} (the commit's ReadyForQuery first) and stops reading the server;
     * returns what completes when the client may hear of the commit.
     */
    CompletableFuture<Void> hold(ByteBuf fromReady) {
        held = fromReady;
        if (state.backend != null) {
            state.backend.channel().config().setAutoRead(false);
        }
        return writes.syncCommitted();
    }

    /** Bytes that were read before reading stopped: they queue behind the held ReadyForQuery. */
    void append(ByteBuf frames) {
        held = Unpooled.wrappedBuffer(held, frames);
    }

    /**
     * The commit is synced: its ReadyForQuery goes to the client and the server is read again.
     * Returns what the server sent after it (possibly nothing) for the relay to follow, or null
     * when there is nothing to follow: nothing was held, or the client has gone.
     */
    ByteBuf resume() {
        ByteBuf frames = held;
        held = null;
        if (frames == null) {
            return null;
        }
        if (state.closed) {
            frames.release();
            return null;
        }
        int ready = 1 + frames.getInt(frames.readerIndex() + 1);
        state.emit(frames.readRetainedSlice(ready));
        if (state.backend != null) {
            state.backend.channel().config().setAutoRead(true);
        }
        return frames;
    }

    /** The client left: what was held is dropped. */
    void discard() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
