package tandem.proxy.wire.frontend;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/**
 * The legacy fast-path function call. Kept as its raw body: tandem refuses it or passes it
 * through unchanged, and never needs its fields.
 */
public record FunctionCall(byte[] body) implements FrontendMessage {

    public static final char TYPE = 'F';

    public static FunctionCall decode(ByteBuf body) {
        return new FunctionCall(Wire.readBytes(body, body.readableBytes()));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeBytes(body);
        Wire.endMessage(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunctionCall other && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "FunctionCall[" + body.length + " bytes]";
    }
}
