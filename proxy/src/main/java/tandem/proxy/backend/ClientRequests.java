package tandem.proxy.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.netty.util.ReferenceCountUtil;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.WritePlan;
import tandem.core.session.SessionPolicy;
import tandem.core.session.TransactionStatus;
import tandem.core.sql.Classification;
import tandem.core.sql.ClassificationCache;
import tandem.core.sql.SessionEffects;
import tandem.proxy.session.ClientErrors;
import tandem.proxy.session.ClientSettings;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.backend.CloseComplete;
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
 * What each of the client's messages becomes on the server, with the response it is owed booked in
 * the line as it is sent: its statements renamed to tandem's names and prepared where the connection
 * lacks them, writes on mirrored tables rewritten to return their keys (or refused), the settings
 * replayed before a batch; and what tandem answers itself instead — a Close of a statement that lives
 * only in its books, a Sync with no connection held, an error it raises in PostgreSQL's way. Messages
 * handed on undecoded go to {@link PassThrough}. A message that needs a connection when none is held
 * waits for one ({@code haveBackend}, the relay's): it is processed again once there is.
 */
final class ClientRequests {

    /** Describing a statement that does not exist fails the server's transaction exactly as an error of tandem's would have. */
    private static final String POISON = "tandem_no_such_statement";

    private final RelayState state;
    private final ClientSettings settings;
    private final ConnectionKeeper keeper;
    private final SessionPolicy policy;
    private final ClassificationCache classifier;
    private final QuerySplits splits;
    private final StatementNames names;
    /** Whether reads are routed: every Query is classified then. */
    private final boolean routed;
    /** Whether writes on mirrored tables are captured: the policy mirrors them. */
    private final boolean mirrors;
    private final boolean poolByTransaction;
    /** Whether tandem follows the client's settings and statements: needed whenever it may change connections. */
    private final boolean followSession;
    /** True if a connection is held; otherwise the message waits for one, and false. */
    private final Predicate<FrontendMessage> haveBackend;
    private final PassThrough passThrough;

    ClientRequests(RelayState state, ConnectionKeeper keeper, SessionPolicy policy, ClassificationCache classifier,
            QuerySplits splits, StatementNames names, boolean routed, boolean mirrors, boolean poolByTransaction,
            boolean followSession, Predicate<FrontendMessage> haveBackend) {
        this.state = state;
        this.settings = state.settings;
        this.keeper = keeper;
        this.policy = policy;
        this.classifier = classifier;
        this.splits = splits;
        this.names = names;
        this.routed = routed;
        this.mirrors = mirrors;
        this.poolByTransaction = poolByTransaction;
        this.followSession = followSession;
        this.haveBackend = haveBackend;
        this.passThrough = new PassThrough(state, haveBackend);
    }

    /** Turns one client message into what the server gets, or answers it itself. */
    void process(FrontendMessage message) {
        if (message instanceof RawFrames raw) {
            passThrough.relay(raw);
            return;
        }
        if (state.skippingToSync) {
            if (message instanceof Sync) {
                state.skippingToSync = false;
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
                if (haveBackend.test(call)) {
                    state.send(call, new Expectation.FunctionCall());
                }
            }
            default -> throw new ProtocolException("unexpected " + message.getClass().getSimpleName()
                    + " message after startup");
        }
    }

    private void query(Query query) {
        if (!haveBackend.test(query)) {
            return;
        }
        keeper.syncSettings();
        // classifying costs more than relaying; only transaction pooling follows the session, and
        // only what may touch the session needs it
        if (!(routed || mirrors || poolByTransaction && (settings.hasTentative()
                || !SessionEffects.certainlyNone(query.sql())))) {
            state.send(query, Expectation.Query.of(null));
            return;
        }
        List<Classification> classified = splits.classify(query.sql());
        classified.forEach(keeper::notePinning);
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
        state.send(toSend, e);
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
        if (!name.isEmpty() && state.statements.containsKey(name)) {
            localError(new ProxyException(SqlState.DUPLICATE_PREPARED_STATEMENT,
                    "prepared statement \"" + name + "\" already exists"), false);
            return;
        }
        if (!haveBackend.test(parse)) {
            return;
        }
        Classification classification = followSession ? classifier.classify(parse.sql()) : null;
        if (classification != null) {
            keeper.notePinning(classification);
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
        keeper.syncSettings();
        if (name.isEmpty()) {
            state.unnamed = new ClientStatement(serverSql, parse.parameterTypes(), "", classification, plan,
                    parse.sql());
            state.backend.unnamedOwner(state.unnamed);
            state.send(serverSql == parse.sql() ? parse : new Parse("", serverSql, parse.parameterTypes()),
                    new Expectation.Parse(true, null, null, state.unnamed));
            return;
        }
        ClientStatement statement = new ClientStatement(serverSql, parse.parameterTypes(),
                names.nameFor(serverSql, parse.parameterTypes()), classification, plan, parse.sql());
        state.statements.put(name, statement);
        if (state.backend.prepared().contains(statement.serverName())) {
            state.enqueueLocal(new Expectation.Local(state.encode(ParseComplete.INSTANCE), name, statement));
        } else {
            keeper.prepareOnServer(statement, name, true);
        }
    }

    /** See {@link RelayBackend#adopt}: registered as {@link #parse} would, nothing sent. */
    void adopt(String name, String sql, int[] parameterTypes) {
        Classification classification = followSession ? classifier.classify(sql) : null;
        if (classification != null) {
            keeper.notePinning(classification);
        }
        WritePlan plan = null;
        String serverSql = sql;
        if (mirrors && classification != null) {
            plan = policy.plan(sql, classification);
            if (plan instanceof WritePlan.Refuse) {
                return; // refused here: a Bind of it fails as a statement never prepared would
            }
            if (plan instanceof WritePlan.Capture capture) {
                serverSql = capture.sql();
            } else if (plan instanceof WritePlan.Pass) {
                plan = null;
            }
        }
        state.statements.put(name, new ClientStatement(serverSql, parameterTypes,
                names.nameFor(serverSql, parameterTypes), classification, plan, sql));
    }

    private void bind(Bind bind) {
        ClientStatement statement = lookup(bind.statement());
        if (statement == null) {
            return;
        }
        if (!haveBackend.test(bind)) {
            return;
        }
        keeper.syncSettings();
        keeper.ensurePrepared(statement);
        short[] formats = bind.resultFormats();
        List<Object> replayValues = null;
        if (statement.plan() instanceof WritePlan.Capture capture) {
            formats = CapturedWrites.bindFormats(formats, capture);
        } else if (statement.plan() instanceof WritePlan.Replay) {
            replayValues = ReplayValues.of(bind, statement.parameterTypes());
        }
        state.portals.put(bind.portal(), new RelayState.Portal(statement, formats, replayValues));
        state.send(new Bind(bind.portal(), statement.serverName(), bind.parameterFormats(), bind.parameterValues(),
                formats), new Expectation.Bind());
    }

    private void describe(Describe describe) {
        if (describe.kind() == 'S') {
            ClientStatement statement = lookup(describe.name());
            if (statement == null || !haveBackend.test(describe)) {
                return;
            }
            keeper.syncSettings();
            keeper.ensurePrepared(statement);
            state.send(new Describe('S', statement.serverName()),
                    new Expectation.DescribeStatement(true, statement.plan()));
        } else if (haveBackend.test(describe)) {
            RelayState.Portal portal = state.portals.get(describe.name());
            state.send(describe, portal == null ? new Expectation.DescribePortal(null, RelayState.NO_FORMATS)
                    : new Expectation.DescribePortal(portal.statement().plan(), portal.formats()));
        }
    }

    private void execute(Execute execute) {
        if (!haveBackend.test(execute)) {
            return;
        }
        RelayState.Portal portal = state.portals.get(execute.portal());
        if (portal == null || portal.statement().classification() == null) {
            state.send(execute, Expectation.Execute.UNKNOWN);
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
        state.send(execute, new Expectation.Execute(statement.classification(), plan, portal.formats(),
                replayed ? statement.clientSql() : null, replayed ? portal.replayParameters() : null));
    }

    private void close(Close close) {
        if (close.kind() == 'S') {
            // statements live in tandem's books and are shared on the server; closing is bookkeeping
            if (close.name().isEmpty()) {
                state.unnamed = null;
            } else {
                state.statements.remove(close.name());
            }
            state.enqueueLocal(new Expectation.Local(state.encode(CloseComplete.INSTANCE)));
            return;
        }
        state.portals.remove(close.name());
        if (state.backend == null) {
            state.enqueueLocal(new Expectation.Local(state.encode(CloseComplete.INSTANCE)));
        } else {
            state.send(close, new Expectation.Close(true));
        }
    }

    private void sync() {
        if (state.backend == null) {
            state.enqueueLocal(new Expectation.Local(state.encode(new ReadyForQuery(state.status))));
            return;
        }
        state.send(Sync.INSTANCE, new Expectation.Sync(true));
        state.sentSinceSync = false;
    }

    private void flush(Flush flush) {
        if (state.backend != null) {
            state.send(flush, null);
        }
    }

    private void copy(FrontendMessage message) {
        if (state.backend == null) {
            // no COPY can be running without a server connection; PostgreSQL ignores strays too
            ReferenceCountUtil.release(message);
            return;
        }
        state.send(message, null);
    }

    /** The client's statement by name, or an error to the client (and null) if it has none. */
    private ClientStatement lookup(String name) {
        ClientStatement statement = state.statement(name);
        if (statement == null) {
            localError(new ProxyException(SqlState.INVALID_SQL_STATEMENT_NAME, name.isEmpty()
                    ? "unnamed prepared statement does not exist"
                    : "prepared statement \"" + name + "\" does not exist"), false);
        }
        return statement;
    }

    /**
     * An error tandem raises itself in the middle of the client's stream, with PostgreSQL's
     * semantics: it answers in turn, the rest of an extended batch is skipped up to Sync, and the
     * server's transaction fails too, so that what the client is told about its transaction is true.
     */
    void localError(ProxyException error, boolean endsQuery) {
        state.enqueueLocal(new Expectation.Local(state.encode(ClientErrors.response(error, false))));
        state.errorSinceReady = true;
        boolean serverInvolved = state.backend != null
                && (state.sentSinceSync || state.status != TransactionStatus.IDLE);
        if (serverInvolved) {
            state.send(new Describe('S', POISON), new Expectation.DescribeStatement(false, null));
        }
        if (!endsQuery) {
            state.skippingToSync = true;
        } else if (serverInvolved) {
            state.send(Sync.INSTANCE, new Expectation.Sync(true));
            state.sentSinceSync = false;
        } else {
            state.enqueueLocal(new Expectation.Local(state.encode(new ReadyForQuery(state.status))));
        }
    }
}
