package tandem.proxy.wire;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Primitive reads and writes of the PostgreSQL protocol: null-terminated strings and messages whose
 * length is written as a placeholder and back-filled once the body is known.
 */
public final class Wire {

    private Wire() {
    }

    /** Writes the type byte and a length placeholder; returns where the length goes. */
    public static int beginMessage(ByteBuf out, char type) {
        out.writeByte(type);
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        return lengthAt;
    }

    /** Back-fills the length (which counts itself but not the type byte). */
    public static void endMessage(ByteBuf out, int lengthAt) {
        out.setInt(lengthAt, out.writerIndex() - lengthAt);
    }

    /** Writes the length placeholder of an untyped startup packet; returns where the length goes. */
    public static int beginPacket(ByteBuf out) {
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        return lengthAt;
    }

    /** Writes a message that has no body, such as Sync or ParseComplete. */
    public static void writeEmpty(ByteBuf out, char type) {
        out.writeByte(type);
        out.writeInt(4);
    }

    /**
     * Reads a null-terminated UTF-8 string. Invalid UTF-8 is an error rather than a replacement
     * character, so that what tandem forwards is byte for byte what the client sent.
     */
    public static String readCString(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.indexOf(start, in.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new ProtocolException("string is not null-terminated within its message");
        }
        int length = end - start;
        String value = readUtf8(in, start, length);
        in.readerIndex(end + 1);
        return value;
    }

    public static void writeCString(ByteBuf out, String value) {
        ByteBufUtil.writeUtf8(out, value);
        out.writeByte(0);
    }

    /** Reads {@code length} bytes at {@code index} as strict UTF-8 without moving the reader index. */
    public static String readUtf8(ByteBuf in, int index, int length) {
        if (!ByteBufUtil.isText(in, index, length, UTF_8)) {
            throw new InvalidEncodingException();
        }
        // the JDK's UTF-8 decoding of a byte array beats a CharsetDecoder over a buffer view
        if (in.hasArray()) {
            return new String(in.array(), in.arrayOffset() + index, length, UTF_8);
        }
        byte[] bytes = new byte[length];
        in.getBytes(index, bytes);
        return new String(bytes, UTF_8);
    }

    /** The bytes of a value whose length prefix (-1 for NULL) was already read. */
    public static byte[] readBytes(ByteBuf in, int length) {
        if (length > in.readableBytes()) {
            throw new ProtocolException("value of " + length + " bytes is longer than what is left of its message ("
                    + in.readableBytes() + " bytes)");
        }
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    /** Reads an int16 count and checks that it is not negative. */
    public static int readCount(ByteBuf in, String what) {
        requireReadable(in, 2, what + " count");
        int count = in.readShort();
        if (count < 0) {
            throw new ProtocolException("negative " + what + " count: " + count);
        }
        return count;
    }

    public static void requireReadable(ByteBuf in, int bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new ProtocolException("message ends inside its " + what);
        }
    }

    /** Reads an int16 count that PostgreSQL reads unsigned (parameter counts go up to 65535). */
    public static int readUnsignedCount(ByteBuf in, String what) {
        requireReadable(in, 2, what + " count");
        return in.readUnsignedShort();
    }

    /**
     * Refuses a count above {@code limit}; {@code what} holds one {@code %d} for the count:
     * "Bind has 70000 parameter values (expected: <= 65535)".
     */
    public static void checkCount(int count, int limit, String what) {
        if (count > limit) {
            throw new ProtocolException(what.formatted(count) + " (expected: <= " + limit + ")");
        }
    }

    public static int readInt(ByteBuf in, String what) {
        requireReadable(in, 4, what);
        return in.readInt();
    }

    public static byte readByte(ByteBuf in, String what) {
        requireReadable(in, 1, what);
        return in.readByte();
    }

    /** Reads an int32 length and that many bytes; -1 is NULL and gives null. */
    public static byte[] readNullableBytes(ByteBuf in, String what) {
        int length = readInt(in, what + " length");
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new ProtocolException("negative " + what + " length: " + length + " (expected: -1 for NULL or >= 0)");
        }
        return readBytes(in, length);
    }

    /** Writes an int32 length and the bytes; null is written as length -1. */
    public static void writeNullableBytes(ByteBuf out, byte[] value) {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.writeBytes(value);
        }
    }

    /** Fails when a message that the protocol gives a fixed layout has bytes after its last field. */
    public static void requireEnd(ByteBuf body, String message) {
        if (body.isReadable()) {
            throw new ProtocolException(message + " has " + body.readableBytes()
                    + " bytes after its last field (expected: none)");
        }
    }
}
