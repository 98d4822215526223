package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** COPY FROM STDIN: the client has sent all its data. */
public record CopyDone() implements FrontendMessage {

    public static final char TYPE = 'c';
    public static final CopyDone INSTANCE = new CopyDone();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
