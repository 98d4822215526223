package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/**
 * Sent on a new connection to cancel the query running on another one, named by the process id and
 * secret key from its BackendKeyData. Protocol 3.0: the key is four bytes. The connection then closes.
 */
public record CancelRequest(int processId, int secretKey) implements FrontendMessage {

    public static final int CODE = 80877102;

    /** {@code body} is the packet after its length. */
    public static CancelRequest decode(ByteBuf body) {
        UntypedPackets.readCode(body, CODE, "CancelRequest");
        int processId = Wire.readInt(body, "process id");
        int secretKey = Wire.readInt(body, "secret key");
        Wire.requireEnd(body, "CancelRequest");
        return new CancelRequest(processId, secretKey);
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(16);
        out.writeInt(CODE);
        out.writeInt(processId);
        out.writeInt(secretKey);
    }

    @Override
    public String toString() {
        return "CancelRequest[processId=" + processId + "]";
    }
}
