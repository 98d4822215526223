package tandem.proxy.backend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Hands what the server sends to the connection's current holder, on the holder's event loop. A
 * connection idle in the pool should hear nothing; if it does (the server is shutting down, say),
 * it is closed rather than trusted.
 */
final class BackendInboundHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(BackendInboundHandler.class);

    private final BackendConnection connection;

    BackendInboundHandler(BackendConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frames = (ByteBuf) msg;
        BackendListener listener = connection.listener();
        if (listener == null) {
            log.warn("{} sent {} bytes while idle in the pool (first message '{}'); closing it", connection,
                    frames.readableBytes(), (char) frames.getByte(frames.readerIndex()));
            frames.release();
            ctx.close();
            return;
        }
        if (listener.loop().inEventLoop()) {
            listener.onFrames(connection, frames);
        } else {
            listener.loop().execute(() -> listener.onFrames(connection, frames));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        BackendListener listener = connection.listener();
        if (listener != null) {
            boolean writable = ctx.channel().isWritable();
            listener.loop().execute(() -> listener.onWritabilityChanged(connection, writable));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} failed", connection, cause);
        ctx.close();
        closed(cause);
    }

    private void closed(Throwable cause) {
        BackendListener listener = connection.listener();
        if (listener != null) {
            listener.loop().execute(() -> listener.onClosed(connection, cause));
        }
        connection.onClosed();
    }
}
