package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Extended query: asks for the description of a prepared statement ('S') or a portal ('P'). */
public record Describe(char kind, String name) implements FrontendMessage {

    public static final char TYPE = 'D';
    public static final char STATEMENT = 'S';
    public static final char PORTAL = 'P';

    public Describe {
        Targets.check(kind, "Describe");
    }

    public static Describe decode(ByteBuf body) {
        char kind = Targets.read(body, "Describe");
        return new Describe(kind, Wire.readCString(body));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeByte(kind);
        Wire.writeCString(out, name);
        Wire.endMessage(out, start);
    }
}
