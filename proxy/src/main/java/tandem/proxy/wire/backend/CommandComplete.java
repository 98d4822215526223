package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** A statement finished; {@code tag} names it and usually counts rows: "INSERT 0 1", "SELECT 5", "BEGIN". */
public record CommandComplete(String tag) implements BackendMessage {

    public static final char TYPE = 'C';

    public static CommandComplete decode(ByteBuf body) {
        return new CommandComplete(Wire.readCString(body));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        Wire.writeCString(out, tag);
        Wire.endMessage(out, start);
    }
}
