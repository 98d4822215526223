package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** The client is closing the connection. */
public record Terminate() implements FrontendMessage {

    public static final char TYPE = 'X';
    public static final Terminate INSTANCE = new Terminate();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
