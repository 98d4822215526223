package tandem.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/** Whoever holds a backend connection receives what the server sends, on its own event loop. */
public interface BackendListener {

    /** The loop the listener's state lives on; backend events are handed over to it. */
    EventLoop loop();

    /** Whole protocol messages from the server; the listener owns (and releases) the buffer. */
    void onFrames(BackendConnection connection, ByteBuf frames);

    /** The connection is gone; {@code cause} says why, or is null for a clean close. */
    void onClosed(BackendConnection connection, Throwable cause);

    /** The connection's outbound buffer filled up or drained. */
    void onWritabilityChanged(BackendConnection connection, boolean writable);
}
