package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/** Asks whether the server speaks TLS; answered by a single byte 'S' or 'N', then a startup packet follows. */
public record SSLRequest() implements FrontendMessage {

    /** The request code in place of a protocol version: 1234 in the high 16 bits, 5679 in the low. */
    public static final int CODE = 80877103;
    public static final SSLRequest INSTANCE = new SSLRequest();

    /** {@code body} is the packet after its length. */
    public static SSLRequest decode(ByteBuf body) {
        UntypedPackets.readCode(body, CODE, "SSLRequest");
        Wire.requireEnd(body, "SSLRequest");
        return INSTANCE;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(8);
        out.writeInt(CODE);
    }
}
