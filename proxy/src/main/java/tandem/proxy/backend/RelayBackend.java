package tandem.proxy.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.route.Route;
import tandem.core.session.SessionPolicy;
import tandem.core.session.SessionWrites;
import tandem.core.session.TransactionStatus;
import tandem.core.sql.ClassificationCache;
import tandem.proxy.backend.BatchRouter.RoutedBatch;
import tandem.proxy.metrics.ProxyMetrics;
import tandem.proxy.session.Backend;
import tandem.proxy.session.ClientOutput;
import tandem.proxy.session.ClientSession;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.frontend.Close;
import tandem.proxy.wire.frontend.CopyData;
import tandem.proxy.wire.frontend.CopyDone;
import tandem.proxy.wire.frontend.CopyFail;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.FunctionCall;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.Sync;

/**
 * One client's traffic to a PostgreSQL store, relayed message by message over a pooled server
 * connection. What the server sends back is forwarded as it came, in runs of whole messages; the
 * relay reads only message headers, plus the few messages that tell it where the session stands
 * (ReadyForQuery, CommandComplete, errors).
 *
 * <p>It keeps one {@link Expectation} per message sent, so that it always knows which request a
 * response answers. That lets it add messages of its own — re-preparing a client's statement on a
 * connection that has not seen it, replaying the client's settings — and swallow their answers,
 * and slot answers it gives itself (a Close of a statement that lives only in tandem's books, an
 * error it raises) into the right place in the stream.
 *
 * <p>With transaction pooling the connection goes back to the pool whenever the client is between
 * transactions and owes nothing; a client that uses something bound to one server session (LISTEN,
 * temporary tables, session advisory locks, WITH HOLD cursors, SQL PREPARE) is pinned to its
 * connection from then on, and that connection is closed rather than reused when the client leaves.
 *
 * <p>This class coordinates; each role is a part of its own, all sharing the session's
 * {@link RelayState} on the client's event loop: {@link ClientRequests} (and {@link PassThrough})
 * turn the client's messages into the server's, {@link ConnectionKeeper} holds, gives back and
 * prepares the server connection, {@link AnswerRelay} and {@link ResponseFollower} carry and follow
 * the answers, {@link CommitHold} holds a commit's answer until it is synced, {@link SecondaryReads}
 * runs reads on the secondary and {@link Admission} keeps the session's place at the policy's gate.
 * The parts return what happened; the relay decides what comes next.
 */
public final class RelayBackend implements Backend, BackendListener {

    private static final Logger log = LoggerFactory.getLogger(RelayBackend.class);

    private final ClientSession session;
    private final ClientOutput out;
    private final RelayPools pools;
    private final boolean poolByTransaction;
    /** Reads are routed or writes captured: every batch is looked at whole, not passed through undecoded. */
    private final boolean decodesEverything;
    private final Routing routing;
    /** Where the session stands in the protocol; the parts below share it. */
    private final RelayState state;
    private final Admission admission;
    private final ConnectionKeeper keeper;
    private final ClientRequests requests;
    private final AnswerRelay answers;
    private final CommitHold commitHold;
    /** Reads routed to the secondary; null when reads are not routed. */
    private final SecondaryReads reads;

    public RelayBackend(ClientSession session, RelayPools pools, boolean poolByTransaction, StatementNames names,
            ClassificationCache classifier, ProxyMetrics.Route primaryMeters, Routing routing, SessionPolicy policy) {
        this.session = session;
        this.state = new RelayState(session, primaryMeters::now);
        this.out = state.out;
        this.pools = pools;
        this.poolByTransaction = poolByTransaction;
        this.routing = routing;
        // whether writes on mirrored tables are captured: the policy mirrors them
        boolean mirrors = policy.mirrorsWrites();
        this.decodesEverything = routing != null || mirrors;
        SessionWrites writes = policy.newWrites();
        CapturedWrites captured = mirrors ? new CapturedWrites(out.alloc(), writes) : null;
        // tandem follows the client's settings and statements whenever it may change connections
        boolean followSession = poolByTransaction || routing != null || mirrors;
        QuerySplits splits = new QuerySplits(classifier);
        this.admission = new Admission(state, policy.gate());
        this.reads = routing == null ? null : new SecondaryReads(state, routing, policy, classifier, splits);
        this.commitHold = new CommitHold(state, writes);
        this.keeper = new ConnectionKeeper(state, this, pools, routing == null ? null : routing.secondaryPool(),
                poolByTransaction, this::settingsApplied);
        this.requests = new ClientRequests(state, keeper, policy, classifier, splits, names, routing != null, mirrors,
                poolByTransaction, followSession, this::haveBackend);
        this.answers = new AnswerRelay(state, new ResponseFollower(state, mirrors, writes, captured, followSession,
                primaryMeters), writes, reads);
    }

    /**
     * A statement the client prepared on another backend (the emulation, before a cutover), known
     * from now on as if it had been parsed here; prepared on a server connection when first used.
     */
    public void adopt(String name, String sql, int[] parameterTypes) {
        requests.adopt(name, sql, parameterTypes);
    }

    /** Settings the client made elsewhere (see {@link ClientSettings#adopt}), applied before its next statement. */
    public void adoptSettings(Map<String, String> settings) {
        state.settings.adopt(settings);
    }

    @Override
    public EventLoop loop() {
        return out.loop();
    }

    @Override
    public Set<Character> passThroughTypes() {
        return PassThrough.types(decodesEverything, poolByTransaction);
    }

    // ---- startup ----------------------------------------------------------------------------------

    @Override
    public Future<Map<String, String>> open() {
        Promise<Map<String, String>> promise = out.loop().newPromise();
        state.opening = promise;
        Future<BackendConnection> acquired = keeper.open();
        acquired.addListener(f -> {
            if (!acquired.isSuccess()) {
                failOpening(acquired.cause());
                return;
            }
            if (state.closed) {
                keeper.releaseUnused(acquired.getNow());
                return;
            }
            keeper.attach(acquired.getNow());
            if (!keeper.syncSettings()) {
                finishOpening();
            }
            state.flushToServer();
        });
        return promise;
    }

    private void finishOpening() {
        Promise<Map<String, String>> promise = state.opening;
        state.opening = null;
        if (promise != null) {
            promise.trySuccess(new LinkedHashMap<>(state.backend.serverParameters()));
        }
        keeper.maybeRelease(commitHold.holding());
        maybeLeaveGate();
    }

    /** Settings replayed on a connection were applied, or refused ({@code failure}): at login, or later. */
    private void settingsApplied(ServerError failure) {
        if (failure == null) {
            if (state.opening != null) {
                finishOpening();
            }
        } else if (state.opening != null) {
            failOpening(failure);
        } else {
            out.fail(new ProxyException(SqlState.CONNECTION_FAILURE, "could not apply this session's "
                    + "settings on a connection to store \"" + keeper.primaryName() + "\": "
                    + failure.response().message(), null, null, true, null));
            close();
        }
    }

    private void failOpening(Throwable cause) {
        Promise<Map<String, String>> promise = state.opening;
        state.opening = null;
        if (promise != null) {
            promise.tryFailure(cause);
        }
    }

    // ---- client to server -------------------------------------------------------------------------

    @Override
    public void receive(FrontendMessage message) {
        if (state.closed) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (!admission.admitted()) {
            if (!admission.admit(message, () -> out.loop().execute(this::admittedAfterWait))) {
                return;
            }
            if (endedByCutover()) {
                ReferenceCountUtil.release(message);
                return;
            }
        }
        if (reads != null && !(message instanceof CopyData || message instanceof CopyDone
                || message instanceof CopyFail)) {
            if (reads.gather(message)) {
                pump();
            }
            return;
        }
        submit(message);
    }

    private void admittedAfterWait() {
        if (!admission.admittedAfterWait()) {
            return;
        }
        if (endedByCutover()) {
            FrontendMessage held;
            while ((held = admission.nextHeld()) != null) {
                ReferenceCountUtil.release(held);
            }
            return;
        }
        FrontendMessage message;
        while (!state.closed && (message = admission.nextHeld()) != null) {
            receive(message);
        }
        endOfInput();
    }

    /**
     * A session that starts a transaction still holding a connection to the store a cutover (or a
     * rollback after one) took the primary role from cannot run it there, where its writes would
     * not be mirrored. It gives that connection back and goes on with one from the new primary
     * (its settings and prepared statements follow), unless something of it lives on that
     * connection alone (LISTEN, advisory locks, temporary tables): then it is ended with 57P01,
     * saying so.
     */
    private boolean endedByCutover() {
        boolean primaryUnreachable = pools.primary() == null; // rolled back to a SQLite old store
        if (!primaryUnreachable && !keeper.heldFromFormerPrimary()) {
            return false;
        }
        if (!primaryUnreachable && keeper.canMoveToPrimary()) {
            log.debug("client {} moves from store \"{}\" to the primary \"{}\"", session.processId(),
                    keeper.primaryName(), pools.primary().storeName());
            keeper.moveToPrimary();
            return false;
        }
        log.info("client {} ends: it is bound to a connection to store \"{}\", which is no longer the primary",
                session.processId(), keeper.primaryName());
        out.fail(new ProxyException(SqlState.ADMIN_SHUTDOWN, primaryUnreachable
                ? "terminating connection: the primary moved back to the old store, which sessions reach through "
                        + "tandem's emulation only"
                : "terminating connection: the primary moved to store \"" + pools.primary().storeName()
                        + "\" and this session was bound to a connection to store \"" + keeper.primaryName() + "\"",
                primaryUnreachable ? null : "it used something that lives on one server connection (LISTEN, advisory "
                        + "locks, temporary tables, WITH HOLD cursors)",
                "reconnect: the new session runs on the new primary", true, null));
        close();
        return true;
    }

    /** The session is between transactions, owing and owed nothing (its last commit's sync included). */
    private void maybeLeaveGate() {
        if (admission.admitted() && !commitHold.holding() && (reads == null || reads.idle()) && isIdle()) {
            admission.leave();
        }
    }

    private void submit(FrontendMessage message) {
        if (state.acquiring || !state.waiting.isEmpty() || state.opening != null) {
            state.waiting.add(message);
            return;
        }
        requests.process(message);
    }

    // ---- routing --------------------------------------------------------------------------------------

    /** Starts the batches whose store is free: the other store must have answered everything first. */
    private void pump() {
        if (reads == null) {
            return;
        }
        RoutedBatch batch;
        while ((batch = reads.startNext(commitHold.holding())) != null) {
            for (FrontendMessage message : batch.messages()) {
                submit(message);
            }
            // a batch may start from a server's answer (a fallback, a batch that waited), not only from a client read
            state.flushToServer();
        }
    }

    /** The secondary failed a read before the client saw any of it: the batch runs again on the primary. */
    private void fallBack(String why, boolean unavailable) {
        reads.fallBack(why, unavailable);
        pump();
    }

    /**
     * True if a connection is held; otherwise starts getting one, parks the message until then and
     * returns false.
     */
    private boolean haveBackend(FrontendMessage message) {
        if (state.backend != null) {
            return true;
        }
        state.waiting.addFirst(message);
        Future<BackendConnection> acquired = keeper.acquire();
        if (acquired.isDone()) {
            acquired(acquired);
        } else {
            acquired.addListener(f -> acquired(acquired));
        }
        return false;
    }

    private void acquired(Future<BackendConnection> acquired) {
        ConnectionKeeper.Acquired outcome = keeper.acquired(acquired);
        if (outcome == ConnectionKeeper.Acquired.CLOSED) {
            return;
        }
        if (outcome == ConnectionKeeper.Acquired.FAILED && state.activeRoute == Route.SECONDARY) {
            state.waiting.clear();
            fallBack(String.valueOf(acquired.cause().getMessage()), true);
            return;
        }
        if (outcome == ConnectionKeeper.Acquired.FAILED) {
            ProxyException error = acquired.cause() instanceof ProxyException p ? p
                    : new ProxyException(SqlState.CONNECTION_FAILURE, String.valueOf(acquired.cause().getMessage()));
            FrontendMessage first = state.waiting.poll();
            boolean simple = first instanceof Query || first instanceof FunctionCall;
            ReferenceCountUtil.release(first);
            requests.localError(error, simple);
        }
        drainWaiting();
    }

    private void drainWaiting() {
        while (!state.acquiring && state.opening == null && !state.closed && !state.waiting.isEmpty()) {
            requests.process(state.waiting.poll());
        }
        state.flushToServer();
        out.flush();
        pump();
    }

    @Override
    public void endOfInput() {
        state.flushToServer();
        out.flush();
        maybeLeaveGate(); // what tandem answered itself (a Sync with no server held) ends a batch too
    }

    // ---- server to client -------------------------------------------------------------------------

    @Override
    public void onFrames(BackendConnection connection, ByteBuf frames) {
        if (connection != state.backend) {
            log.warn("{} answered after {} let it go ({} bytes); closing it", connection, this, frames.readableBytes());
            frames.release();
            connection.close();
            return;
        }
        if (commitHold.holding()) {
            // reading stopped at the held commit, but bytes already read may still arrive: they queue behind it
            commitHold.append(frames);
            return;
        }
        try {
            AnswerRelay.Relayed relayed = answers.relay(frames);
            if (relayed.retryOnPrimary()) {
                fallBack("the secondary answered with an error", false);
                return;
            }
            if (relayed.held() != null) {
                commitHold.hold(relayed.held())
                        .whenComplete((ignored, failure) -> out.loop().execute(this::resumeAfterSync));
            }
        } catch (ProtocolException | IllegalStateException e) {
            log.error("lost track of {}'s responses; closing the client session", connection, e);
            out.fail(new ProxyException(SqlState.PROTOCOL_VIOLATION, "tandem lost track of the server's responses: "
                    + e.getMessage(), null, null, true, e));
            close();
            return;
        }
        out.flush();
        if (state.backend != null && !out.isWritable() && !commitHold.holding()) {
            state.backend.channel().config().setAutoRead(false);
        }
        afterAnswers();
    }

    /** The commit's rows are synced: the client hears of it, and what the server sent after it is followed. */
    private void resumeAfterSync() {
        ByteBuf rest = commitHold.resume();
        if (rest == null) {
            return;
        }
        if (rest.isReadable()) {
            onFrames(state.backend, rest);
            return;
        }
        rest.release();
        out.flush();
        afterAnswers();
    }

    /** What the server answered may have ended a batch: the connection, the gate and waiting messages move on. */
    private void afterAnswers() {
        keeper.maybeRelease(commitHold.holding());
        maybeLeaveGate();
        if (!state.waiting.isEmpty() && !state.acquiring && state.opening == null) {
            drainWaiting();
        } else if (reads != null && reads.hasWaiting()) {
            pump();
        }
    }

    @Override
    public void onClosed(BackendConnection connection, Throwable cause) {
        if (connection == state.primaryKept) {
            keeper.lostKept(connection);
            if (!state.closed) {
                out.fail(new ProxyException(SqlState.CONNECTION_FAILURE, "lost the connection to store \""
                        + keeper.primaryName() + "\"", null, "reconnect and retry", true, cause));
                close();
            }
            return;
        }
        if (connection != state.backend) {
            return;
        }
        if (state.activeRoute == Route.SECONDARY) {
            if (reads.lost(connection)) {
                fallBack("lost the connection to the secondary", true);
            } else if (!state.closed) {
                out.fail(new ProxyException(SqlState.CONNECTION_FAILURE, "lost the connection to store \""
                        + reads.storeName() + "\" in the middle of a read", null,
                        "reconnect and retry", true, cause));
                close();
            }
            return;
        }
        keeper.lost(connection);
        if (state.closed) {
            return;
        }
        ProxyException lost = new ProxyException(SqlState.CONNECTION_FAILURE, "lost the connection to store \""
                + keeper.primaryName() + "\" at " + keeper.primaryEndpoint().address()
                + (cause == null ? "" : ": " + cause.getMessage()), null,
                "the server closed it or the network failed; reconnect and retry", true, cause);
        if (state.opening != null) {
            failOpening(lost);
            return;
        }
        if (keeper.survivable()) {
            keeper.survive(lost);
            drainWaiting();
            return;
        }
        log.warn("client {} lost its connection to store \"{}\": {}", session.processId(), keeper.primaryName(),
                cause == null ? "closed by the server" : cause.toString());
        out.fail(lost);
        close();
    }

    @Override
    public void onWritabilityChanged(BackendConnection connection, boolean writable) {
        if (connection != state.backend) {
            return;
        }
        keeper.writabilityChanged(writable);
    }

    @Override
    public void clientWritabilityChanged(boolean writable) {
        if (state.backend != null) {
            state.backend.channel().config().setAutoRead(writable);
        }
    }

    @Override
    public boolean isIdle() {
        return state.expected.isEmpty() && state.waiting.isEmpty() && !state.acquiring && state.opening == null
                && !state.sentSinceSync && state.status == TransactionStatus.IDLE;
    }

    @Override
    public void cancel() {
        out.loop().execute(() -> {
            if (state.backend != null && !state.expected.isEmpty()) {
                CancelSender.send(state.backend, out.loop());
            }
        });
    }

    @Override
    public void close() {
        if (state.closed) {
            return;
        }
        state.closed = true;
        state.waiting.forEach(ReferenceCountUtil::release);
        state.waiting.clear();
        boolean between = state.expected.isEmpty() && state.status == TransactionStatus.IDLE && !state.sentSinceSync
                && state.waiting.isEmpty();
        state.expected.clear();
        state.discardUnsent();
        commitHold.discard();
        if (reads != null) {
            reads.close();
        }
        keeper.close(between);
        failOpening(new ProxyException(SqlState.CONNECTION_FAILURE, "client went away during startup"));
        admission.close();
    }

    @Override
    public String toString() {
        return "relay[client " + session.processId() + " -> " + keeper.primaryName() + "]";
    }
}
