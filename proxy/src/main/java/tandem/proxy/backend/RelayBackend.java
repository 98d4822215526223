package tandem.proxy.backend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.WritePlan;
import tandem.core.route.Route;
import tandem.core.session.SessionPolicy;
import tandem.core.session.SessionWrites;
import tandem.core.session.TransactionStatus;
import tandem.core.sql.Classification;
import tandem.core.sql.ClassificationCache;
import tandem.core.sql.SessionEffects;
import tandem.core.sql.SetCommand;
import tandem.core.sql.TransactionControl;
import tandem.proxy.backend.BatchRouter.RoutedBatch;
import tandem.proxy.metrics.ProxyMetrics;
import tandem.proxy.session.Backend;
import tandem.proxy.session.ClientErrors;
import tandem.proxy.session.ClientOutput;
import tandem.proxy.session.ClientSession;
import tandem.proxy.session.ClientSettings;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;
import tandem.proxy.wire.backend.BackendMessage;
import tandem.proxy.wire.backend.CloseComplete;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.NoData;
import tandem.proxy.wire.backend.ParameterStatus;
import tandem.proxy.wire.backend.ParseComplete;
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
 */
public final class RelayBackend implements Backend, BackendListener {

    private static final Logger log = LoggerFactory.getLogger(RelayBackend.class);

    /** Describing a statement that does not exist fails the server's transaction exactly as an error of tandem's would have. */
    private static final String POISON = "tandem_no_such_statement";
    private static final short[] NO_FORMATS = new short[0];
    private static final int FLUSH_THRESHOLD = 64 * 1024;
    /**
     * Under session pooling nothing of the client's needs rewriting (the connection is its own until
     * it is reset), so every message passes through undecoded; under transaction pooling only those
     * that name nothing tandem renames or follows.
     */
    private static final Set<Character> SESSION_PASS_THROUGH = Set.of('Q', 'P', 'B', 'D', 'E', 'C', 'S', 'H', 'd', 'c',
            'f', 'F');
    private static final Set<Character> TRANSACTION_PASS_THROUGH = Set.of('S', 'H', 'd', 'c', 'f', 'F');
    /** With a secondary to route to, every batch is looked at whole; only COPY streams pass undecoded. */
    private static final Set<Character> ROUTED_PASS_THROUGH = Set.of('d', 'c', 'f');

    private final ClientSession session;
    private final ClientOutput out;
    private final ClientSettings settings;
    /** What the client's server connections are opened with: its startup settings, there as on a direct connection. */
    private final StartupParameters startup;
    private final BackendPool pool;
    private final boolean poolByTransaction;
    private final StatementNames names;
    private final ClassificationCache classifier;
    private final Routing routing;
    private final SessionPolicy policy;
    /** Whether writes on mirrored tables are captured: the policy mirrors them. */
    private final boolean mirrors;
    private final SessionWrites writes;
    private final CapturedWrites captured;
    /** The ReadyForQuery of a commit, and what the server sent after it, held until the commit's rows are synced. */
    private ByteBuf held;
    private final ProxyMetrics.Route primaryMeters;
    /** Whether tandem follows the client's settings and statements: needed whenever it may change connections. */
    private final boolean followSession;

    /** The connection the batch being sent or answered uses: the primary's or, for a routed read, the secondary's. */
    private BackendConnection backend;
    /** The primary connection kept while a read runs on the secondary. */
    private BackendConnection primaryKept;
    private final ArrayDeque<RoutedBatch> batches = new ArrayDeque<>();
    /** Batches and the store each goes to; null when reads are not routed. */
    private final BatchRouter router;
    private final QuerySplits splits;
    private Route activeRoute = Route.PRIMARY;
    private List<FrontendMessage> retryOnPrimary;
    private HeldAnswer heldAnswer;
    private long batchStarted;
    private boolean acquiring;
    private Promise<Map<String, String>> opening;
    private final ArrayDeque<FrontendMessage> waiting = new ArrayDeque<>();
    private final ExpectedResponses expected = new ExpectedResponses();
    private ByteBuf toServer;
    private boolean unflushed;

    private final Map<String, ClientStatement> statements = new HashMap<>();
    private ClientStatement unnamed;
    private final Map<String, Portal> portals = new HashMap<>();

    /** A bound statement: what the client bound, the result formats the server was asked for, replay values. */
    private record Portal(ClientStatement statement, short[] formats, List<Object> replayParameters) {
    }

    private TransactionStatus status = TransactionStatus.IDLE;
    private boolean skippingToSync;
    private boolean sentSinceSync;
    private boolean errorSinceReady;
    private boolean pinned;
    private boolean dirty;
    private boolean heldForServer;
    private boolean closed;
    /** Admitted by the policy's gate: from the first message after the session was idle until it is idle again. */
    private boolean admitted;
    /** Messages that arrived while the gate held the session back, in order. */
    private final ArrayDeque<FrontendMessage> atGate = new ArrayDeque<>();

    public RelayBackend(ClientSession session, BackendPool pool, boolean poolByTransaction, StatementNames names,
            ClassificationCache classifier, ProxyMetrics.Route primaryMeters, Routing routing, SessionPolicy policy) {
        this.session = session;
        this.out = session.output();
        this.settings = session.settings();
        this.startup = StartupParameters.ofClient(session.startupParameters());
        this.pool = pool;
        this.poolByTransaction = poolByTransaction;
        this.routing = routing;
        this.policy = policy;
        this.mirrors = policy.mirrorsWrites();
        this.writes = policy.writes();
        this.captured = mirrors ? new CapturedWrites(session.output().alloc(), writes) : null;
        this.primaryMeters = primaryMeters;
        this.followSession = poolByTransaction || routing != null || mirrors;
        // a session-pooled client keeps its connection; it is reset with DISCARD ALL when the client leaves
        this.pinned = !poolByTransaction;
        this.dirty = !poolByTransaction;
        this.names = names;
        this.classifier = classifier;
        this.splits = new QuerySplits(classifier);
        this.router = routing == null ? null : new BatchRouter(policy, classifier, splits,
                name -> name.isEmpty() ? unnamed : statements.get(name));
    }

    @Override
    public EventLoop loop() {
        return out.loop();
    }

    @Override
    public Set<Character> passThroughTypes() {
        if (routing != null) {
            return ROUTED_PASS_THROUGH;
        }
        return poolByTransaction ? TRANSACTION_PASS_THROUGH : SESSION_PASS_THROUGH;
    }

    // ---- startup ----------------------------------------------------------------------------------

    @Override
    public Future<Map<String, String>> open() {
        Promise<Map<String, String>> promise = out.loop().newPromise();
        opening = promise;
        Future<BackendConnection> acquired = pool.acquire(out.loop(), startup);
        acquired.addListener(f -> {
            if (!acquired.isSuccess()) {
                failOpening(acquired.cause());
                return;
            }
            if (closed) {
                pool.release(acquired.getNow());
                return;
            }
            attach(acquired.getNow());
            if (!syncSettings()) {
                finishOpening();
            }
            flushToServer();
        });
        return promise;
    }

    private void finishOpening() {
        Promise<Map<String, String>> promise = opening;
        opening = null;
        if (promise != null) {
            promise.trySuccess(new LinkedHashMap<>(backend.serverParameters()));
        }
        maybeRelease();
        maybeLeaveGate();
    }

    private void failOpening(Throwable cause) {
        Promise<Map<String, String>> promise = opening;
        opening = null;
        if (promise != null) {
            promise.tryFailure(cause);
        }
    }

    // ---- client to server -------------------------------------------------------------------------

    @Override
    public void receive(FrontendMessage message) {
        if (closed) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (!admitted && !admit(message)) {
            return;
        }
        if (router != null && !(message instanceof CopyData || message instanceof CopyDone
                || message instanceof CopyFail)) {
            boolean busy = !expected.isEmpty() || !batches.isEmpty() || status != TransactionStatus.IDLE || sentSinceSync;
            RoutedBatch batch = router.add(message, busy);
            if (batch != null) {
                batches.add(batch);
                pump();
            }
            return;
        }
        submit(message);
    }

    /**
     * A session between transactions starts one (or a batch outside one): the policy's gate
     * admits it, or holds it (reading stopped, its messages kept in order) while a cutover is in progress.
     */
    private boolean admit(FrontendMessage message) {
        if (!atGate.isEmpty()) {
            atGate.add(message);
            return false;
        }
        if (policy.gate().admit(() -> out.loop().execute(this::admittedAfterWait))) {
            admitted = true;
            return true;
        }
        log.debug("client {} waits to start a transaction: tandem holds new transactions back", session.processId());
        atGate.add(message);
        out.holdReading();
        return false;
    }

    private void admittedAfterWait() {
        admitted = true;
        if (closed) {
            leaveGate();
            return;
        }
        out.releaseReading();
        while (!atGate.isEmpty() && !closed) {
            receive(atGate.poll());
        }
        endOfInput();
    }

    /** The session is between transactions, owing and owed nothing (its last commit's sync included). */
    private void maybeLeaveGate() {
        if (admitted && held == null && batches.isEmpty() && (router == null || !router.gathering()) && isIdle()) {
            leaveGate();
        }
    }

    private void leaveGate() {
        if (admitted) {
            admitted = false;
            policy.gate().leave();
        }
    }

    private void submit(FrontendMessage message) {
        if (acquiring || !waiting.isEmpty() || opening != null) {
            waiting.add(message);
            return;
        }
        process(message);
    }

    // ---- routing --------------------------------------------------------------------------------------

    /** Starts the next batch when its store is free: the other store must have answered everything first. */
    private void pump() {
        while (!batches.isEmpty() && !acquiring && opening == null && waiting.isEmpty() && !closed) {
            RoutedBatch next = batches.peek();
            boolean busy = !expected.isEmpty() || sentSinceSync || held != null;
            if (next.route() != activeRoute && busy) {
                return;
            }
            batches.poll();
            start(next);
        }
    }

    private void start(RoutedBatch batch) {
        if (batch.route() != activeRoute) {
            if (batch.route() == Route.SECONDARY) {
                primaryKept = backend;
                backend = null;
            } else {
                releaseSecondary();
                backend = primaryKept;
                primaryKept = null;
            }
            activeRoute = batch.route();
        }
        if (batch.route() == Route.SECONDARY) {
            retryOnPrimary = batch.messages();
            heldAnswer = new HeldAnswer(out.alloc());
        }
        batchStarted = System.nanoTime();
        for (FrontendMessage message : batch.messages()) {
            submit(message);
        }
        // a batch may start from a server's answer (a fallback, a batch that waited), not only from a client read
        flushToServer();
    }

    /**
     * The secondary failed a read before the client saw any of it (unavailable: it could not be
     * reached at all): the batch runs again on the primary.
     */
    private void fallBack(String why, boolean unavailable) {
        policy.secondaryFailed(why, unavailable);
        List<FrontendMessage> again = retryOnPrimary;
        retryOnPrimary = null;
        if (heldAnswer != null) {
            heldAnswer.discard();
            heldAnswer = null;
        }
        releaseSecondary();
        backend = primaryKept;
        primaryKept = null;
        activeRoute = Route.PRIMARY;
        expected.clear();
        status = TransactionStatus.IDLE;
        errorSinceReady = false;
        sentSinceSync = false;
        skippingToSync = false;
        batches.addFirst(new RoutedBatch(Route.PRIMARY, again, true));
        pump();
    }

    private void releaseSecondary() {
        if (activeRoute == Route.SECONDARY && backend != null) {
            BackendConnection connection = backend;
            backend = null;
            connection.channel().config().setAutoRead(true);
            if (expected.isEmpty() && !sentSinceSync && status == TransactionStatus.IDLE) {
                routing.secondaryPool().release(connection);
            } else {
                routing.secondaryPool().discard(connection);
            }
        }
    }

    /** Everything written toward the client goes here, so that a secondary's answer can be held back. */
    private void emit(ByteBuf bytes) {
        if (heldAnswer != null) {
            ByteBuf now = heldAnswer.add(bytes);
            if (now != null) {
                out.write(now);
            }
            return;
        }
        out.write(bytes);
    }

    private void process(FrontendMessage message) {
        if (message instanceof RawFrames raw) {
            raw(raw);
            return;
        }
        if (skippingToSync) {
            if (message instanceof Sync) {
                skippingToSync = false;
                sync();
            } else {
                ReferenceCountUtil.release(message);
            }
            return;
        }
        switch (message) {
            case Query q -> query(q);
            case Parse p -> parse(p);
            case Bind b -> bind(b);
            case Describe d -> describe(d);
            case Execute e -> execute(e);
            case Close c -> close(c);
            case Sync s -> sync();
            case Flush f -> flush(f);
            case CopyData d -> copy(d);
            case CopyDone d -> copy(d);
            case CopyFail d -> copy(d);
            case FunctionCall call -> {
                if (haveBackend(call)) {
                    send(call, new Expectation.FunctionCall());
                }
            }
            default -> throw new ProtocolException("unexpected " + message.getClass().getSimpleName()
                    + " message after startup");
        }
    }

    /**
     * Messages passed through undecoded. With a connection held and nothing to skip, the whole run
     * goes to the server as it came, one expectation per message read off its type byte; otherwise
     * message by message.
     */
    private void raw(RawFrames raw) {
        ByteBuf frames = raw.frames();
        if (backend == null || skippingToSync) {
            int at = frames.readerIndex();
            int end = frames.writerIndex();
            try {
                while (at < end && !acquiring) {
                    int next = RawFrames.next(frames, at);
                    rawFrame(new RawFrames(frames.retainedSlice(at, next - at)));
                    at = next;
                }
                if (at < end) {
                    waiting.add(new RawFrames(frames.retainedSlice(at, end - at)));
                }
            } finally {
                frames.release();
            }
            return;
        }
        for (int at = frames.readerIndex(); at < frames.writerIndex(); at = RawFrames.next(frames, at)) {
            expect(RawFrames.typeAt(frames, at), frames, at);
        }
        writeToServer(frames);
    }

    /** One message passed through undecoded, when no connection is held or the batch is being skipped. */
    private void rawFrame(RawFrames frame) {
        ByteBuf bytes = frame.frames();
        char type = RawFrames.typeAt(bytes, bytes.readerIndex());
        if (skippingToSync) {
            if (type != Sync.TYPE) {
                bytes.release();
                return;
            }
            skippingToSync = false;
        }
        boolean needsServer = type != Sync.TYPE && type != Flush.TYPE && type != CopyData.TYPE
                && type != CopyDone.TYPE && type != CopyFail.TYPE;
        if (backend == null && !needsServer) {
            bytes.release();
            if (type == Sync.TYPE) {
                enqueueLocal(new Expectation.Local(encode(new ReadyForQuery(status))));
            }
            return;
        }
        if (!haveBackend(frame)) {
            return;
        }
        expect(type, bytes, bytes.readerIndex());
        writeToServer(bytes);
    }

    /** Books what the server owes for a message forwarded undecoded. */
    private void expect(char type, ByteBuf frames, int at) {
        Expectation expectation = switch (type) {
            case Query.TYPE -> Expectation.Query.of(null);
            case Parse.TYPE -> new Expectation.Parse(true, null, null, null);
            case Bind.TYPE -> new Expectation.Bind();
            case Describe.TYPE -> frames.getByte(RawFrames.bodyAt(at)) == Describe.STATEMENT
                    ? new Expectation.DescribeStatement(true, null) : new Expectation.DescribePortal(null, NO_FORMATS);
            case Execute.TYPE -> Expectation.Execute.UNKNOWN;
            case Close.TYPE -> new Expectation.Close(true);
            case Sync.TYPE -> new Expectation.Sync(true);
            case FunctionCall.TYPE -> new Expectation.FunctionCall();
            default -> null;
        };
        if (expectation == null) {
            return;
        }
        if (expected.isEmpty() && !sentSinceSync) {
            batchStarted = System.nanoTime();
        }
        expected.add(expectation);
        if (expectation.isExtended()) {
            sentSinceSync = true;
        } else if (expectation instanceof Expectation.Sync) {
            sentSinceSync = false;
        }
    }

    private void query(Query query) {
        if (!haveBackend(query)) {
            return;
        }
        syncSettings();
        // classifying costs more than relaying; only transaction pooling follows the session, and
        // only what may touch the session needs it
        if (!(routing != null || mirrors || poolByTransaction && (settings.hasTentative()
                || !SessionEffects.certainlyNone(query.sql())))) {
            send(query, Expectation.Query.of(null));
            return;
        }
        List<Classification> classified = splits.classify(query.sql());
        classified.forEach(this::notePinning);
        Expectation.Query e = Expectation.Query.of(classified);
        Query toSend = query;
        if (mirrors) {
            List<String> texts = splits.texts(query.sql());
            List<WritePlan> plans = new ArrayList<>(texts.size());
            boolean rewritten = false;
            for (int i = 0; i < texts.size(); i++) {
                WritePlan plan = policy.plan(texts.get(i), classified.get(i));
                if (plan instanceof WritePlan.Refuse refusal) {
                    localError(refusal.error(), true);
                    return;
                }
                rewritten |= !(plan instanceof WritePlan.Pass);
                plans.add(plan);
            }
            if (rewritten) {
                e = e.rewritten(plans, texts);
                toSend = rewrittenQuery(texts, plans);
            }
        }
        send(toSend, e);
    }

    /** The Query the server runs: each write on a mirrored table rewritten to return its keys. */
    private static Query rewrittenQuery(List<String> texts, List<WritePlan> plans) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            sql.append(plans.get(i) instanceof WritePlan.Capture capture ? capture.sql() : texts.get(i)).append(";\n");
        }
        return new Query(sql.toString());
    }

    private void parse(Parse parse) {
        String name = parse.statement();
        if (!name.isEmpty() && statements.containsKey(name)) {
            localError(new ProxyException(SqlState.DUPLICATE_PREPARED_STATEMENT,
                    "prepared statement \"" + name + "\" already exists"), false);
            return;
        }
        if (!haveBackend(parse)) {
            return;
        }
        Classification classification = followSession ? classifier.classify(parse.sql()) : null;
        if (classification != null) {
            notePinning(classification);
        }
        WritePlan plan = null;
        String serverSql = parse.sql();
        if (mirrors && classification != null) {
            plan = policy.plan(parse.sql(), classification);
            if (plan instanceof WritePlan.Refuse refusal) {
                localError(refusal.error(), false);
                return;
            }
            if (plan instanceof WritePlan.Capture capture) {
                serverSql = capture.sql();
            } else if (plan instanceof WritePlan.Pass) {
                plan = null;
            }
        }
        syncSettings();
        if (name.isEmpty()) {
            unnamed = new ClientStatement(serverSql, parse.parameterTypes(), "", classification, plan, parse.sql());
            backend.unnamedOwner(unnamed);
            send(serverSql == parse.sql() ? parse : new Parse("", serverSql, parse.parameterTypes()),
                    new Expectation.Parse(true, null, null, unnamed));
            return;
        }
        ClientStatement statement = new ClientStatement(serverSql, parse.parameterTypes(),
                names.nameFor(serverSql, parse.parameterTypes()), classification, plan, parse.sql());
        statements.put(name, statement);
        if (backend.prepared().contains(statement.serverName())) {
            enqueueLocal(new Expectation.Local(encode(ParseComplete.INSTANCE), name, statement));
        } else {
            prepareOnServer(statement, name, true);
        }
    }

    private void bind(Bind bind) {
        ClientStatement statement = lookup(bind.statement());
        if (statement == null) {
            return;
        }
        if (!haveBackend(bind)) {
            return;
        }
        syncSettings();
        ensurePrepared(statement);
        short[] formats = bind.resultFormats();
        List<Object> replayValues = null;
        if (statement.plan() instanceof WritePlan.Capture capture) {
            formats = CapturedWrites.bindFormats(formats, capture);
        } else if (statement.plan() instanceof WritePlan.Replay) {
            replayValues = ReplayValues.of(bind, statement.parameterTypes());
        }
        portals.put(bind.portal(), new Portal(statement, formats, replayValues));
        send(new Bind(bind.portal(), statement.serverName(), bind.parameterFormats(), bind.parameterValues(),
                formats), new Expectation.Bind());
    }

    private void describe(Describe describe) {
        if (describe.kind() == 'S') {
            ClientStatement statement = lookup(describe.name());
            if (statement == null || !haveBackend(describe)) {
                return;
            }
            syncSettings();
            ensurePrepared(statement);
            send(new Describe('S', statement.serverName()), new Expectation.DescribeStatement(true, statement.plan()));
        } else if (haveBackend(describe)) {
            Portal portal = portals.get(describe.name());
            send(describe, portal == null ? new Expectation.DescribePortal(null, NO_FORMATS)
                    : new Expectation.DescribePortal(portal.statement().plan(), portal.formats()));
        }
    }

    private void execute(Execute execute) {
        if (!haveBackend(execute)) {
            return;
        }
        Portal portal = portals.get(execute.portal());
        if (portal == null || portal.statement().classification() == null) {
            send(execute, Expectation.Execute.UNKNOWN);
            return;
        }
        ClientStatement statement = portal.statement();
        WritePlan plan = statement.plan();
        if (plan instanceof WritePlan.Capture capture && !capture.clientReturning() && execute.maxRows() > 0) {
            // the client's write returns no rows, so it completes whatever the limit; the rewritten
            // one returns its keys and would stop at the limit: it must run to its CommandComplete
            execute = new Execute(execute.portal(), 0);
        }
        boolean replayed = plan instanceof WritePlan.Replay;
        send(execute, new Expectation.Execute(statement.classification(), plan, portal.formats(),
                replayed ? statement.clientSql() : null, replayed ? portal.replayParameters() : null));
    }

    private void close(Close close) {
        if (close.kind() == 'S') {
            // statements live in tandem's books and are shared on the server; closing is bookkeeping
            if (close.name().isEmpty()) {
                unnamed = null;
            } else {
                statements.remove(close.name());
            }
            enqueueLocal(new Expectation.Local(encode(CloseComplete.INSTANCE)));
            return;
        }
        portals.remove(close.name());
        if (backend == null) {
            enqueueLocal(new Expectation.Local(encode(CloseComplete.INSTANCE)));
        } else {
            send(close, new Expectation.Close(true));
        }
    }

    private void sync() {
        if (backend == null) {
            enqueueLocal(new Expectation.Local(encode(new ReadyForQuery(status))));
            return;
        }
        send(Sync.INSTANCE, new Expectation.Sync(true));
        sentSinceSync = false;
    }

    private void flush(Flush flush) {
        if (backend != null) {
            send(flush, null);
        }
    }

    private void copy(FrontendMessage message) {
        if (backend == null) {
            // no COPY can be running without a server connection; PostgreSQL ignores strays too
            ReferenceCountUtil.release(message);
            return;
        }
        send(message, null);
    }

    /** The client's statement by name, or an error to the client (and null) if it has none. */
    private ClientStatement lookup(String name) {
        ClientStatement statement = name.isEmpty() ? unnamed : statements.get(name);
        if (statement == null) {
            localError(new ProxyException(SqlState.INVALID_SQL_STATEMENT_NAME, name.isEmpty()
                    ? "unnamed prepared statement does not exist"
                    : "prepared statement \"" + name + "\" does not exist"), false);
        }
        return statement;
    }

    /** Prepares a client's statement on the held connection if that connection has not got it. */
    private void ensurePrepared(ClientStatement statement) {
        if (statement.serverName().isEmpty()) {
            if (backend.unnamedOwner() != statement) {
                send(new Parse("", statement.sql(), statement.parameterTypes()), new Expectation.Parse(false, null, null,
                        null));
                backend.unnamedOwner(statement);
            }
        } else if (!backend.prepared().contains(statement.serverName())) {
            prepareOnServer(statement, null, false);
        }
    }

    private void prepareOnServer(ClientStatement statement, String clientName, boolean forward) {
        send(new Parse(statement.serverName(), statement.sql(), statement.parameterTypes()),
                new Expectation.Parse(forward, statement.serverName(), clientName, statement));
        backend.prepared().add(statement.serverName());
        String victim = backend.prepared().overflow();
        if (victim != null) {
            backend.prepared().remove(victim);
            send(new Close('S', victim), new Expectation.Close(false));
        }
    }

    /**
     * Brings the held connection to the client's settings, at the start of a batch outside a
     * transaction only (a Query in the middle of an extended batch would end its implicit
     * transaction). Returns whether statements were sent.
     */
    private boolean syncSettings() {
        if (sentSinceSync || status != TransactionStatus.IDLE || backend.settingsMatch(session, settings.version())) {
            return false;
        }
        String sql = settings.diff(backend.appliedSettings());
        long version = settings.version();
        if (sql == null) {
            backend.settingsSynced(session, version);
            return false;
        }
        BackendConnection target = backend;
        Expectation e = new Expectation.Query(false, null, null, null, failure -> {
            if (failure != null) {
                if (opening != null) {
                    failOpening(failure);
                } else {
                    log.warn("could not apply client settings on {}: {}", target, failure.getMessage());
                    out.fail(new ProxyException(SqlState.CONNECTION_FAILURE, "could not apply this session's "
                            + "settings on a connection to store \"" + pool.storeName() + "\": "
                            + failure.response().message(), null, null, true, null));
                    close();
                }
                return;
            }
            settings.synced(target.appliedSettings());
            target.settingsSynced(session, version);
            if (opening != null) {
                finishOpening();
            }
        });
        log.debug("applying client settings on {}: {}", target, sql);
        send(new Query(sql), e);
        return true;
    }

    private void notePinning(Classification classification) {
        if (!classification.sessionFeatures().isEmpty()) {
            if (!pinned) {
                log.debug("client {} keeps its server connection from now on: it uses {}", session.processId(),
                        classification.sessionFeatures());
            }
            pinned = true;
            dirty = true;
        }
    }

    /**
     * True if a connection is held; otherwise starts getting one, parks the message until then and
     * returns false.
     */
    private boolean haveBackend(FrontendMessage message) {
        if (backend != null) {
            return true;
        }
        waiting.addFirst(message);
        acquiring = true;
        out.holdReading();
        Future<BackendConnection> acquired = (activeRoute == Route.SECONDARY ? routing.secondaryPool() : pool)
                .acquire(out.loop(), startup);
        if (acquired.isDone()) {
            acquired(acquired);
        } else {
            acquired.addListener(f -> acquired(acquired));
        }
        return false;
    }

    private void acquired(Future<BackendConnection> acquired) {
        acquiring = false;
        out.releaseReading();
        if (closed) {
            if (acquired.isSuccess()) {
                pool.release(acquired.getNow());
            }
            return;
        }
        if (acquired.isSuccess()) {
            attach(acquired.getNow());
        } else if (activeRoute == Route.SECONDARY) {
            waiting.clear();
            fallBack(String.valueOf(acquired.cause().getMessage()), true);
            return;
        } else {
            ProxyException error = acquired.cause() instanceof ProxyException p ? p
                    : new ProxyException(SqlState.CONNECTION_FAILURE, String.valueOf(acquired.cause().getMessage()));
            FrontendMessage first = waiting.poll();
            boolean simple = first instanceof Query || first instanceof FunctionCall;
            ReferenceCountUtil.release(first);
            localError(error, simple);
        }
        drainWaiting();
    }

    private void drainWaiting() {
        while (!acquiring && opening == null && !closed && !waiting.isEmpty()) {
            process(waiting.poll());
        }
        flushToServer();
        out.flush();
        if (routing != null) {
            pump();
        }
    }

    private void attach(BackendConnection connection) {
        backend = connection;
        connection.attach(this);
        if (!connection.loop().inEventLoop() && log.isTraceEnabled()) {
            log.trace("client {} on another event loop than {}", session.processId(), connection);
        }
    }

    private void send(FrontendMessage message, Expectation expectation) {
        if (expectation != null && expected.isEmpty() && !sentSinceSync) {
            batchStarted = System.nanoTime();
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

    private void flushToServer() {
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
    private void writeToServer(ByteBuf frames) {
        writeEncoded();
        backend.write(frames);
        unflushed = true;
    }

    @Override
    public void endOfInput() {
        flushToServer();
        out.flush();
        maybeLeaveGate(); // what tandem answered itself (a Sync with no server held) ends a batch too
    }

    /**
     * An error tandem raises itself in the middle of the client's stream, with PostgreSQL's
     * semantics: it answers in turn, the rest of an extended batch is skipped up to Sync, and the
     * server's transaction fails too, so that what the client is told about its transaction is true.
     */
    private void localError(ProxyException error, boolean endsQuery) {
        enqueueLocal(new Expectation.Local(encode(ClientErrors.response(error, false))));
        errorSinceReady = true;
        boolean serverInvolved = backend != null && (sentSinceSync || status != TransactionStatus.IDLE);
        if (serverInvolved) {
            send(new Describe('S', POISON), new Expectation.DescribeStatement(false, null));
        }
        if (!endsQuery) {
            skippingToSync = true;
        } else if (serverInvolved) {
            send(Sync.INSTANCE, new Expectation.Sync(true));
            sentSinceSync = false;
        } else {
            enqueueLocal(new Expectation.Local(encode(new ReadyForQuery(status))));
        }
    }

    private void enqueueLocal(Expectation local) {
        expected.add(local);
        drainLocal();
    }

    /** Writes tandem's own answers that have reached the head of the line. */
    private void drainLocal() {
        while (expected.peek() instanceof Expectation.Local local) {
            expected.poll();
            emit(local.bytes());
        }
    }

    private ByteBuf encode(BackendMessage message) {
        ByteBuf buf = out.alloc().buffer();
        message.encode(buf);
        return buf;
    }

    // ---- server to client -------------------------------------------------------------------------

    @Override
    public void onFrames(BackendConnection connection, ByteBuf frames) {
        if (connection != backend) {
            log.warn("{} answered after {} let it go ({} bytes); closing it", connection, this, frames.readableBytes());
            frames.release();
            connection.close();
            return;
        }
        if (held != null) {
            // reading stopped at the held commit, but bytes already read may still arrive: they queue behind it
            held = Unpooled.wrappedBuffer(held, frames);
            return;
        }
        int start = frames.readerIndex();
        int end = frames.writerIndex();
        int run = start;
        try {
            for (int at = start; at < end;) {
                char type = (char) frames.getByte(at);
                int next = at + 1 + frames.getInt(at + 1);
                Expectation head = expected.peek();
                if (type == 'Z' && heldAnswer != null && expected.size() == 1) {
                    writeRun(frames, run, at);
                    boolean failed = errorSinceReady;
                    respond(type, frames, at + 5, next - at - 5, head);
                    if (failed && heldAnswer.canRetry()) {
                        frames.release();
                        frames = null;
                        fallBack("the secondary answered with an error", false);
                        return;
                    }
                    emit(frames.retainedSlice(at, next - at));
                    finishSecondaryBatch(failed);
                    run = next;
                    at = next;
                    continue;
                }
                if (head != null && !head.forward()) {
                    writeRun(frames, run, at);
                    run = next;
                }
                Response response = respond(type, frames, at + 5, next - at - 5, head);
                if (response.dropped() || response.replacement() != null) {
                    writeRun(frames, run, at);
                    if (response.replacement() != null) {
                        emit(response.replacement());
                    }
                    run = next;
                }
                if (type == 'Z' && writes.awaitingSync()) {
                    writeRun(frames, run, at);
                    holdUntilSynced(frames.retainedSlice(at, end - at));
                    frames.release();
                    frames = null;
                    break;
                }
                if (response.completed() && expected.peek() instanceof Expectation.Local) {
                    writeRun(frames, run, next);
                    run = next;
                    drainLocal();
                }
                at = next;
            }
            if (frames != null && run == start) {
                emit(frames);     // everything goes to the client as it came: hand the buffer on
                frames = null;
            } else if (frames != null) {
                writeRun(frames, run, end);
            }
        } catch (ProtocolException | IllegalStateException e) {
            log.error("lost track of {}'s responses; closing the client session", connection, e);
            out.fail(new ProxyException(SqlState.PROTOCOL_VIOLATION, "tandem lost track of the server's responses: "
                    + e.getMessage(), null, null, true, e));
            close();
            return;
        } finally {
            if (frames != null) {
                frames.release();
            }
        }
        out.flush();
        if (backend != null && !out.isWritable() && held == null) {
            backend.channel().config().setAutoRead(false);
        }
        maybeRelease();
        maybeLeaveGate();
        if (!waiting.isEmpty() && !acquiring && opening == null) {
            drainWaiting();
        } else if (routing != null && !batches.isEmpty()) {
            pump();
        }
    }

    private void writeRun(ByteBuf frames, int from, int to) {
        if (to > from) {
            emit(frames.retainedSlice(from, to - from));
        }
    }

    /**
     * What one server message did: whether it completed the request at the head of the line, and
     * whether the client gets it as it came, not at all ({@code dropped}), or as {@code replacement}.
     */
    private record Response(boolean completed, boolean dropped, ByteBuf replacement) {
        static final Response PASSED = new Response(false, false, null);
        static final Response COMPLETED = new Response(true, false, null);
        static final Response DROPPED = new Response(false, true, null);

        static Response replaced(ByteBuf replacement, boolean completed) {
            return replacement == null ? completed ? COMPLETED : PASSED : new Response(completed, false, replacement);
        }
    }

    /**
     * Follows one server message whose body is {@code length} bytes at {@code body}. Only what the
     * session must know is decoded: statuses always, tags when settings are followed, errors of
     * injected requests, and rows and descriptions of writes rewritten to return their keys.
     */
    private Response respond(char type, ByteBuf frames, int body, int length, Expectation head) {
        switch (type) {
            case 'Z' -> {
                Expectation done = popUntilReady();
                if (done.forward() && activeRoute == Route.PRIMARY) {
                    primaryMeters.completed(batchStarted, errorSinceReady);
                    batchStarted = System.nanoTime();
                }
                status = TransactionStatus.of(frames.getByte(body));
                onReady();
                complete(done, expected.polledFailure());
                return Response.COMPLETED;
            }
            case 'E' -> {
                errorSinceReady = true;
                if (head == null) {
                    return Response.PASSED;
                }
                if (!head.forward()) {
                    expected.failed(new ServerError(ErrorResponse.decode(frames.slice(body, length))));
                }
                if (head.isExtended()) {
                    expected.poll();
                    forgetParse(head);
                    complete(head, expected.polledFailure());
                    dropUntilSync();
                    if (expected.isEmpty() && sentSinceSync) {
                        // the client's Sync is still to come; until then the server ignores it all, and so do we
                        skippingToSync = true;
                    }
                    return Response.COMPLETED;
                }
                return Response.PASSED;
            }
            case '1' -> {
                return pop(head, Expectation.Parse.class);
            }
            case '2' -> {
                return pop(head, Expectation.Bind.class);
            }
            case '3' -> {
                return pop(head, Expectation.Close.class);
            }
            case 'n' -> {
                return pop(head, head instanceof Expectation.DescribePortal ? Expectation.DescribePortal.class
                        : Expectation.DescribeStatement.class);
            }
            case 'T' -> {
                ByteBuf replacement = null;
                boolean dropped = false;
                boolean describing = head instanceof Expectation.DescribeStatement
                        || head instanceof Expectation.DescribePortal;
                if (expected.currentPlan() instanceof WritePlan.Capture capture) {
                    replacement = captured.rowDescription(frames, body, capture);
                    if (replacement == null) {
                        replacement = describing ? encode(NoData.INSTANCE) : null;
                        dropped = !describing;
                    }
                }
                if (describing) {
                    pop(head, head.getClass());
                    return Response.replaced(replacement, true);
                }
                requireHead(head, type);
                return dropped ? Response.DROPPED : Response.replaced(replacement, false);
            }
            case 'D' -> {
                requireHead(head, type);
                if (expected.currentPlan() instanceof WritePlan.Capture capture) {
                    ByteBuf row = captured.dataRow(frames, body, capture, formats(head));
                    return row == null ? Response.DROPPED : Response.replaced(row, false);
                }
                return Response.PASSED;
            }
            case 'C' -> {
                requireHead(head, type);
                WritePlan plan = expected.currentPlan();
                ByteBuf replacement = null;
                boolean known = head instanceof Expectation.Query q ? q.statements() != null
                        : head instanceof Expectation.Execute x && x.statement() != null;
                if (known || followSession || plan != null) {
                    String tag = Wire.readUtf8(frames, body, length - 1);
                    if (plan instanceof WritePlan.Capture capture) {
                        replacement = captured.commandComplete(tag, capture);
                    } else if (plan instanceof WritePlan.Replay) {
                        if (head instanceof Expectation.Execute x) {
                            writes.replay(x.replaySql(), x.replayParameters());
                        } else if (head instanceof Expectation.Query q) {
                            writes.replay(q.texts().get(expected.completed()), List.of());
                        }
                    }
                    Classification statement = expected.nextStatement();
                    if (known) {
                        expected.statementCompleted();
                    }
                    onCommandComplete(tag, statement);
                }
                boolean completed = head instanceof Expectation.Execute && pop(head, Expectation.Execute.class).completed();
                return Response.replaced(replacement, completed);
            }
            case 'I' -> {
                requireHead(head, type);
                if (head instanceof Expectation.Query q ? q.statements() != null
                        : head instanceof Expectation.Execute x && x.statement() != null) {
                    expected.statementCompleted();
                }
                return head instanceof Expectation.Execute ? pop(head, Expectation.Execute.class) : Response.PASSED;
            }
            case 's' -> {
                if (expected.currentPlan() instanceof WritePlan.Capture) {
                    // keys of rows the client does not fetch are only in the repair log
                    writes.untracked();
                }
                return pop(head, Expectation.Execute.class);
            }
            case 'S' -> {
                var parameter = ParameterStatus.decode(frames.slice(body, length));
                backend.serverParameters().put(parameter.name(), parameter.value());
                return Response.PASSED;
            }
            case 't', 'G', 'H', 'W', 'd', 'c', 'V' -> {
                requireHead(head, type);
                return Response.PASSED;
            }
            case 'N', 'A' -> {
                return Response.PASSED;
            }
            default -> throw new ProtocolException("server sent an unknown message type '" + type + "'");
        }
    }

    /** The result formats the request at the head asked for (rows of a captured write are decoded by them). */
    private static short[] formats(Expectation head) {
        return switch (head) {
            case Expectation.Execute x -> x.formats();
            case Expectation.DescribePortal d -> d.formats();
            default -> NO_FORMATS;
        };
    }

    private void requireHead(Expectation head, char type) {
        if (head == null) {
            throw new IllegalStateException("server sent '" + type + "' when nothing was asked");
        }
    }

    private Response pop(Expectation head, Class<? extends Expectation> kind) {
        if (!kind.isInstance(head)) {
            throw new IllegalStateException("server answered " + kind.getSimpleName() + " but the next request is "
                    + head);
        }
        expected.poll();
        complete(head, expected.polledFailure());
        return Response.COMPLETED;
    }

    private Expectation popUntilReady() {
        Expectation e;
        while ((e = expected.poll()) != null && !e.endsWithReady()) {
            if (e instanceof Expectation.Local) {
                throw new IllegalStateException("ReadyForQuery arrived before tandem's own " + e);
            }
            log.warn("server skipped {} before ReadyForQuery", e);
            forgetParse(e);
        }
        if (e == null) {
            throw new IllegalStateException("server sent ReadyForQuery when none was owed");
        }
        return e;
    }

    /** After an error the server ignores everything up to Sync; so does tandem's bookkeeping. */
    private void dropUntilSync() {
        Expectation e;
        while ((e = expected.peek()) != null && !e.endsWithReady()) {
            expected.poll();
            if (e instanceof Expectation.Local local) {
                local.bytes().release();
            }
            forgetParse(e);
        }
    }

    /** A Parse that failed or was skipped created nothing: not on the server, not for the client. */
    private void forgetParse(Expectation e) {
        if (e instanceof Expectation.Parse parse) {
            if (parse.statementName() != null && backend != null) {
                backend.prepared().remove(parse.statementName());
            }
            if (parse.clientName() != null) {
                statements.remove(parse.clientName(), parse.clientStatement());
            } else if (parse.clientStatement() != null && parse.clientStatement() == unnamed) {
                unnamed = null;
            }
        } else if (e instanceof Expectation.Local local && local.clientName() != null) {
            statements.remove(local.clientName(), local.clientStatement());
        }
    }

    /** An injected Query's answer is complete: whoever sent it learns how it went. */
    private static void complete(Expectation e, ServerError failure) {
        if (e instanceof Expectation.Query query && query.onDone() != null) {
            query.onDone().accept(failure);
        }
    }

    private void onCommandComplete(String tag, Classification statement) {
        if (mirrors && statement != null && statement.transaction() != null) {
            switch (statement.transaction().command()) {
                case COMMIT -> {
                    if (tag.equals("COMMIT")) {
                        writes.committed();
                    } else {
                        writes.rolledBack();
                    }
                }
                // a prepared transaction's log entries are drained once it commits, wherever that happens
                case ROLLBACK, PREPARE_TRANSACTION -> writes.rolledBack();
                default -> {
                }
            }
        }
        if (tag.equals("DISCARD ALL")) {
            settings.resetAll(backend.appliedSettings());
            backend.prepared().clear();
            backend.unnamedOwner(null);
            statements.clear();
            unnamed = null;
            return;
        }
        if (tag.equals("DEALLOCATE ALL")) {
            backend.prepared().clear();
            statements.clear();
            return;
        }
        if (statement == null) {
            return;
        }
        SetCommand set = statement.set();
        if (set != null && set.scope() == SetCommand.Scope.SESSION && (tag.equals("SET") || tag.equals("RESET"))) {
            settings.recordTentative(set);
        }
        TransactionControl transaction = statement.transaction();
        if (transaction != null) {
            switch (transaction.command()) {
                case COMMIT -> {
                    if (tag.equals("COMMIT")) {
                        settings.commitTentative(backend.appliedSettings());
                    } else {
                        settings.discardTentative();
                    }
                }
                case ROLLBACK -> settings.discardTentative();
                case ROLLBACK_TO, PREPARE_TRANSACTION -> {
                    // what a savepoint rollback undid, or what a prepared transaction keeps, is not followed
                    if (settings.hasTentative() || transaction.command() == TransactionControl.Command.PREPARE_TRANSACTION) {
                        pinned = true;
                        dirty = true;
                    }
                }
                default -> {
                }
            }
        }
    }

    private void onReady() {
        if (mirrors && status == TransactionStatus.IDLE) {
            if (errorSinceReady) {
                writes.rolledBack();
            } else {
                writes.committed();
            }
        }
        if (status == TransactionStatus.IDLE) {
            if (errorSinceReady) {
                settings.discardTentative();
            } else {
                settings.commitTentative(backend.appliedSettings());
            }
            portals.clear();
        }
        errorSinceReady = false;
        sentSinceSync = false;
    }

    /** A read answered by the secondary goes to the client; the secondary's connection goes back to its pool. */
    private void finishSecondaryBatch(boolean failed) {
        routing.secondaryMeters().completed(batchStarted, failed);
        out.write(heldAnswer.release());
        heldAnswer = null;
        retryOnPrimary = null;
        releaseSecondary();
        backend = primaryKept;
        primaryKept = null;
        activeRoute = Route.PRIMARY;
    }

    /**
     * Holds the commit's ReadyForQuery (and anything after it) until its rows are on the secondary or
     * handed to the repair log: the client hears of its commit only then.
     */
    private void holdUntilSynced(ByteBuf fromReady) {
        held = fromReady;
        if (backend != null) {
            backend.channel().config().setAutoRead(false);
        }
        writes.syncCommitted().whenComplete((ignored, failure) -> out.loop().execute(this::resumeAfterSync));
    }

    private void resumeAfterSync() {
        ByteBuf frames = held;
        held = null;
        if (frames == null) {
            return;
        }
        if (closed) {
            frames.release();
            return;
        }
        int ready = 1 + frames.getInt(frames.readerIndex() + 1);
        emit(frames.readRetainedSlice(ready));
        if (backend != null) {
            backend.channel().config().setAutoRead(true);
        }
        if (frames.isReadable()) {
            onFrames(backend, frames);
            return;
        }
        frames.release();
        out.flush();
        maybeRelease();
        maybeLeaveGate();
        if (!waiting.isEmpty() && !acquiring && opening == null) {
            drainWaiting();
        } else if (routing != null && !batches.isEmpty()) {
            pump();
        }
    }

    /** Under transaction pooling, gives the connection back once the client owes and is owed nothing. */
    private void maybeRelease() {
        if (!poolByTransaction || pinned || backend == null || activeRoute != Route.PRIMARY || held != null || status != TransactionStatus.IDLE || sentSinceSync
                || !expected.isEmpty() || opening != null || !waiting.isEmpty()
                || (toServer != null && toServer.isReadable())) {
            return;
        }
        BackendConnection connection = backend;
        backend = null;
        if (heldForServer) {
            heldForServer = false;
            out.releaseReading();
        }
        connection.channel().config().setAutoRead(true);
        pool.release(connection);
    }

    @Override
    public void onClosed(BackendConnection connection, Throwable cause) {
        if (connection == primaryKept) {
            primaryKept = null;
            pool.discard(connection);
            if (!closed) {
                out.fail(new ProxyException(SqlState.CONNECTION_FAILURE, "lost the connection to store \""
                        + pool.storeName() + "\"", null, "reconnect and retry", true, cause));
                close();
            }
            return;
        }
        if (connection != backend) {
            return;
        }
        if (activeRoute == Route.SECONDARY) {
            backend = null;
            routing.secondaryPool().discard(connection);
            if (heldAnswer != null && heldAnswer.canRetry()) {
                activeRoute = Route.SECONDARY;
                fallBack("lost the connection to the secondary", true);
            } else if (!closed) {
                out.fail(new ProxyException(SqlState.CONNECTION_FAILURE, "lost the connection to store \""
                        + routing.secondaryPool().storeName() + "\" in the middle of a read", null,
                        "reconnect and retry", true, cause));
                close();
            }
            return;
        }
        backend = null;
        pool.discard(connection);
        if (closed) {
            return;
        }
        ProxyException lost = new ProxyException(SqlState.CONNECTION_FAILURE, "lost the connection to store \""
                + pool.storeName() + "\" at " + pool.endpoint().address()
                + (cause == null ? "" : ": " + cause.getMessage()), null,
                "the server closed it or the network failed; reconnect and retry", true, cause);
        if (opening != null) {
            failOpening(lost);
            return;
        }
        if (poolByTransaction && !pinned && status == TransactionStatus.IDLE) {
            survive(lost);
            return;
        }
        log.warn("client {} lost its connection to store \"{}\": {}", session.processId(), pool.storeName(),
                cause == null ? "closed by the server" : cause.toString());
        out.fail(lost);
        close();
    }

    /**
     * The connection died under a batch that began outside a transaction, with transaction pooling:
     * the client keeps nothing on that connection tandem does not track, so it gets an error for
     * the batch (whose outcome is unknown, as with any lost connection) and carries on with another.
     */
    private void survive(ProxyException lost) {
        log.info("client {} lost its connection to store \"{}\" during a batch outside a transaction; its batch "
                + "fails with 08006 and it goes on with another connection", session.processId(), pool.storeName());
        int readyOwed = expected.readyOwedToClient();
        expected.clear();
        if (toServer != null) {
            toServer.release();
            toServer = null;
        }
        portals.clear();
        unnamed = null;
        settings.discardTentative();
        out.write(encode(ClientErrors.response(new ProxyException(SqlState.CONNECTION_FAILURE, lost.getMessage()
                + "; the statements in flight may or may not have run", null,
                "check whether they did before retrying them; the session goes on", false, null), false)));
        if (readyOwed == 0) {
            skippingToSync = sentSinceSync;
        }
        for (int i = 0; i < readyOwed; i++) {
            out.write(encode(new ReadyForQuery(TransactionStatus.IDLE)));
        }
        sentSinceSync = false;
        errorSinceReady = false;
        if (heldForServer) {
            heldForServer = false;
            out.releaseReading();
        }
        out.flush();
        drainWaiting();
    }

    @Override
    public void onWritabilityChanged(BackendConnection connection, boolean writable) {
        if (connection != backend) {
            return;
        }
        if (!writable && !heldForServer) {
            heldForServer = true;
            out.holdReading();
        } else if (writable && heldForServer) {
            heldForServer = false;
            out.releaseReading();
        }
    }

    @Override
    public void clientWritabilityChanged(boolean writable) {
        if (backend != null) {
            backend.channel().config().setAutoRead(writable);
        }
    }

    @Override
    public boolean isIdle() {
        return expected.isEmpty() && waiting.isEmpty() && !acquiring && opening == null && !sentSinceSync
                && status == TransactionStatus.IDLE;
    }

    @Override
    public void cancel() {
        out.loop().execute(() -> {
            if (backend != null && !expected.isEmpty()) {
                CancelSender.send(backend, out.loop());
            }
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        boolean between = expected.isEmpty() && status == TransactionStatus.IDLE && !sentSinceSync && waiting.isEmpty();
        expected.clear();
        if (toServer != null) {
            toServer.release();
            toServer = null;
        }
        if (heldAnswer != null) {
            heldAnswer.discard();
            heldAnswer = null;
        }
        if (held != null) {
            held.release();
            held = null;
        }
        if (activeRoute == Route.SECONDARY) {
            releaseSecondary();
            backend = primaryKept;
            primaryKept = null;
            activeRoute = Route.PRIMARY;
        }
        batches.forEach(b -> b.messages().forEach(ReferenceCountUtil::release));
        batches.clear();
        if (router != null) {
            router.close();
        }
        if (backend != null) {
            BackendConnection connection = backend;
            backend = null;
            connection.channel().config().setAutoRead(true);
            if (!between) {
                // the client left mid-transaction or mid-batch: what the connection holds is unknowable
                pool.discard(connection);
            } else if (dirty) {
                connection.detach();
                ConnectionReset.start(connection, pool, pool.resetTimeoutMillis());
            } else {
                pool.release(connection);
            }
        }
        failOpening(new ProxyException(SqlState.CONNECTION_FAILURE, "client went away during startup"));
        atGate.forEach(ReferenceCountUtil::release);
        atGate.clear();
        leaveGate();
    }

    @Override
    public String toString() {
        return "relay[client " + session.processId() + " -> " + pool.storeName() + "]";
    }
}
