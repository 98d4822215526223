package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Extended query: Bind succeeded. */
public record BindComplete() implements BackendMessage {

    public static final char TYPE = '2';
    public static final BindComplete INSTANCE = new BindComplete();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
