package tandem.proxy.backend;

import io.netty.buffer.ByteBuf;
import tandem.core.session.SessionWrites;

/**
 * Carries one run of the server's messages to the client, as whole runs of bytes wherever nothing
 * needs changing: each message is followed ({@link ResponseFollower}), answers to tandem's own
 * requests are cut out, replaced messages spliced in, tandem's own answers written when their
 * turn comes. It stops at the two points where the relay must act before going on: a secondary's
 * read that failed while it can still run on the primary, and a commit's ReadyForQuery, which waits
 * for the commit's sync ({@link CommitHold}).
 */
final class AnswerRelay {

    /**
     * What became of a run: the secondary's read failed and runs again on the primary
     * ({@code retryOnPrimary}), or {@code held} is a commit's ReadyForQuery and everything after it,
     * to hold until the commit is synced; otherwise all of it went on.
     */
    record Relayed(boolean retryOnPrimary, ByteBuf held) {
        static final Relayed DONE = new Relayed(false, null);
        static final Relayed RETRY_ON_PRIMARY = new Relayed(true, null);
    }

    private final RelayState state;
    private final ResponseFollower responses;
    private final SessionWrites writes;
    /** Reads routed to the secondary; null when reads are not routed. */
    private final SecondaryReads reads;

    AnswerRelay(RelayState state, ResponseFollower responses, SessionWrites writes, SecondaryReads reads) {
        this.state = state;
        this.responses = responses;
        this.writes = writes;
        this.reads = reads;
    }

    /**
     * Relays {@code frames}, whole protocol messages, and releases them. Throws ProtocolException
     * or IllegalStateException when the messages do not fit what was asked.
     */
    Relayed relay(ByteBuf frames) {
        int start = frames.readerIndex();
        int end = frames.writerIndex();
        int run = start;
        try {
            for (int at = start; at < end;) {
                char type = (char) frames.getByte(at);
                int next = at + 1 + frames.getInt(at + 1);
                Expectation head = state.expected.peek();
                if (type == 'Z' && state.heldAnswer != null && state.expected.size() == 1) {
                    writeRun(frames, run, at);
                    boolean failed = state.errorSinceReady;
                    responses.respond(type, frames, at + 5, next - at - 5, head);
                    if (failed && state.heldAnswer.canRetry()) {
                        return Relayed.RETRY_ON_PRIMARY;
                    }
                    state.emit(frames.retainedSlice(at, next - at));
                    reads.finish(failed);
                    run = next;
                    at = next;
                    continue;
                }
                if (head != null && !head.forward()) {
                    writeRun(frames, run, at);
                    run = next;
                }
                ResponseFollower.Response response = responses.respond(type, frames, at + 5, next - at - 5, head);
                if (response.dropped() || response.replacement() != null) {
                    writeRun(frames, run, at);
                    if (response.replacement() != null) {
                        state.emit(response.replacement());
                    }
                    run = next;
                }
                if (type == 'Z' && writes.awaitingSync()) {
                    writeRun(frames, run, at);
                    return new Relayed(false, frames.retainedSlice(at, end - at));
                }
                if (response.completed() && state.expected.peek() instanceof Expectation.Local) {
                    writeRun(frames, run, next);
                    run = next;
                    state.drainLocal();
                }
                at = next;
            }
            if (run == start) {
                state.emit(frames);     // everything goes to the client as it came: hand the buffer on
                frames = null;
            } else {
                writeRun(frames, run, end);
            }
            return Relayed.DONE;
        } finally {
            if (frames != null) {
                frames.release();
            }
        }
    }

    private void writeRun(ByteBuf frames, int from, int to) {
        if (to > from) {
            state.emit(frames.retainedSlice(from, to - from));
        }
    }
}
