package tandem.proxy.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import tandem.core.route.Route;
import tandem.core.session.TransactionStatus;
import tandem.proxy.session.ClientOutput;
import tandem.proxy.session.ClientSession;
import tandem.proxy.session.ClientSettings;
import tandem.proxy.wire.backend.BackendMessage;
import tandem.proxy.wire.frontend.FrontendMessage;

/**
 * Where one relayed session stands in the protocol, shared by the parts of {@link RelayBackend}:
 * the server connection in use, what the server owes, the transaction status and the batch's
 * flags, and the client's statements and portals as tandem knows them. It also keeps the two
 * streams in order: what is encoded for the server, and what goes to the client (tandem's own
 * answers in their turn, a secondary's answer held back). Every part runs on the client's event
 * loop, so the fields are plain.
 */
final class RelayState {

    static final short[] NO_FORMATS = new short[0];
    private static final int FLUSH_THRESHOLD = 64 * 1024;

    final ClientSession session;
    final ClientOutput out;
    final ClientSettings settings;

    /** The connection the batch being sent or answered uses: the primary's or, for a routed read, the secondary's. */
    BackendConnection backend;
    /** The primary connection kept while a read runs on the secondary. */
    BackendConnection primaryKept;
    Route activeRoute = Route.PRIMARY;
    /** The answer of a read running on the secondary, held back from the client until it is known good. */
    HeldAnswer heldAnswer;
    /** Set while the first connection is opened and the client's settings applied on it. */
    Promise<Map<String, String>> opening;
    /** Set while a connection is being acquired; the client's messages wait in {@link #waiting}. */
    boolean acquiring;
    final ArrayDeque<FrontendMessage> waiting = new ArrayDeque<>();

    final ExpectedResponses expected = new ExpectedResponses();
    TransactionStatus status = TransactionStatus.IDLE;
    /** An error ended an extended batch: the server ignores everything up to Sync, and so does tandem. */
    boolean skippingToSync;
    boolean sentSinceSync;
    boolean errorSinceReady;
    /** The client uses something bound to its server session: it keeps the connection. */
    boolean pinned;
    /**
     * The client used something that lives on its server connection alone (LISTEN, advisory locks,
     * temporary tables...), which no other connection can take over; under session pooling a client
     * is pinned without being bound.
     */
    boolean bound;
    /** The connection holds the client's session state: it is reset before another client gets it. */
    boolean dirty;
    boolean closed;
    /** When the batch now answered started, for the route's meters. */
    long batchStarted;

    final Map<String, ClientStatement> statements = new HashMap<>();
    ClientStatement unnamed;
    final Map<String, Portal> portals = new HashMap<>();

    private ByteBuf toServer;
    private boolean unflushed;

    /** A bound statement: what the client bound, the result formats the server was asked for, replay values. */
    record Portal(ClientStatement statement, short[] formats, List<Object> replayParameters) {
    }

    private final LongSupplier clock;

    /** @param clock the ticker batches are timed by (the metric registry's) */
    RelayState(ClientSession session, LongSupplier clock) {
        this.session = session;
        this.out = session.output();
        this.settings = session.settings();
        this.clock = clock;
    }

    /** Now, for timing a batch. */
    long now() {
        return clock.getAsLong();
    }

    /** The client's statement by name ("" for the unnamed one), or null if it has none. */
    ClientStatement statement(String name) {
        return name.isEmpty() ? unnamed : statements.get(name);
    }

    // ---- to the server ----------------------------------------------------------------------------

    /** Encodes a message for the server and books what it owes for it ({@code expectation} null: nothing). */
    void send(FrontendMessage message, Expectation expectation) {
        if (expectation != null && expected.isEmpty() && !sentSinceSync) {
            batchStarted = now();
        }
        if (expectation != null) {
            expected.add(expectation);
            if (expectation.isExtended()) {
                sentSinceSync = true;
            }
        }
        if (toServer == null) {
            toServer = out.alloc().buffer(256);
        }
        try {
            message.encode(toServer);
        } finally {
            ReferenceCountUtil.release(message);
        }
        if (toServer.readableBytes() >= FLUSH_THRESHOLD) {
            flushToServer();
        }
    }

    void flushToServer() {
        if (backend == null) {
            return;
        }
        writeEncoded();
        if (unflushed) {
            unflushed = false;
            backend.flush();
        }
    }

    /** Queues what was encoded so far, keeping it ahead of anything written after it. */
    private void writeEncoded() {
        if (toServer != null && toServer.isReadable()) {
            ByteBuf bytes = toServer;
            toServer = null;
            backend.write(bytes);
            unflushed = true;
        }
    }

    /** Queues bytes that go to the server as the client sent them; flushed at the end of the client's read. */
    void writeToServer(ByteBuf frames) {
        writeEncoded();
        backend.write(frames);
        unflushed = true;
    }

    /** Whether something is encoded for the server and not yet written. */
    boolean unsent() {
        return toServer != null && toServer.isReadable();
    }

    /** Drops what was encoded for a server connection that is gone. */
    void discardUnsent() {
        if (toServer != null) {
            toServer.release();
            toServer = null;
        }
    }

    // ---- to the client ----------------------------------------------------------------------------

    /** Everything written toward the client goes here, so that a secondary's answer can be held back. */
    void emit(ByteBuf bytes) {
        if (heldAnswer != null) {
            ByteBuf now = heldAnswer.add(bytes);
            if (now != null) {
                out.write(now);
            }
            return;
        }
        out.write(bytes);
    }

    /** Slots an answer of tandem's own into the line; it is written when every response before it has been. */
    void enqueueLocal(Expectation local) {
        expected.add(local);
        drainLocal();
    }

    /** Writes tandem's own answers that have reached the head of the line. */
    void drainLocal() {
        while (expected.peek() instanceof Expectation.Local local) {
            expected.poll();
            emit(local.bytes());
        }
    }

    ByteBuf encode(BackendMessage message) {
        ByteBuf buf = out.alloc().buffer();
        message.encode(buf);
        return buf;
    }
}
