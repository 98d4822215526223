package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/** The request codes that stand in place of a protocol version in the untyped packets. */
final class UntypedPackets {

    private UntypedPackets() {
    }

    static void readCode(ByteBuf body, int expected, String message) {
        int code = Wire.readInt(body, message + " code");
        if (code != expected) {
            throw new ProtocolException(message + " with code " + code + " (expected: " + expected + ")");
        }
    }
}
