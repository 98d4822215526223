package tandem.proxy.backend;

import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.store.WireEndpoint;
import tandem.proxy.NettyTransport;

/**
 * Opens protocol connections to one PostgreSQL store: TCP connect, StartupMessage, authentication
 * (cleartext, md5 or SCRAM-SHA-256, whatever the server asks for), then the server's parameters and
 * key data, on the event loop that will use the connection.
 */
final class BackendConnector {

    private final String storeName;
    private final WireEndpoint endpoint;
    private final int connectTimeoutMillis;
    private final long startupTimeoutMillis;
    private final int maxMessageSize;
    private final int maxPreparedStatements;

    BackendConnector(String storeName, WireEndpoint endpoint, int connectTimeoutMillis, int maxMessageSize,
            int maxPreparedStatements) {
        this.storeName = storeName;
        this.endpoint = endpoint;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.startupTimeoutMillis = Math.max(connectTimeoutMillis, 1000) * 2L;
        this.maxMessageSize = maxMessageSize;
        this.maxPreparedStatements = maxPreparedStatements;
    }

    String storeName() {
        return storeName;
    }

    WireEndpoint endpoint() {
        return endpoint;
    }

    /** A new connection, logged in with {@code startup}'s settings. */
    Future<BackendConnection> connect(EventLoop loop, StartupParameters startup) {
        Promise<BackendConnection> promise = loop.newPromise();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(NettyTransport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("frames", new BackendReader(maxMessageSize));
                        ch.pipeline().addLast("startup", new BackendStartupHandler(BackendConnector.this, startup, promise));
                    }
                });
        ChannelFuture connected = bootstrap.connect(endpoint.host(), endpoint.port());
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(unreachable(f.cause()));
            }
        });
        var timeout = loop.schedule(() -> {
            if (promise.tryFailure(unreachable(new java.util.concurrent.TimeoutException(
                    "no answer to the startup message within " + startupTimeoutMillis + " ms")))) {
                connected.channel().close();
            }
        }, startupTimeoutMillis, TimeUnit.MILLISECONDS);
        promise.addListener(f -> timeout.cancel(false));
        return promise;
    }

    BackendConnection newConnection(Channel channel, StartupParameters startup, int processId, int secretKey,
            java.util.Map<String, String> parameters) {
        return new BackendConnection(channel, endpoint, storeName, startup, processId, secretKey, parameters,
                maxPreparedStatements);
    }

    ProxyException unreachable(Throwable cause) {
        String reason = cause instanceof ProxyException p ? p.getMessage()
                : cause == null ? "connection closed" : cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return new ProxyException(SqlState.CONNECTION_FAILURE,
                "could not connect to store \"" + storeName + "\" at " + endpoint.address() + ": " + reason, null,
                "check that PostgreSQL is running there and that stores." + storeName
                        + ".url, user and password are right", false, cause);
    }
}
