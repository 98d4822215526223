package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Simple query protocol: one or more statements in one string. */
public record Query(String sql) implements FrontendMessage {

    public static final char TYPE = 'Q';

    public static Query decode(ByteBuf body) {
        return new Query(Wire.readCString(body));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        Wire.writeCString(out, sql);
        Wire.endMessage(out, start);
    }
}
