package tandem.proxy.session;

import java.util.Map;

import io.netty.util.concurrent.Future;
import tandem.proxy.wire.frontend.FrontendMessage;

/**
 * Where one client's commands go after startup: a relay to a PostgreSQL store, or a PostgreSQL
 * server emulated over a store that is not one. Every method except {@link #cancel()} is called on
 * the client's event loop, in the order the client's messages arrived.
 */
public interface Backend {

    /**
     * Gets ready to serve the client (connects, applies the client's startup settings) and completes
     * with the ParameterStatus values to report to it; a failure ends the login.
     */
    Future<Map<String, String>> open();

    /**
     * Message types the backend wants handed on undecoded, as {@link tandem.proxy.wire.frontend.RawFrames}:
     * those it forwards as they came.
     */
    default java.util.Set<Character> passThroughTypes() {
        return java.util.Set.of();
    }

    /** One message from the client. The backend owns it (and releases CopyData and RawFrames). */
    void receive(FrontendMessage message);

    /** The client's read batch ended: flush what was gathered for the store. */
    void endOfInput();

    /** The client's socket filled up or drained. */
    void clientWritabilityChanged(boolean writable);

    /** Nothing runs or is owed and no transaction is open: the client may be let go when idle too long. */
    boolean isIdle();

    /** Cancels the statement running for this client, if any. Called from any thread. */
    void cancel();

    /** The client is gone; give back or close whatever is held. */
    void close();
}
