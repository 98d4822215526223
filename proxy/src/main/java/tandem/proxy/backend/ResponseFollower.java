package tandem.proxy.backend;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import tandem.core.mirror.WritePlan;
import tandem.core.route.Route;
import tandem.core.session.SessionWrites;
import tandem.core.session.TransactionStatus;
import tandem.core.sql.Classification;
import tandem.core.sql.SetCommand;
import tandem.core.sql.TransactionControl;
import tandem.proxy.metrics.ProxyMetrics;
import tandem.proxy.session.ClientSettings;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.NoData;
import tandem.proxy.wire.backend.ParameterStatus;

/**
 * Follows the server's answers one message at a time against the line of owed responses: which
 * request each completes, what the client gets in its place (the rows and tag of a write rewritten
 * to return its keys), and what the session learns from it — its transaction status, settings a
 * SET or a commit made, a commit or rollback of captured writes, statements a DISCARD dropped.
 * It changes the {@link RelayState}'s line, status and batch flags, and its statements; it never
 * writes to either side itself: {@link #respond} says what becomes of the message.
 */
final class ResponseFollower {

    /** Logged as the relay, as before these parts were split out of it. */
    private static final Logger log = LoggerFactory.getLogger(RelayBackend.class);

    /**
     * What one server message did: whether it completed the request at the head of the line, and
     * whether the client gets it as it came, not at all ({@code dropped}), or as {@code replacement}.
     */
    record Response(boolean completed, boolean dropped, ByteBuf replacement) {
        static final Response PASSED = new Response(false, false, null);
        static final Response COMPLETED = new Response(true, false, null);
        static final Response DROPPED = new Response(false, true, null);

        static Response replaced(ByteBuf replacement, boolean completed) {
            return replacement == null ? completed ? COMPLETED : PASSED : new Response(completed, false, replacement);
        }
    }

    private final RelayState state;
    private final ExpectedResponses expected;
    private final ClientSettings settings;
    /** Whether writes on mirrored tables are captured, and so commits and rollbacks followed for them. */
    private final boolean mirrors;
    private final SessionWrites writes;
    private final CapturedWrites captured;
    /** Whether tags are read for what they tell of the session, whatever the statement. */
    private final boolean followSession;
    private final ProxyMetrics.Route primaryMeters;

    ResponseFollower(RelayState state, boolean mirrors, SessionWrites writes, CapturedWrites captured,
            boolean followSession, ProxyMetrics.Route primaryMeters) {
        this.state = state;
        this.expected = state.expected;
        this.settings = state.settings;
        this.mirrors = mirrors;
        this.writes = writes;
        this.captured = captured;
        this.followSession = followSession;
        this.primaryMeters = primaryMeters;
    }

    /**
     * Follows one server message whose body is {@code length} bytes at {@code body}. Only what the
     * session must know is decoded: statuses always, tags when settings are followed, errors of
     * injected requests, and rows and descriptions of writes rewritten to return their keys.
     */
    Response respond(char type, ByteBuf frames, int body, int length, Expectation head) {
        switch (type) {
            case 'Z' -> {
                Expectation done = popUntilReady();
                if (done.forward() && state.activeRoute == Route.PRIMARY) {
                    primaryMeters.completed(state.batchStarted, state.errorSinceReady);
                    state.batchStarted = state.now();
                }
                state.status = TransactionStatus.of(frames.getByte(body));
                onReady();
                complete(done, expected.polledFailure());
                return Response.COMPLETED;
            }
            case 'E' -> {
                state.errorSinceReady = true;
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
                    if (expected.isEmpty() && state.sentSinceSync) {
                        // the client's Sync is still to come; until then the server ignores it all, and so do we
                        state.skippingToSync = true;
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
                        replacement = describing ? state.encode(NoData.INSTANCE) : null;
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
                state.backend.serverParameters().put(parameter.name(), parameter.value());
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
            default -> RelayState.NO_FORMATS;
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
            if (parse.statementName() != null && state.backend != null) {
                state.backend.prepared().remove(parse.statementName());
            }
            if (parse.clientName() != null) {
                state.statements.remove(parse.clientName(), parse.clientStatement());
            } else if (parse.clientStatement() != null && parse.clientStatement() == state.unnamed) {
                state.unnamed = null;
            }
        } else if (e instanceof Expectation.Local local && local.clientName() != null) {
            state.statements.remove(local.clientName(), local.clientStatement());
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
        BackendConnection backend = state.backend;
        if (tag.equals("DISCARD ALL")) {
            settings.resetAll(backend.appliedSettings());
            backend.prepared().clear();
            backend.unnamedOwner(null);
            state.statements.clear();
            state.unnamed = null;
            return;
        }
        if (tag.equals("DEALLOCATE ALL")) {
            backend.prepared().clear();
            state.statements.clear();
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
                        state.pinned = true;
                        state.dirty = true;
                    }
                }
                default -> {
                }
            }
        }
    }

    private void onReady() {
        if (mirrors && state.status == TransactionStatus.IDLE) {
            if (state.errorSinceReady) {
                writes.rolledBack();
            } else {
                writes.committed();
            }
        }
        if (state.status == TransactionStatus.IDLE) {
            if (state.errorSinceReady) {
                settings.discardTentative();
            } else {
                settings.commitTentative(state.backend.appliedSettings());
            }
            state.portals.clear();
        }
        state.errorSinceReady = false;
        state.sentSinceSync = false;
    }
}
