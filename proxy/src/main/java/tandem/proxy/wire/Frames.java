package tandem.proxy.wire;

import io.netty.buffer.ByteBuf;

/**
 * Framing of typed messages: a type byte, then an int32 length that counts itself and the body
 * but not the type byte. For code that forwards frames without decoding them.
 */
public final class Frames {

    /** The default of {@code limits.maxMessageSize}: 64 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
    /** Type byte and length. */
    public static final int HEADER_LENGTH = 5;

    private Frames() {
    }

    /**
     * The length of the frame at the reader index, type byte included, once all of it is readable;
     * -1 while it is not. Fails as soon as the header shows a length below 4 or above
     * {@code maxMessageSize}, before the body is buffered. Moves no index.
     */
    public static int completeLength(ByteBuf in, int maxMessageSize) {
        if (in.readableBytes() < HEADER_LENGTH) {
            return -1;
        }
        int length = in.getInt(in.readerIndex() + 1);
        checkLength(length, maxMessageSize);
        return in.readableBytes() > length ? length + 1 : -1;
    }

    /** Checks a frame's length field against the protocol minimum and {@code limits.maxMessageSize}. */
    public static void checkLength(int length, int maxMessageSize) {
        if (length < 4) {
            throw new ProtocolException("invalid message length " + length + " (expected: >= 4)");
        }
        if (length > maxMessageSize) {
            throw new ProtocolException("message length " + length + " exceeds the limit of " + maxMessageSize
                    + " bytes (limits.maxMessageSize)");
        }
    }

    static int checkMaxMessageSize(int maxMessageSize) {
        if (maxMessageSize < 4) {
            throw new IllegalArgumentException("maxMessageSize: " + maxMessageSize + " (expected: >= 4)");
        }
        return maxMessageSize;
    }

    /** Fails on bytes a message left unread: the protocol gives every message an exact layout. */
    static <M> M requireConsumed(M message, ByteBuf body) {
        if (body.isReadable()) {
            io.netty.util.ReferenceCountUtil.release(message);
            Wire.requireEnd(body, message.getClass().getSimpleName());
        }
        return message;
    }

    static String describeType(char type) {
        return type >= 0x20 && type < 0x7F ? "'" + type + "' (0x" + Integer.toHexString(type) + ")"
                : "0x" + Integer.toHexString(type);
    }
}
