package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/** The 'S' (statement) or 'P' (portal) byte that Describe and Close start with. */
final class Targets {

    private Targets() {
    }

    static char read(ByteBuf body, String message) {
        char kind = (char) (Wire.readByte(body, message + " kind") & 0xFF);
        check(kind, message);
        return kind;
    }

    static void check(char kind, String message) {
        if (kind != 'S' && kind != 'P') {
            throw new ProtocolException(message + " of unknown kind 0x" + Integer.toHexString(kind)
                    + " (expected: 'S' for a statement or 'P' for a portal)");
        }
    }
}
