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
import tandem.proxy.auth.Md5Password;
import tandem.proxy.auth.ScramClient;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.backend.Authentication;
import tandem.proxy.wire.backend.BackendKeyData;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.NoticeResponse;
import tandem.proxy.wire.backend.ParameterStatus;
import tandem.proxy.wire.frontend.AuthenticationResponse;
import tandem.proxy.wire.frontend.StartupMessage;

/**
 * The client side of PostgreSQL's startup: sends StartupMessage, answers whichever authentication
 * the server asks for, collects ParameterStatus and BackendKeyData, and at the first ReadyForQuery
 * hands the channel over to the relay.
 */
final class BackendStartupHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(BackendStartupHandler.class);

    private final BackendConnector connector;
    private final Promise<BackendConnection> promise;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private ScramClient scram;
    private int processId;
    private int secretKey;

    BackendStartupHandler(BackendConnector connector, Promise<BackendConnection> promise) {
        this.connector = connector;
        this.promise = promise;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        var endpoint = connector.endpoint();
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", endpoint.user());
        startup.put("database", endpoint.database());
        startup.put("client_encoding", "UTF8");
        startup.put("application_name", "tandem");
        startup.putAll(endpoint.startupParameters());
        ByteBuf out = ctx.alloc().buffer();
        new StartupMessage(StartupMessage.PROTOCOL_3_0, startup).encode(out);
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
                throw connector.unreachable(new ProxyException(SqlState.CONNECTION_FAILURE, error.message()));
            }
            case 'Z' -> ready(ctx);
            default -> throw new ProtocolException("unexpected '" + type + "' message during startup");
        }
    }

    private void authenticate(ChannelHandlerContext ctx, Authentication request) {
        var endpoint = connector.endpoint();
        byte[] answer = switch (request) {
            case Authentication.Ok ok -> null;
            case Authentication.CleartextPassword p -> AuthenticationResponse.password(requirePassword());
            case Authentication.MD5Password p -> AuthenticationResponse.password(
                    Md5Password.encode(endpoint.user(), requirePassword(), p.salt()));
            case Authentication.SASL sasl -> {
                if (!sasl.mechanisms().contains(ScramClient.MECHANISM)) {
                    throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED,
                            "server offers SASL mechanisms " + sasl.mechanisms() + " but tandem speaks only "
                                    + ScramClient.MECHANISM);
                }
                scram = new ScramClient(requirePassword());
                yield AuthenticationResponse.saslInitial(ScramClient.MECHANISM, scram.clientFirstMessage());
            }
            case Authentication.SASLContinue c -> AuthenticationResponse.sasl(scram.clientFinalMessage(c.data()));
            case Authentication.SASLFinal f -> {
                scram.verifyServerFinalMessage(f.data());
                yield null;
            }
            default -> throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED,
                    "server asks for an authentication method tandem does not support: " + request);
        };
        if (answer != null) {
            ByteBuf out = ctx.alloc().buffer(answer.length + 5);
            new AuthenticationResponse(answer).encode(out);
            ctx.writeAndFlush(out);
        }
    }

    private String requirePassword() {
        String password = connector.endpoint().password();
        if (password == null || password.isEmpty()) {
            throw new ProxyException(SqlState.INVALID_PASSWORD, "the server asks for a password and stores."
                    + connector.storeName() + ".password is not set");
        }
        return password;
    }

    private void ready(ChannelHandlerContext ctx) {
        BackendConnection connection = connector.newConnection(ctx.channel(), processId, secretKey, parameters);
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
        promise.tryFailure(cause instanceof ProxyException p && p.state() == SqlState.CONNECTION_FAILURE ? p
                : connector.unreachable(cause));
        ctx.close();
    }
}
