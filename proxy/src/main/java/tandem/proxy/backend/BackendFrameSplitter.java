package tandem.proxy.backend;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import tandem.proxy.wire.ProtocolException;

/**
 * Cuts the byte stream from a PostgreSQL server into runs of whole messages, without copying or
 * decoding them: most of what a server sends (DataRow above all) is forwarded to the client as
 * it came, so the relay only ever looks at message headers.
 */
final class BackendFrameSplitter extends ByteToMessageDecoder {

    private final int maxMessageSize;

    BackendFrameSplitter(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = completeFramesEnd(in, start, in.writerIndex(), maxMessageSize);
        if (end > start) {
            out.add(in.readRetainedSlice(end - start));
        }
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
