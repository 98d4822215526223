package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Extended query: Execute reached its row limit; another Execute continues the portal. */
public record PortalSuspended() implements BackendMessage {

    public static final char TYPE = 's';
    public static final PortalSuspended INSTANCE = new PortalSuspended();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
