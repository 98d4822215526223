package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Answers a query string that held no statement, in place of CommandComplete. */
public record EmptyQueryResponse() implements BackendMessage {

    public static final char TYPE = 'I';
    public static final EmptyQueryResponse INSTANCE = new EmptyQueryResponse();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
