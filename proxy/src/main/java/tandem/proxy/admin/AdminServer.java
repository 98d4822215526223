package tandem.proxy.admin;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import tandem.proxy.NettyTransport;

/** The admin HTTP endpoint: health probes, metrics and the API, on its own port. */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final Channel channel;
    private final ExecutorService workers;

    private AdminServer(Channel channel, ExecutorService workers) {
        this.channel = channel;
        this.workers = workers;
    }

    public static AdminServer start(String host, int port, AdminRoutes routes, String token, EventLoopGroup group)
            throws InterruptedException {
        ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("admin-", 0).factory());
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new AdminHandler(routes, token, workers));
                    }
                })
                .bind(host, port).sync().channel();
        log.info("admin API on http://{}", AdminServer.describe((InetSocketAddress) channel.localAddress()));
        return new AdminServer(channel, workers);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        workers.shutdownNow();
    }
}
