package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** The current value of a run-time parameter the client should know (server_version, TimeZone, ...). */
public record ParameterStatus(String name, String value) implements BackendMessage {

    public static final char TYPE = 'S';

    public static ParameterStatus decode(ByteBuf body) {
        String name = Wire.readCString(body);
        return new ParameterStatus(name, Wire.readCString(body));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        Wire.writeCString(out, name);
        Wire.writeCString(out, value);
        Wire.endMessage(out, start);
    }
}
