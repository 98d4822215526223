package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Extended query: Close succeeded. */
public record CloseComplete() implements BackendMessage {

    public static final char TYPE = '3';
    public static final CloseComplete INSTANCE = new CloseComplete();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
