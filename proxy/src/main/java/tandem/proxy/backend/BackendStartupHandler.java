package tandem.proxy.backend;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Promise;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.auth.BackendAuthenticator;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.backend.Authentication;
import tandem.proxy.wire.backend.BackendKeyData;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.NoticeResponse;
import tandem.proxy.wire.backend.ParameterStatus;
import tandem.proxy.wire.frontend.StartupMessage;

/**
 * The client side of PostgreSQL's startup: sends StartupMessage, answers whichever authentication
 * the server asks for, collects ParameterStatus and BackendKeyData, and at the first ReadyForQuery
 * hands the channel over to the relay.
 */
final class BackendStartupHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(BackendStartupHandler.class);

    private final BackendConnector connector;
    private final StartupParameters startup;
    private final Promise<BackendConnection> promise;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private BackendAuthenticator authenticator;
    private int processId;
    private int secretKey;

    BackendStartupHandler(BackendConnector connector, StartupParameters startup, Promise<BackendConnection> promise) {
        this.connector = connector;
        this.startup = startup;
        this.promise = promise;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer();
        StartupMessage.of(startup.packet(connector.endpoint())).encode(out);
        ctx.writeAndFlush(out);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frames = (ByteBuf) msg;
        try {
            while (frames.isReadable() && !promise.isDone()) {
                char type = (char) frames.readByte();
                int length = frames.readInt();
                ByteBuf body = frames.readSlice(length - 4);
                handle(ctx, type, body);
            }
            if (frames.isReadable() && promise.isSuccess()) {
                throw new ProtocolException("server sent data after ReadyForQuery before tandem asked for anything");
            }
        } catch (RuntimeException e) {
            fail(ctx, e);
        } finally {
            frames.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, char type, ByteBuf body) {
        switch (type) {
            case Authentication.TYPE -> authenticate(ctx, Authentication.decode(body));
            case ParameterStatus.TYPE -> {
                var status = ParameterStatus.decode(body);
                parameters.put(status.name(), status.value());
            }
            case BackendKeyData.TYPE -> {
                var key = BackendKeyData.decode(body);
                processId = key.processId();
                secretKey = key.secretKey();
            }
            case NoticeResponse.TYPE -> log.debug("{} notice at startup: {}", connector.storeName(),
                    NoticeResponse.decode(body).message());
            case 'v' -> log.debug("{} negotiated protocol version down", connector.storeName());
            case ErrorResponse.TYPE -> {
                var error = ErrorResponse.decode(body);
                if (error.code().startsWith("22") || error.code().startsWith("42")) {
                    // a setting of the client's startup packet that the server refuses: the client's to hear, as directly
                    throw new ServerError(error);
                }
                throw connector.unreachable(new ProxyException(SqlState.CONNECTION_FAILURE,
                        error.message() + " (SQLSTATE " + error.code() + ")"));
            }
            case 'Z' -> ready(ctx);
            default -> throw new ProtocolException("unexpected '" + type + "' message during startup");
        }
    }

    private void authenticate(ChannelHandlerContext ctx, Authentication request) {
        if (authenticator == null) {
            var endpoint = connector.endpoint();
            authenticator = new BackendAuthenticator(endpoint.user(), endpoint.password() == null ? "" : endpoint.password());
        }
        authenticator.respond(request).ifPresent(answer -> {
            ByteBuf out = ctx.alloc().buffer();
            answer.encode(out);
            ctx.writeAndFlush(out);
        });
    }

    private void ready(ChannelHandlerContext ctx) {
        BackendConnection connection = connector.newConnection(ctx.channel(), startup, processId, secretKey, parameters);
        ctx.pipeline().replace(this, "relay", new BackendInboundHandler(connection));
        if (!promise.trySuccess(connection)) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        promise.tryFailure(connector.unreachable(null));
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        promise.tryFailure(cause instanceof ServerError || cause instanceof ProxyException p
                && p.state() == SqlState.CONNECTION_FAILURE ? cause : connector.unreachable(cause));
        ctx.close();
    }
}
