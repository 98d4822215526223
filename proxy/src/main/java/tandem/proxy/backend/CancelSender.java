package tandem.proxy.backend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import tandem.proxy.NettyTransport;
import tandem.proxy.wire.frontend.CancelRequest;

/** Asks a PostgreSQL server to cancel what one of its connections runs, on a connection of its own, as libpq does. */
final class CancelSender {

    private static final Logger log = LoggerFactory.getLogger(CancelSender.class);

    private CancelSender() {
    }

    static void send(BackendConnection target, EventLoop loop) {
        var endpoint = target.endpoint();
        new Bootstrap().group(loop).channel(NettyTransport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(endpoint.host(), endpoint.port())
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        log.warn("could not send a cancel request to {}: {}", target, f.cause().toString());
                        return;
                    }
                    ByteBuf out = f.channel().alloc().buffer(16);
                    new CancelRequest(target.processId(), target.secretKey()).encode(out);
                    f.channel().writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                    log.debug("sent a cancel request for {}", target);
                });
    }
}
