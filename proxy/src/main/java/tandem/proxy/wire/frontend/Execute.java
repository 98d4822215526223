package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Extended query: runs a portal, returning at most {@code maxRows} rows (0: all) before PortalSuspended. */
public record Execute(String portal, int maxRows) implements FrontendMessage {

    public static final char TYPE = 'E';

    public static Execute decode(ByteBuf body) {
        String portal = Wire.readCString(body);
        return new Execute(portal, Wire.readInt(body, "row limit"));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        Wire.writeCString(out, portal);
        out.writeInt(maxRows);
        Wire.endMessage(out, start);
    }
}
