package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Ends an extended-query batch: the server commits an implicit transaction and answers ReadyForQuery. */
public record Sync() implements FrontendMessage {

    public static final char TYPE = 'S';
    public static final Sync INSTANCE = new Sync();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
