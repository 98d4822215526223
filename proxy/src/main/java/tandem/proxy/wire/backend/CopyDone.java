package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** COPY TO STDOUT: the server has sent all its data. */
public record CopyDone() implements BackendMessage {

    public static final char TYPE = 'c';
    public static final CopyDone INSTANCE = new CopyDone();

    @Override
    public void encode(ByteBuf out) {
        Wire.writeEmpty(out, TYPE);
    }
}
