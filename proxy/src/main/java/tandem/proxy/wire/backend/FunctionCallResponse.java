package tandem.proxy.wire.backend;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** The result of a FunctionCall; null is SQL NULL. */
public record FunctionCallResponse(byte[] result) implements BackendMessage {

    public static final char TYPE = 'V';

    public static FunctionCallResponse decode(ByteBuf body) {
        return new FunctionCallResponse(Wire.readNullableBytes(body, "function result"));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        Wire.writeNullableBytes(out, result);
        Wire.endMessage(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunctionCallResponse other && Arrays.equals(result, other.result);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(result);
    }

    @Override
    public String toString() {
        return "FunctionCallResponse[" + (result == null ? "NULL" : result.length + " bytes") + "]";
    }
}
