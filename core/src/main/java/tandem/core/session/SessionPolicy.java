package tandem.core.session;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import tandem.core.lifecycle.Guard;
import tandem.core.mirror.CommitSync;
import tandem.core.mirror.WritePlan;
import tandem.core.mirror.WriteRewriter;
import tandem.core.route.ReadRouter;
import tandem.core.route.Route;
import tandem.core.sql.Classification;
import tandem.core.verify.ShadowReads;

/**
 * What tandem does with a client's statements, whichever store is the primary: where a read runs
 * and whether it is also compared on the other store, what becomes of a write on a mirrored
 * table, what follows when the secondary fails a read, and whether a new transaction may start.
 * One per server. The relay (a PostgreSQL old store, message by message) and the emulation (a
 * SQLite old store, statement by statement) carry its decisions out; neither makes one of its own.
 *
 * <p>Each client session takes a {@link SessionWrites} from it ({@link #newWrites()}) for what its
 * transactions wrote.
 *
 * <p>A cutover makes the new store the primary: the server then has the policy take over another's
 * decisions ({@link #follow}), the reverse mirror's, while the gate is closed and no transaction is
 * in flight; every session, whenever it started, goes on under the new ones.
 */
public final class SessionPolicy {

    private static final Logger log = LoggerFactory.getLogger(SessionPolicy.class);

    /** Where a read runs: the primary, the secondary, or the primary with a comparison on the secondary. */
    public enum ReadRoute {
        PRIMARY, SECONDARY, PRIMARY_AND_SHADOW;

        public Route store() {
            return this == SECONDARY ? Route.SECONDARY : Route.PRIMARY;
        }
    }

    /** What the policy decides with; replaced whole by {@link #follow}. */
    private record Decisions(ReadRouter router, ShadowReads shadow, WriteRewriter rewriter, CommitSync sync,
            Counter refused, Counter fallbacks, Guard guard, String primary) {
    }

    private final AdmissionGate gate;
    private volatile Decisions decisions;

    /**
     * @param router null when reads never go to the secondary (no new store)
     * @param shadow null when no reads are compared
     * @param rewriter null when writes are not mirrored (no new store); then sync and refused are unused
     * @param fallbacks reads the secondary failed and the primary ran
     * @param guard told how each read the secondary served went; null when it serves none
     */
    public SessionPolicy(ReadRouter router, ShadowReads shadow, WriteRewriter rewriter, CommitSync sync,
            Counter refused, Counter fallbacks, AdmissionGate gate, Guard guard) {
        this(router, shadow, rewriter, sync, refused, fallbacks, gate, guard, null);
    }

    /** @param primary the name of the store these decisions take as the primary (the mirror's source) */
    public SessionPolicy(ReadRouter router, ShadowReads shadow, WriteRewriter rewriter, CommitSync sync,
            Counter refused, Counter fallbacks, AdmissionGate gate, Guard guard, String primary) {
        this.decisions = new Decisions(router, shadow, rewriter, sync, refused, fallbacks, guard, primary);
        this.gate = gate;
    }

    /**
     * The store these decisions take as the primary, by name; null for a pass-through. A session
     * bound to one store (the emulation's, on SQLite) compares it with its own at each transaction.
     */
    public String primary() {
        return decisions.primary();
    }

    /**
     * From now on, decides as {@code other} does (its router, mirror and guard; this policy keeps
     * its gate). Called with the gate closed and nothing in flight: a cutover, a rollback after
     * one, or the migration's end.
     */
    public void follow(SessionPolicy other) {
        this.decisions = other.decisions;
    }

    /** A policy for a pass-through: everything on the primary, nothing mirrored. */
    public static SessionPolicy passThrough(AdmissionGate gate) {
        return new SessionPolicy(null, null, null, null, null, null, gate, null);
    }

    /** Whether reads may go to the secondary: decided once per session, when it starts. */
    public boolean routesReads() {
        return decisions.router() != null;
    }

    /** Whether writes are mirrored: decided once per session, when it starts. */
    public boolean mirrorsWrites() {
        return decisions.rewriter() != null;
    }

    /**
     * Where a batch that executes {@code statements} runs. Outside a transaction, a batch of reads
     * of tables the secondary serves faithfully goes there with the configured share; a single such
     * read that stays on the primary is compared on the secondary with the shadow sample's probability.
     */
    public ReadRoute route(List<Classification> statements, boolean inTransaction) {
        Decisions d = decisions;
        ReadRouter router = d.router();
        ShadowReads shadow = d.shadow();
        if (router == null || statements.isEmpty()) {
            return ReadRoute.PRIMARY;
        }
        if (router.route(statements, inTransaction) == Route.SECONDARY) {
            return ReadRoute.SECONDARY;
        }
        return shadow != null && statements.size() == 1 && router.eligible(statements, inTransaction)
                && shadow.sampled() ? ReadRoute.PRIMARY_AND_SHADOW : ReadRoute.PRIMARY;
    }

    /** Compares a read the primary serves on the secondary, in the background (after {@link ReadRoute#PRIMARY_AND_SHADOW}). */
    public void shadow(String sql, List<Object> parameters, Classification read) {
        ShadowReads shadow = decisions.shadow();
        if (shadow != null) {
            shadow.submit(sql, parameters, read);
        }
    }

    /**
     * The secondary failed a read, which runs on the primary instead. When it is unavailable (not
     * just failing one query), reads stay on the primary for {@link ReadRouter#PAUSE_AFTER_FAILURE}.
     */
    public void secondaryFailed(String why, boolean unavailable) {
        Decisions d = decisions;
        Counter fallbacks = d.fallbacks();
        Guard guard = d.guard();
        ReadRouter router = d.router();
        if (fallbacks != null) {
            fallbacks.increment();
        }
        if (guard != null) {
            guard.read(0, true);
        }
        if (unavailable && router != null && router.pauseAfterFailure()) {
            log.warn("the new store is unavailable ({}); reads stay on the old store for {} s", why,
                    ReadRouter.PAUSE_AFTER_FAILURE.toSeconds());
        } else {
            log.debug("a read failed on the new store and runs on the old one: {}", why);
        }
    }

    /** The secondary served a read in {@code nanos}: what the guard weighs its latency by. */
    public void secondaryAnswered(long nanos) {
        Guard guard = decisions.guard();
        if (guard != null) {
            guard.read(nanos, false);
        }
    }

    /**
     * What to do with a statement so that its writes reach the secondary: pass it, run it rewritten
     * to return its keys, replay it after the commit, or refuse it (logged and counted here; the
     * caller answers the client with {@link WritePlan.Refuse#error()}).
     */
    public WritePlan plan(String sql, Classification classification) {
        Decisions d = decisions;
        if (d.rewriter() == null) {
            return WritePlan.PASS;
        }
        WritePlan plan = d.rewriter().plan(sql, classification);
        if (plan instanceof WritePlan.Refuse refusal) {
            log.warn("refused a statement on mirrored table {}: {}", refusal.table(), refusal.message());
            d.refused().increment();
        }
        return plan;
    }

    /**
     * A new record of what a session's transactions write, to be synced when they commit: each
     * session takes one when it starts and hands that one to every part of it.
     */
    public SessionWrites newWrites() {
        // the mirror in force when the transaction commits, not when the session started
        return new SessionWrites((changes, replays) -> {
            CommitSync sync = decisions.sync();
            return sync != null ? sync.committed(changes, replays) : java.util.concurrent.CompletableFuture.completedStage(null);
        });
    }

    /** Whether new transactions may start, for every session. */
    public AdmissionGate gate() {
        return gate;
    }
}
