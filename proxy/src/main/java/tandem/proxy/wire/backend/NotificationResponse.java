package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.Wire;

/** A NOTIFY on a channel this session LISTENs on, from the backend process {@code processId}. */
public record NotificationResponse(int processId, String channel, String payload) implements BackendMessage {

    public static final char TYPE = 'A';

    public static NotificationResponse decode(ByteBuf body) {
        int processId = Wire.readInt(body, "process id");
        String channel = Wire.readCString(body);
        return new NotificationResponse(processId, channel, Wire.readCString(body));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeInt(processId);
        Wire.writeCString(out, channel);
        Wire.writeCString(out, payload);
        Wire.endMessage(out, start);
    }
}
