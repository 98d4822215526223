package tandem.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Cuts the byte stream from a PostgreSQL server into runs of whole messages without copying or
 * decoding them: a read that ends on a message boundary, the usual case, is handed on as it came;
 * only an incomplete last message is kept, in a buffer that grows by doubling so that a message
 * arriving in many reads is copied a bounded number of times.
 */
final class BackendReader extends ChannelInboundHandlerAdapter {

    private final int maxMessageSize;
    private ByteBuf tail;

    BackendReader(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (tail != null) {
            tail.ensureWritable(in.readableBytes());
            tail.writeBytes(in);
            in.release();
            in = tail;
            tail = null;
        }
        int start = in.readerIndex();
        int end = ServerFrames.completeFramesEnd(in, start, in.writerIndex(), maxMessageSize);
        if (end == in.writerIndex()) {
            ctx.fireChannelRead(in);
            return;
        }
        if (end > start) {
            ctx.fireChannelRead(in.retainedSlice(start, end - start));
        }
        int left = in.writerIndex() - end;
        tail = ctx.alloc().buffer(Math.max(1024, left * 2));
        tail.writeBytes(in, end, left);
        in.release();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (tail != null) {
            tail.release();
            tail = null;
        }
    }
}
