package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Asks whether the server speaks GSSAPI encryption; answered by 'G' or 'N', then a startup packet follows. */
public record GSSENCRequest() implements FrontendMessage {

    public static final int CODE = 80877104;
    public static final GSSENCRequest INSTANCE = new GSSENCRequest();

    /** {@code body} is the packet after its length. */
    public static GSSENCRequest decode(ByteBuf body) {
        UntypedPackets.readCode(body, CODE, "GSSENCRequest");
        Wire.requireEnd(body, "GSSENCRequest");
        return INSTANCE;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(8);
        out.writeInt(CODE);
    }
}
