package tandem.proxy.backend;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;

/** Finds where the complete server messages in a buffer end, checking each length on the way. */
final class ServerFrames {

    private ServerFrames() {
    }

    /** Where the last complete message starting at or after {@code from} ends. */
    static int completeFramesEnd(ByteBuf in, int from, int to, int maxMessageSize) {
        int i = from;
        while (to - i >= 5) {
            int length = in.getInt(i + 1);
            if (length < 4 || length > maxMessageSize) {
                throw new ProtocolException("server sent a '" + (char) in.getByte(i) + "' message of length " + length
                        + " (expected: 4 to " + maxMessageSize + " bytes)");
            }
            if (to - i - 1 < length) {
                break;
            }
            i += 1 + length;
        }
        return i;
    }
}
