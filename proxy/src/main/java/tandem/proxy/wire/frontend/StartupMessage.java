package tandem.proxy.wire.frontend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/**
 * The first packet of a connection: a protocol version and the session parameters (user, database,
 * options, application_name, ...) in the order the client sent them. Untyped: no type byte.
 */
public record StartupMessage(int protocolVersion, SequencedMap<String, String> parameters) implements FrontendMessage {

    /** Protocol 3.0: major version in the high 16 bits, minor in the low. */
    public static final int PROTOCOL_3_0 = 3 << 16;

    public StartupMessage {
        parameters = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(parameters));
    }

    public static StartupMessage of(Map<String, String> parameters) {
        return new StartupMessage(PROTOCOL_3_0, new LinkedHashMap<>(parameters));
    }

    public int majorVersion() {
        return protocolVersion >>> 16;
    }

    public int minorVersion() {
        return protocolVersion & 0xFFFF;
    }

    /** {@code body} is the packet after its length: the version, then name/value pairs ended by an empty name. */
    public static StartupMessage decode(ByteBuf body) {
        int version = Wire.readInt(body, "protocol version");
        var parameters = new LinkedHashMap<String, String>();
        while (true) {
            if (!body.isReadable()) {
                throw new ProtocolException("StartupMessage parameter list is not terminated by an empty name");
            }
            String name = Wire.readCString(body);
            if (name.isEmpty()) {
                break;
            }
            if (!body.isReadable()) {
                throw new ProtocolException("StartupMessage parameter \"" + name + "\" has no value");
            }
            parameters.put(name, Wire.readCString(body));
        }
        Wire.requireEnd(body, "StartupMessage");
        return new StartupMessage(version, parameters);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginPacket(out);
        out.writeInt(protocolVersion);
        parameters.forEach((name, value) -> {
            Wire.writeCString(out, name);
            Wire.writeCString(out, value);
        });
        out.writeByte(0);
        Wire.endMessage(out, start);
    }
}
