package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** Extended query: closes a prepared statement ('S') or a portal ('P'); closing one that does not exist is no error. */
public record Close(char kind, String name) implements FrontendMessage {

    public static final char TYPE = 'C';
    public static final char STATEMENT = 'S';
    public static final char PORTAL = 'P';

    public Close {
        Targets.check(kind, "Close");
    }

    public static Close decode(ByteBuf body) {
        char kind = Targets.read(body, "Close");
        return new Close(kind, Wire.readCString(body));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeByte(kind);
        Wire.writeCString(out, name);
        Wire.endMessage(out, start);
    }
}
