package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** COPY FROM STDIN: the client aborts the copy; the server answers with an ErrorResponse carrying {@code message}. */
public record CopyFail(String message) implements FrontendMessage {

    public static final char TYPE = 'f';

    public static CopyFail decode(ByteBuf body) {
        return new CopyFail(Wire.readCString(body));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        Wire.writeCString(out, message);
        Wire.endMessage(out, start);
    }
}
