package tandem.proxy.backend;

import java.util.Set;
import java.util.function.Predicate;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.frontend.Bind;
import tandem.proxy.wire.frontend.Close;
import tandem.proxy.wire.frontend.CopyData;
import tandem.proxy.wire.frontend.CopyDone;
import tandem.proxy.wire.frontend.CopyFail;
import tandem.proxy.wire.frontend.Describe;
import tandem.proxy.wire.frontend.Execute;
import tandem.proxy.wire.frontend.Flush;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.FunctionCall;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.RawFrames;
import tandem.proxy.wire.frontend.Sync;

/**
 * The client's messages that were handed on undecoded ({@link RawFrames}): those that name nothing
 * tandem renames or follows. They go to the server as they came, and what the server owes for each
 * is booked from its type byte alone. Without a connection, or while an extended batch is skipped
 * after an error, they are taken one at a time: a Sync is answered by tandem, and a message that
 * needs the server waits for a connection ({@code haveBackend}, the relay's) with those after it.
 */
final class PassThrough {

    /**
     * Under session pooling nothing of the client's needs rewriting (the connection is its own until
     * it is reset), so every message passes through undecoded; under transaction pooling only those
     * that name nothing tandem renames or follows.
     */
    private static final Set<Character> SESSION_PASS_THROUGH = Set.of('Q', 'P', 'B', 'D', 'E', 'C', 'S', 'H', 'd', 'c',
            'f', 'F');
    private static final Set<Character> TRANSACTION_PASS_THROUGH = Set.of('S', 'H', 'd', 'c', 'f', 'F');
    /** With a secondary to route to or writes to capture, every batch is looked at whole; only COPY streams pass undecoded. */
    private static final Set<Character> ROUTED_PASS_THROUGH = Set.of('d', 'c', 'f');

    private final RelayState state;
    /** True if a connection is held; otherwise the message waits for one, and false. */
    private final Predicate<FrontendMessage> haveBackend;

    PassThrough(RelayState state, Predicate<FrontendMessage> haveBackend) {
        this.state = state;
        this.haveBackend = haveBackend;
    }

    /** The message types the client's reader hands on undecoded; {@code decoded}: batches are looked at whole. */
    static Set<Character> types(boolean decoded, boolean poolByTransaction) {
        if (decoded) {
            return ROUTED_PASS_THROUGH;
        }
        return poolByTransaction ? TRANSACTION_PASS_THROUGH : SESSION_PASS_THROUGH;
    }

    /**
     * Messages passed through undecoded. With a connection held and nothing to skip, the whole run
     * goes to the server as it came, one expectation per message read off its type byte; otherwise
     * message by message.
     */
    void relay(RawFrames raw) {
        ByteBuf frames = raw.frames();
        if (state.backend == null || state.skippingToSync) {
            int at = frames.readerIndex();
            int end = frames.writerIndex();
            try {
                while (at < end && !state.acquiring) {
                    int next = RawFrames.next(frames, at);
                    rawFrame(new RawFrames(frames.retainedSlice(at, next - at)));
                    at = next;
                }
                if (at < end) {
                    state.waiting.add(new RawFrames(frames.retainedSlice(at, end - at)));
                }
            } finally {
                frames.release();
            }
            return;
        }
        for (int at = frames.readerIndex(); at < frames.writerIndex(); at = RawFrames.next(frames, at)) {
            expect(RawFrames.typeAt(frames, at), frames, at);
        }
        state.writeToServer(frames);
    }

    /** One message passed through undecoded, when no connection is held or the batch is being skipped. */
    private void rawFrame(RawFrames frame) {
        ByteBuf bytes = frame.frames();
        char type = RawFrames.typeAt(bytes, bytes.readerIndex());
        if (state.skippingToSync) {
            if (type != Sync.TYPE) {
                bytes.release();
                return;
            }
            state.skippingToSync = false;
        }
        boolean needsServer = type != Sync.TYPE && type != Flush.TYPE && type != CopyData.TYPE
                && type != CopyDone.TYPE && type != CopyFail.TYPE;
        if (state.backend == null && !needsServer) {
            bytes.release();
            if (type == Sync.TYPE) {
                state.enqueueLocal(new Expectation.Local(state.encode(new ReadyForQuery(state.status))));
            }
            return;
        }
        if (!haveBackend.test(frame)) {
            return;
        }
        expect(type, bytes, bytes.readerIndex());
        state.writeToServer(bytes);
    }

    /** Books what the server owes for a message forwarded undecoded. */
    private void expect(char type, ByteBuf frames, int at) {
        Expectation expectation = switch (type) {
            case Query.TYPE -> Expectation.Query.of(null);
            case Parse.TYPE -> new Expectation.Parse(true, null, null, null);
            case Bind.TYPE -> new Expectation.Bind();
            case Describe.TYPE -> frames.getByte(RawFrames.bodyAt(at)) == Describe.STATEMENT
                    ? new Expectation.DescribeStatement(true, null)
                    : new Expectation.DescribePortal(null, RelayState.NO_FORMATS);
            case Execute.TYPE -> Expectation.Execute.UNKNOWN;
            case Close.TYPE -> new Expectation.Close(true);
            case Sync.TYPE -> new Expectation.Sync(true);
            case FunctionCall.TYPE -> new Expectation.FunctionCall();
            default -> null;
        };
        if (expectation == null) {
            return;
        }
        if (state.expected.isEmpty() && !state.sentSinceSync) {
            state.batchStarted = state.now();
        }
        state.expected.add(expectation);
        if (expectation.isExtended()) {
            state.sentSinceSync = true;
        } else if (expectation instanceof Expectation.Sync) {
            state.sentSinceSync = false;
        }
    }
}
