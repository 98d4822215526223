package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Extended query: Parse succeeded. */
public record ParseComplete() implements BackendMessage {

    public static final char TYPE = '1';
    public static final ParseComplete INSTANCE = new ParseComplete();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
