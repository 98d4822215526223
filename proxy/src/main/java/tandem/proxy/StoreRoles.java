package tandem.proxy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import tandem.config.MigrationConfig;
import tandem.core.lifecycle.Switchover;
import tandem.core.mirror.MirrorService;
import tandem.core.mirror.MirroredTable;
import tandem.core.route.ReadShare;
import tandem.core.session.AdmissionGate;
import tandem.core.session.SessionPolicy;
import tandem.core.store.Store;
import tandem.core.store.StoreKind;
import tandem.proxy.backend.RelayPools;

/**
 * Which store is the primary, carried out: the relay's pools, the mirror's direction that every
 * session's policy follows, and the gate that holds new transactions while they change. The
 * {@link tandem.core.lifecycle.Controller} decides when (a cutover, a rollback after one, the end);
 * this swaps. After a promotion, writes are captured on the new store and copied back to the old
 * one by a second mirror, opened then (its repair log lives in the new store).
 */
final class StoreRoles implements Switchover {

    private static final Logger log = LoggerFactory.getLogger(StoreRoles.class);

    private final MigrationConfig config;
    private final Store oldStore;
    private final Store newStore;
    /** Null where sessions are not relayed (a SQLite old store). */
    private final RelayPools pools;
    private final AdmissionGate gate;
    /** The policy every session holds; it follows {@link #forward}'s decisions or the reverse mirror's. */
    private final SessionPolicy live;
    private final SessionPolicy forward;
    private final MirrorService forwardMirror;
    private final MeterRegistry registry;
    private MirrorService reverseMirror;
    private volatile boolean promoted;

    StoreRoles(MigrationConfig config, Store oldStore, Store newStore, RelayPools pools, AdmissionGate gate,
            SessionPolicy live, MirrorService forwardMirror, MeterRegistry registry) {
        this.config = config;
        this.oldStore = oldStore;
        this.newStore = newStore;
        this.pools = pools;
        this.gate = gate;
        this.live = live;
        this.forward = forwardMirror.policy(gate);
        this.forwardMirror = forwardMirror;
        this.registry = registry;
    }

    @Override
    public String unsupported() {
        if (pools == null) {
            return "the new store is not reached through tandem's relay";
        }
        MirrorService back;
        try {
            back = reverse(); // opened before the pause: what could fail here is refused, not begun
        } catch (RuntimeException e) {
            return "writes could not be mirrored back to the old store: " + e.getMessage();
        }
        if (oldStore.kind() == StoreKind.SQLITE) {
            List<String> keyless = back.tables().tables().values().stream()
                    .filter(t -> t.mode() == MirroredTable.Mode.STATEMENT).map(MirroredTable::name).sorted().toList();
            if (!keyless.isEmpty()) {
                return "tables without a primary key cannot be mirrored back into SQLite: " + keyless
                        + "; give them a key or exclude them (migration.exclude)";
            }
        }
        return null;
    }

    @Override
    public CompletableFuture<Void> pause() {
        return gate.close();
    }

    @Override
    public int inFlight() {
        return gate.inside();
    }

    @Override
    public void drain(Instant deadline) {
        MirrorService current = promoted ? reverseMirror : forwardMirror;
        if (current != null) {
            current.drainer().drainAll(deadline);
        }
    }

    @Override
    public synchronized void swap(boolean promote) {
        if (promote) {
            live.follow(reverse().policy(gate));
            pools.promote(true);
        } else {
            live.follow(forward);
            pools.promote(false);
        }
        promoted = promote;
        log.info("the {} store \"{}\" is the primary; writes are mirrored to the {} store \"{}\"", promote ? "new" : "old",
                promote ? newStore.name() : oldStore.name(), promote ? "old" : "new", promote ? oldStore.name()
                        : newStore.name());
    }

    @Override
    public void resume() {
        gate.open();
    }

    @Override
    public synchronized void stopMirroring() {
        live.follow(SessionPolicy.passThrough(gate));
        log.info("mirroring stopped: the {} store \"{}\" gets every statement, the other nothing", promoted ? "new" : "old",
                promoted ? newStore.name() : oldStore.name());
    }

    boolean promoted() {
        return promoted;
    }

    /** The mirror from the new store back to the old one, opened at the first promotion. */
    private synchronized MirrorService reverse() {
        if (reverseMirror == null) {
            reverseMirror = MirrorService.open(config.withReadPercent(0).withShadowSample(0), newStore, oldStore,
                    new ReadShare(0), registry);
        }
        return reverseMirror;
    }

    /** The reverse mirror's state for the status, or null before a promotion. */
    MirrorService reverseMirror() {
        return reverseMirror;
    }

    synchronized void close() {
        if (reverseMirror != null) {
            reverseMirror.close();
        }
    }
}
