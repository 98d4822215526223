package tandem.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import tandem.proxy.wire.backend.BackendMessage;

/**
 * What a backend may do to its client: write messages, flush, and hold or resume reading. All
 * calls happen on the client's event loop.
 */
public final class ClientOutput {

    private final ChannelHandlerContext ctx;
    private int readHolds;

    ClientOutput(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    public EventLoop loop() {
        return ctx.channel().eventLoop();
    }

    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    /** Writes bytes that already are whole protocol messages; ownership passes to Netty. */
    public void write(ByteBuf messages) {
        ctx.write(messages, ctx.voidPromise());
    }

    public void write(BackendMessage message) {
        ByteBuf out = ctx.alloc().buffer();
        message.encode(out);
        ctx.write(out, ctx.voidPromise());
    }

    public void flush() {
        ctx.flush();
    }

    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    public boolean isOpen() {
        return ctx.channel().isActive();
    }

    /** Stops reading from the client; holds nest, reading resumes when every hold is released. */
    public void holdReading() {
        if (readHolds++ == 0) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    public void releaseReading() {
        if (readHolds > 0 && --readHolds == 0) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Sends a final error (FATAL) and closes the connection, as PostgreSQL does with FATAL errors. */
    public void fail(Throwable error) {
        ByteBuf out = ctx.alloc().buffer();
        ClientErrors.response(error, true).encode(out);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    public void close() {
        ctx.flush();
        ctx.close();
    }
}
