package tandem.proxy.backend;

import java.util.ArrayDeque;
import java.util.List;

import io.netty.util.ReferenceCountUtil;
import tandem.core.route.Route;
import tandem.core.session.SessionPolicy;
import tandem.core.session.TransactionStatus;
import tandem.core.sql.ClassificationCache;
import tandem.proxy.backend.BatchRouter.RoutedBatch;
import tandem.proxy.wire.frontend.FrontendMessage;

/**
 * Runs the reads the session policy sends to the secondary: the client's batches wait here in
 * order, and one starts only when its store is free (the other store has answered everything
 * first). While a read runs on the secondary the primary's connection is kept aside and the
 * answer held back ({@link HeldAnswer}), so that if the secondary fails before the client saw any
 * of it the batch runs again on the primary. It switches the {@link RelayState}'s connection and
 * route between the two stores; sending the batch is the relay's.
 */
final class SecondaryReads {

    private final RelayState state;
    private final Routing routing;
    private final SessionPolicy policy;
    /** Batches and the store each goes to. */
    private final BatchRouter router;
    private final ArrayDeque<RoutedBatch> batches = new ArrayDeque<>();
    /** The batch running on the secondary, to run again on the primary if the secondary fails it. */
    private List<FrontendMessage> retryOnPrimary;

    SecondaryReads(RelayState state, Routing routing, SessionPolicy policy, ClassificationCache classifier,
            QuerySplits splits) {
        this.state = state;
        this.routing = routing;
        this.policy = policy;
        this.router = new BatchRouter(policy, classifier, splits, state::statement);
    }

    /** Gathers the client's message into its batch; returns whether a batch is complete and waits to start. */
    boolean gather(FrontendMessage message) {
        boolean busy = !state.expected.isEmpty() || !batches.isEmpty() || state.status != TransactionStatus.IDLE
                || state.sentSinceSync;
        RoutedBatch batch = router.add(message, busy);
        if (batch == null) {
            return false;
        }
        batches.add(batch);
        return true;
    }

    /** Whether nothing is gathered or waiting to start. */
    boolean idle() {
        return batches.isEmpty() && !router.gathering();
    }

    boolean hasWaiting() {
        return !batches.isEmpty();
    }

    /**
     * The next batch to send, with the session switched to its store; null when none can start
     * yet: a connection is being got, or the other store still owes answers ({@code holding}: a
     * commit's ReadyForQuery is held until its sync).
     */
    RoutedBatch startNext(boolean holding) {
        if (batches.isEmpty() || state.acquiring || state.opening != null || !state.waiting.isEmpty() || state.closed) {
            return null;
        }
        RoutedBatch batch = batches.peek();
        boolean busy = !state.expected.isEmpty() || state.sentSinceSync || holding;
        if (batch.route() != state.activeRoute && busy) {
            return null;
        }
        batches.poll();
        if (batch.route() != state.activeRoute) {
            if (batch.route() == Route.SECONDARY) {
                state.primaryKept = state.backend;
                state.backend = null;
            } else {
                releaseSecondary();
                state.backend = state.primaryKept;
                state.primaryKept = null;
            }
            state.activeRoute = batch.route();
        }
        if (batch.route() == Route.SECONDARY) {
            retryOnPrimary = batch.messages();
            state.heldAnswer = new HeldAnswer(state.out.alloc());
        }
        state.batchStarted = state.now();
        return batch;
    }

    /**
     * The secondary failed a read before the client saw any of it (unavailable: it could not be
     * reached at all): the batch goes first in line to run again on the primary.
     */
    void fallBack(String why, boolean unavailable) {
        policy.secondaryFailed(why, unavailable);
        List<FrontendMessage> again = retryOnPrimary;
        retryOnPrimary = null;
        if (state.heldAnswer != null) {
            state.heldAnswer.discard();
            state.heldAnswer = null;
        }
        backToPrimary();
        state.expected.clear();
        state.status = TransactionStatus.IDLE;
        state.errorSinceReady = false;
        state.sentSinceSync = false;
        state.skippingToSync = false;
        batches.addFirst(new RoutedBatch(Route.PRIMARY, again, true));
    }

    /** A read answered by the secondary goes to the client; the secondary's connection goes back to its pool. */
    void finish(boolean failed) {
        routing.secondaryMeters().completed(state.batchStarted, failed);
        if (!failed) {
            policy.secondaryAnswered(state.now() - state.batchStarted);
        }
        state.out.write(state.heldAnswer.release());
        state.heldAnswer = null;
        retryOnPrimary = null;
        backToPrimary();
    }

    /**
     * The secondary's connection died under a read; returns whether the read can still run on the
     * primary (nothing of it reached the client), else the session cannot go on.
     */
    boolean lost(BackendConnection connection) {
        state.backend = null;
        routing.secondaryPool().discard(connection);
        return state.heldAnswer != null && state.heldAnswer.canRetry();
    }

    String storeName() {
        return routing.secondaryPool().storeName();
    }

    /** The client left: what is held or waits is released, and the primary's connection is back in use. */
    void close() {
        if (state.heldAnswer != null) {
            state.heldAnswer.discard();
            state.heldAnswer = null;
        }
        if (state.activeRoute == Route.SECONDARY) {
            backToPrimary();
        }
        batches.forEach(b -> b.messages().forEach(ReferenceCountUtil::release));
        batches.clear();
        router.close();
    }

    private void backToPrimary() {
        releaseSecondary();
        state.backend = state.primaryKept;
        state.primaryKept = null;
        state.activeRoute = Route.PRIMARY;
    }

    private void releaseSecondary() {
        if (state.activeRoute == Route.SECONDARY && state.backend != null) {
            BackendConnection connection = state.backend;
            state.backend = null;
            connection.channel().config().setAutoRead(true);
            if (state.expected.isEmpty() && !state.sentSinceSync && state.status == TransactionStatus.IDLE) {
                routing.secondaryPool().release(connection);
            } else {
                routing.secondaryPool().discard(connection);
            }
        }
    }
}
