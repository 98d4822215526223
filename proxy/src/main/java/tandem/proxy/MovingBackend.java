package tandem.proxy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import tandem.proxy.backend.RelayBackend;
import tandem.proxy.backend.RelayPools;
import tandem.proxy.emulated.EmulatedBackend;
import tandem.proxy.session.Backend;
import tandem.proxy.session.ClientSession;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.Sync;

/**
 * A client of a SQLite old store that a cutover moves to the new store without an error: served by
 * the emulation until the new store is the primary, then, from the first batch it starts between
 * two transactions, by the relay to the new store, with the statements it prepared (the relay
 * prepares them on its server connection when they are first used). A batch the emulation took
 * just before the cutover, which waited at the gate and found the primary gone before running
 * anything, is run on the relay instead, with whatever the client sent after it (the emulation
 * hands them back). Its startup settings go with it, and what it changed with SET since.
 */
final class MovingBackend implements Backend {

    private static final Logger log = LoggerFactory.getLogger(MovingBackend.class);

    private final ClientSession session;
    private final EmulatedBackend emulated;
    private final java.util.function.Function<ClientSession, RelayBackend> relays;
    private final RelayPools pools;
    private volatile Backend current;
    /** The last message ended a batch (or none came yet): a new one may start elsewhere. */
    private boolean betweenBatches = true;

    MovingBackend(ClientSession session, EmulatedBackend emulated,
            java.util.function.Function<ClientSession, RelayBackend> relays, RelayPools pools) {
        this.session = session;
        this.emulated = emulated;
        this.relays = relays;
        this.pools = pools;
        this.current = emulated;
        emulated.onPrimaryMoved(this::runOnRelay);
    }

    @Override
    public Future<Map<String, String>> open() {
        return emulated.open();
    }

    @Override
    public Set<Character> passThroughTypes() {
        return emulated.passThroughTypes(); // every message decoded: the relay takes those too
    }

    @Override
    public void receive(FrontendMessage message) {
        if (current == emulated && betweenBatches && pools.promoted() && emulated.isIdle()) {
            moveToRelay(Set.of());
        }
        betweenBatches = message instanceof Sync || message instanceof Query;
        current.receive(message);
    }

    /** The emulation did not run these: the primary moved while their batch waited. They run on the relay. */
    private void runOnRelay(List<FrontendMessage> messages) {
        if (current != emulated) {
            messages.forEach(ReferenceCountUtil::release);
            return;
        }
        Set<String> parsedAgain = new java.util.HashSet<>();
        for (FrontendMessage m : messages) {
            if (m instanceof Parse p && !p.statement().isEmpty()) {
                parsedAgain.add(p.statement()); // parsed by these messages: not adopted, or the relay would see it twice
            }
        }
        moveToRelay(parsedAgain);
        for (FrontendMessage m : messages) {
            current.receive(m);
        }
        current.endOfInput();
    }

    private void moveToRelay(Set<String> notAdopted) {
        RelayBackend relay = relays.apply(session);
        Map<String, EmulatedBackend.Prepared> prepared = emulated.namedStatements();
        prepared.forEach((name, p) -> {
            if (!notAdopted.contains(name)) {
                relay.adopt(name, p.sql(), p.parameterTypes());
            }
        });
        relay.adoptSettings(emulated.settingsAsSql());
        // not opened as at a login: the relay takes a connection (with the client's startup settings) for
        // the first message that needs one, as it does after giving one back between transactions, and
        // applies the settings the client made since before the first statement
        emulated.close();
        current = relay;
        log.debug("client {} moved from the emulation to the new store, with {} prepared statements",
                session.processId(), prepared.size());
    }

    @Override
    public void endOfInput() {
        current.endOfInput();
    }

    @Override
    public void clientWritabilityChanged(boolean writable) {
        current.clientWritabilityChanged(writable);
    }

    @Override
    public boolean isIdle() {
        return current.isIdle();
    }

    @Override
    public void cancel() {
        current.cancel();
    }

    @Override
    public void close() {
        current.close();
    }
}
