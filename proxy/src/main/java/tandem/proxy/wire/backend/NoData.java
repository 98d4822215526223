package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Extended query: the described statement or portal returns no rows. */
public record NoData() implements BackendMessage {

    public static final char TYPE = 'n';
    public static final NoData INSTANCE = new NoData();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
