package tandem.proxy.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import tandem.proxy.auth.BackendAuthenticator;
import tandem.proxy.wire.backend.Authentication;
import tandem.proxy.wire.backend.BackendMessage;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.StartupMessage;

/**
 * A bare PostgreSQL client made of tandem's codecs, for integration tests: sends records, and
 * hands back what the server answers as records, one at a time or up to ReadyForQuery.
 */
public final class WireClient implements AutoCloseable {

    private static final Object CLOSED = new Object();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private final Channel channel;

    public WireClient(String host, int port) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new BackendDecoder(), new FrontendEncoder(), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        inbound.add(msg);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        inbound.add(CLOSED);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        inbound.add(cause);
                    }
                });
            }
        }).connect(host, port).sync().channel();
    }

    public void send(FrontendMessage... messages) {
        for (FrontendMessage message : messages) {
            channel.write(message);
        }
        channel.flush();
    }

    /** The next message; fails on a decoder error, a closed connection or ten seconds of silence. */
    public BackendMessage next() throws InterruptedException {
        Object next = inbound.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no message from the server within 10 s");
        }
        if (next == CLOSED) {
            throw new AssertionError("the server closed the connection");
        }
        if (next instanceof Throwable t) {
            throw new AssertionError("decoding failed", t);
        }
        return (BackendMessage) next;
    }

    /** Every message up to and including ReadyForQuery. */
    public List<BackendMessage> untilReady() throws InterruptedException {
        List<BackendMessage> messages = new ArrayList<>();
        BackendMessage m;
        do {
            m = next();
            messages.add(m);
        } while (!(m instanceof ReadyForQuery));
        return messages;
    }

    /**
     * Sends a StartupMessage and answers authentication requests through {@code authenticator};
     * returns what came after AuthenticationOk up to ReadyForQuery, or the ErrorResponse that
     * ended the attempt.
     */
    public List<BackendMessage> login(Map<String, String> parameters, BackendAuthenticator authenticator)
            throws InterruptedException {
        send(StartupMessage.of(parameters));
        while (true) {
            BackendMessage m = next();
            if (m instanceof ErrorResponse error) {
                return List.of(error);
            }
            if (m instanceof Authentication request) {
                authenticator.respond(request).ifPresent(this::send);
                if (request instanceof Authentication.Ok) {
                    return untilReady();
                }
            }
        }
    }

    /** Whether the server closed the connection (waiting up to ten seconds for it). */
    public boolean awaitClosed() throws InterruptedException {
        Object next = inbound.poll(10, TimeUnit.SECONDS);
        io.netty.util.ReferenceCountUtil.release(next);
        return next == CLOSED;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        inbound.forEach(io.netty.util.ReferenceCountUtil::release);
    }
}
