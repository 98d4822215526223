package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Extended query: asks the server to send whatever it has produced so far, without ending the batch. */
public record Flush() implements FrontendMessage {

    public static final char TYPE = 'H';
    public static final Flush INSTANCE = new Flush();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
