package tandem.proxy.wire.backend;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/**
 * The server speaks an older minor protocol version than the client asked for, or does not know
 * some of its {@code _pq_.} options. {@code newestVersion} is a whole protocol version (major in the
 * high 16 bits, minor in the low), which is what servers send: a PostgreSQL 18 answers 3.0 with
 * 196608, although the protocol docs speak of a "newest minor version".
 */
public record NegotiateProtocolVersion(int newestVersion, List<String> unrecognizedOptions) implements BackendMessage {

    public static final char TYPE = 'v';

    public NegotiateProtocolVersion {
        unrecognizedOptions = List.copyOf(unrecognizedOptions);
    }

    public int newestMinor() {
        return newestVersion & 0xFFFF;
    }

    public static NegotiateProtocolVersion decode(ByteBuf body) {
        int newestVersion = Wire.readInt(body, "newest protocol version");
        int count = Wire.readInt(body, "option count");
        // every option takes at least its terminator, so a count above the bytes left is a lie
        if (count < 0 || count > body.readableBytes()) {
            throw new ProtocolException("NegotiateProtocolVersion has " + count + " unrecognized options (expected: 0 to "
                    + body.readableBytes() + ", the bytes left)");
        }
        var options = new ArrayList<String>(count);
        for (int i = 0; i < count; i++) {
            options.add(Wire.readCString(body));
        }
        return new NegotiateProtocolVersion(newestVersion, options);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeInt(newestVersion);
        out.writeInt(unrecognizedOptions.size());
        unrecognizedOptions.forEach(option -> Wire.writeCString(out, option));
        Wire.endMessage(out, start);
    }
}
