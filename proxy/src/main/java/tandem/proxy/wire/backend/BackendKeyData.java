package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** The process id and secret key a client quotes in a CancelRequest. Protocol 3.0: the key is four bytes. */
public record BackendKeyData(int processId, int secretKey) implements BackendMessage {

    public static final char TYPE = 'K';

    public static BackendKeyData decode(ByteBuf body) {
        int processId = Wire.readInt(body, "process id");
        return new BackendKeyData(processId, Wire.readInt(body, "secret key"));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeInt(processId);
        out.writeInt(secretKey);
        Wire.endMessage(out, start);
    }

    @Override
    public String toString() {
        return "BackendKeyData[processId=" + processId + "]";
    }
}
