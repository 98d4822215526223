package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.core.session.TransactionStatus;
import tandem.proxy.wire.Wire;

/** The server is ready for the next command; carries the transaction status. */
public record ReadyForQuery(TransactionStatus status) implements BackendMessage {

    public static final char TYPE = 'Z';

    public static ReadyForQuery decode(ByteBuf body) {
        Wire.requireReadable(body, 1, "transaction status");
        byte code = body.readByte();
        try {
            return new ReadyForQuery(TransactionStatus.of(code));
        } catch (IllegalArgumentException e) {
            throw new tandem.proxy.wire.ProtocolException("ReadyForQuery with unknown transaction status " + code);
        }
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeByte(status.code());
        Wire.endMessage(out, start);
    }
}
