package tandem.proxy.backend;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.util.concurrent.Future;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.route.Route;
import tandem.core.session.TransactionStatus;
import tandem.core.sql.Classification;
import tandem.proxy.session.ClientErrors;
import tandem.proxy.session.ClientOutput;
import tandem.proxy.session.ClientSettings;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.frontend.Close;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.Query;

/**
 * The session's server connection: got from the pool when a batch needs one and, under transaction
 * pooling, given back as soon as the client is between transactions and owes nothing — unless the
 * client pinned it by using something bound to one server session. Whatever connection it holds is
 * brought to what the client expects of its own: the client's settings replayed, its prepared
 * statements prepared again under tandem's names. The connection and its pool are its business; what
 * the client's messages become is the relay's.
 */
final class ConnectionKeeper {

    /** Logged as the relay, as before these parts were split out of it. */
    private static final Logger log = LoggerFactory.getLogger(RelayBackend.class);

    /** What became of a connection asked for. */
    enum Acquired {
        /** It is held: the messages waiting for it can go. */
        ATTACHED,
        /** The client left meanwhile: it went back to the pool. */
        CLOSED,
        /** None could be had. */
        FAILED
    }

    private final RelayState state;
    private final ClientOutput out;
    private final ClientSettings settings;
    private final BackendListener listener;
    private final RelayPools pools;
    /** Where the held primary connection came from: the primary's pool when it was taken (a cutover may swap them since). */
    private BackendPool heldFrom;
    /** The secondary's pool, for a read routed there; null when reads are not routed. */
    private final BackendPool secondaryPool;
    /** The pool the connection being acquired comes from. */
    private BackendPool acquiringFrom;
    /** What the client's server connections are opened with: its startup settings, there as on a direct connection. */
    private final StartupParameters startup;
    private final boolean poolByTransaction;
    /** Told when settings replayed on a connection were applied (null) or refused. */
    private final Consumer<ServerError> settingsApplied;
    /** Reading from the client stopped because the server's connection could not take more. */
    private boolean heldForServer;

    ConnectionKeeper(RelayState state, BackendListener listener, RelayPools pools, BackendPool secondaryPool,
            boolean poolByTransaction, Consumer<ServerError> settingsApplied) {
        this.state = state;
        this.out = state.out;
        this.settings = state.settings;
        this.listener = listener;
        this.pools = pools;
        this.heldFrom = pools.primary();
        this.secondaryPool = secondaryPool;
        this.startup = StartupParameters.ofClient(state.session.startupParameters());
        this.poolByTransaction = poolByTransaction;
        this.settingsApplied = settingsApplied;
        // a session-pooled client keeps its connection; it is reset with DISCARD ALL when the client leaves
        state.pinned = !poolByTransaction;
        state.dirty = !poolByTransaction;
    }

    /** The store the session's primary connection is (or would be) on, for messages. */
    String primaryName() {
        return heldFrom.storeName();
    }

    tandem.core.store.WireEndpoint primaryEndpoint() {
        return heldFrom.endpoint();
    }

    /** A connection got at login for a client that left meanwhile: back to its pool, unused. */
    void releaseUnused(BackendConnection connection) {
        heldFrom.release(connection);
    }

    /** The client's first connection, opened at login. */
    Future<BackendConnection> open() {
        heldFrom = pools.primary();
        return heldFrom.acquire(out.loop(), startup);
    }

    /** Starts getting a connection from the pool of the store in use; the client is not read meanwhile. */
    Future<BackendConnection> acquire() {
        state.acquiring = true;
        out.holdReading();
        acquiringFrom = state.activeRoute == Route.SECONDARY ? secondaryPool : pools.primary();
        if (state.activeRoute != Route.SECONDARY) {
            heldFrom = acquiringFrom;
        }
        return acquiringFrom.acquire(out.loop(), startup);
    }

    /** A connection asked for with {@link #acquire()} came, or not. */
    Acquired acquired(Future<BackendConnection> acquired) {
        state.acquiring = false;
        out.releaseReading();
        if (state.closed) {
            if (acquired.isSuccess()) {
                // back where it came from: the client may have left in the middle of a read on the secondary
                acquiringFrom.release(acquired.getNow());
            }
            return Acquired.CLOSED;
        }
        if (!acquired.isSuccess()) {
            return Acquired.FAILED;
        }
        attach(acquired.getNow());
        return Acquired.ATTACHED;
    }

    void attach(BackendConnection connection) {
        state.backend = connection;
        connection.attach(listener);
        if (!connection.loop().inEventLoop() && log.isTraceEnabled()) {
            log.trace("client {} on another event loop than {}", state.session.processId(), connection);
        }
    }

    /** Under transaction pooling, gives the connection back once the client owes and is owed nothing. */
    void maybeRelease(boolean commitHeld) {
        if (!poolByTransaction || state.pinned || state.backend == null || state.activeRoute != Route.PRIMARY
                || commitHeld || state.status != TransactionStatus.IDLE || state.sentSinceSync
                || !state.expected.isEmpty() || state.opening != null || !state.waiting.isEmpty() || state.unsent()) {
            return;
        }
        BackendConnection connection = state.backend;
        state.backend = null;
        if (heldForServer) {
            heldForServer = false;
            out.releaseReading();
        }
        connection.channel().config().setAutoRead(true);
        heldFrom.release(connection);
    }

    /**
     * Whether the session still holds a connection to the store that was primary before a cutover
     * (it is session-pooled, or pinned): its next transaction must not run there.
     */
    boolean heldFromFormerPrimary() {
        return (state.backend != null || state.primaryKept != null) && heldFrom != pools.primary();
    }

    /**
     * Whether the session can leave its connection to the former primary for one to the new: nothing
     * of it lives on that connection alone (its settings and prepared statements tandem carries over).
     */
    boolean canMoveToPrimary() {
        return !state.bound && state.primaryKept == null && state.status == TransactionStatus.IDLE;
    }

    /** Gives the connection to the former primary back, reset, so that the next batch takes one from the new primary. */
    void moveToPrimary() {
        close(true);
    }

    /** The server's connection filled up or drained: the client is read only while it can take more. */
    void writabilityChanged(boolean writable) {
        if (!writable && !heldForServer) {
            heldForServer = true;
            out.holdReading();
        } else if (writable && heldForServer) {
            heldForServer = false;
            out.releaseReading();
        }
    }

    /**
     * Brings the held connection to the client's settings, at the start of a batch outside a
     * transaction only (a Query in the middle of an extended batch would end its implicit
     * transaction). Returns whether statements were sent.
     */
    boolean syncSettings() {
        BackendConnection target = state.backend;
        if (state.sentSinceSync || state.status != TransactionStatus.IDLE
                || target.settingsMatch(state.session, settings.version())) {
            return false;
        }
        String sql = settings.diff(target.appliedSettings());
        long version = settings.version();
        if (sql == null) {
            target.settingsSynced(state.session, version);
            return false;
        }
        Expectation e = new Expectation.Query(false, null, null, null, failure -> {
            if (failure != null) {
                if (state.opening == null) {
                    log.warn("could not apply client settings on {}: {}", target, failure.getMessage());
                }
                settingsApplied.accept(failure);
                return;
            }
            settings.synced(target.appliedSettings());
            target.settingsSynced(state.session, version);
            settingsApplied.accept(null);
        });
        log.debug("applying client settings on {}: {}", target, sql);
        state.send(new Query(sql), e);
        return true;
    }

    /** A statement that uses something bound to its server session pins the client to its connection. */
    void notePinning(Classification classification) {
        if (!classification.sessionFeatures().isEmpty()) {
            if (!state.pinned) {
                log.debug("client {} keeps its server connection from now on: it uses {}", state.session.processId(),
                        classification.sessionFeatures());
            }
            state.pinned = true;
            state.dirty = true;
            state.bound = true;
        }
    }

    /** Prepares a client's statement on the held connection if that connection has not got it. */
    void ensurePrepared(ClientStatement statement) {
        BackendConnection backend = state.backend;
        if (statement.serverName().isEmpty()) {
            if (backend.unnamedOwner() != statement) {
                state.send(new Parse("", statement.sql(), statement.parameterTypes()),
                        new Expectation.Parse(false, null, null, null));
                backend.unnamedOwner(statement);
            }
        } else if (!backend.prepared().contains(statement.serverName())) {
            prepareOnServer(statement, null, false);
        }
    }

    /**
     * Prepares {@code statement} under its server name, closing the statement the connection has
     * used least lately when it holds too many; {@code forward}: the client asked for it (as
     * {@code clientName}) and gets the answer.
     */
    void prepareOnServer(ClientStatement statement, String clientName, boolean forward) {
        BackendConnection backend = state.backend;
        state.send(new Parse(statement.serverName(), statement.sql(), statement.parameterTypes()),
                new Expectation.Parse(forward, statement.serverName(), clientName, statement));
        backend.prepared().add(statement.serverName());
        String victim = backend.prepared().overflow();
        if (victim != null) {
            backend.prepared().remove(victim);
            state.send(new Close('S', victim), new Expectation.Close(false));
        }
    }

    /** The primary's connection kept aside during a secondary read died. */
    void lostKept(BackendConnection connection) {
        state.primaryKept = null;
        heldFrom.discard(connection);
    }

    /** The connection in use died. */
    void lost(BackendConnection connection) {
        state.backend = null;
        heldFrom.discard(connection);
    }

    /** Whether the client can go on after its connection died: nothing of it lived on that connection alone. */
    boolean survivable() {
        return poolByTransaction && !state.pinned && state.status == TransactionStatus.IDLE;
    }

    /**
     * The connection died under a batch that began outside a transaction, with transaction pooling:
     * the client keeps nothing on that connection tandem does not track, so it gets an error for
     * the batch (whose outcome is unknown, as with any lost connection) and carries on with another.
     */
    void survive(ProxyException lost) {
        log.info("client {} lost its connection to store \"{}\" during a batch outside a transaction; its batch "
                + "fails with 08006 and it goes on with another connection", state.session.processId(),
                heldFrom.storeName());
        int readyOwed = state.expected.readyOwedToClient();
        state.expected.clear();
        state.discardUnsent();
        state.portals.clear();
        state.unnamed = null;
        settings.discardTentative();
        out.write(state.encode(ClientErrors.response(new ProxyException(SqlState.CONNECTION_FAILURE,
                lost.getMessage() + "; the statements in flight may or may not have run", null,
                "check whether they did before retrying them; the session goes on", false, null), false)));
        if (readyOwed == 0) {
            state.skippingToSync = state.sentSinceSync;
        }
        for (int i = 0; i < readyOwed; i++) {
            out.write(state.encode(new ReadyForQuery(TransactionStatus.IDLE)));
        }
        state.sentSinceSync = false;
        state.errorSinceReady = false;
        if (heldForServer) {
            heldForServer = false;
            out.releaseReading();
        }
        out.flush();
    }

    /**
     * The client left: its connection goes back to the pool, is reset first when it holds the
     * client's session state, or is closed when the client left in the middle of something
     * ({@code between} false).
     */
    void close(boolean between) {
        if (state.backend == null) {
            return;
        }
        BackendConnection connection = state.backend;
        state.backend = null;
        connection.channel().config().setAutoRead(true);
        if (!between) {
            // the client left mid-transaction or mid-batch: what the connection holds is unknowable
            heldFrom.discard(connection);
        } else if (state.dirty) {
            connection.detach();
            ConnectionReset.start(connection, heldFrom, heldFrom.resetTimeoutMillis());
        } else {
            heldFrom.release(connection);
        }
    }
}
