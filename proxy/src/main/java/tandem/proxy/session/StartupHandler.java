package tandem.proxy.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.session.TransactionStatus;
import tandem.proxy.auth.ScramServer;
import tandem.proxy.backend.ServerError;
import tandem.proxy.wire.FrontendDecoder;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.backend.Authentication;
import tandem.proxy.wire.backend.BackendKeyData;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.NegotiateProtocolVersion;
import tandem.proxy.wire.backend.ParameterStatus;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.frontend.AuthenticationResponse;
import tandem.proxy.wire.frontend.CancelRequest;
import tandem.proxy.wire.frontend.GSSENCRequest;
import tandem.proxy.wire.frontend.SSLRequest;
import tandem.proxy.wire.frontend.StartupMessage;

/**
 * A client's connection up to its first ReadyForQuery: refuses SSL and GSS encryption (tandem
 * offers neither yet), serves cancel requests, checks the startup packet, authenticates (trust, or
 * SCRAM-SHA-256 against the configured users), opens the client's backend and reports the server's
 * parameters. Then it hands the channel to a {@link SessionHandler}.
 */
public final class StartupHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StartupHandler.class);
    private static final byte[] REFUSE_ENCRYPTION = {'N'};

    private final SessionContext context;
    private StartupMessage startup;
    private ScramServer scram;
    private String user;
    private boolean counted;

    public StartupHandler(SessionContext context) {
        this.context = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case SSLRequest r -> ctx.writeAndFlush(Unpooled.wrappedBuffer(REFUSE_ENCRYPTION));
                case GSSENCRequest r -> ctx.writeAndFlush(Unpooled.wrappedBuffer(REFUSE_ENCRYPTION));
                case CancelRequest r -> {
                    context.cancels().cancel(r.processId(), r.secretKey());
                    ctx.close();
                }
                case StartupMessage m -> startup(ctx, m);
                case AuthenticationResponse r -> authenticate(ctx, r);
                default -> throw new ProtocolException("expected a startup or authentication message, got "
                        + msg.getClass().getSimpleName());
            }
        } catch (ProxyException e) {
            fail(ctx, e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startup(ChannelHandlerContext ctx, StartupMessage message) {
        if (startup != null) {
            throw new ProtocolException("a second startup packet arrived on one connection");
        }
        startup = message;
        int major = message.protocolVersion() >> 16;
        int minor = message.protocolVersion() & 0xFFFF;
        if (major != 3) {
            throw ProxyException.fatal(SqlState.PROTOCOL_VIOLATION, "unsupported frontend protocol " + major + "."
                    + minor + ": server supports 3.0 to 3.0", null);
        }
        List<String> unknownOptions = new ArrayList<>();
        message.parameters().keySet().stream().filter(k -> k.startsWith("_pq_.")).forEach(unknownOptions::add);
        if (minor > 0 || !unknownOptions.isEmpty()) {
            write(ctx, new NegotiateProtocolVersion(0, unknownOptions));
        }
        Map<String, String> parameters = message.parameters();
        user = parameters.get("user");
        if (user == null || user.isEmpty()) {
            throw new ProxyException(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "no PostgreSQL user name specified in startup packet", null, null, true, null);
        }
        String replication = parameters.get("replication");
        if (replication != null && !List.of("false", "off", "no", "0").contains(replication.toLowerCase(Locale.ROOT))) {
            throw ProxyException.fatal(SqlState.FEATURE_NOT_SUPPORTED, "tandem does not serve replication connections",
                    "connect replication clients to the stores directly");
        }
        String database = parameters.getOrDefault("database", user);
        if (context.database() != null && !context.database().equals(database)) {
            throw ProxyException.fatal(SqlState.INVALID_CATALOG_NAME, "database \"" + database + "\" does not exist",
                    "tandem serves database \"" + context.database() + "\"");
        }
        String encoding = parameters.get("client_encoding");
        if (encoding != null && !isSupportedEncoding(encoding)) {
            throw ProxyException.fatal(SqlState.FEATURE_NOT_SUPPORTED, "client_encoding \"" + encoding
                    + "\" is not supported", "tandem speaks UTF8 to clients; set client_encoding to UTF8 (PGCLIENTENCODING=UTF8)");
        }
        if (context.clients().incrementAndGet() > context.maxClientConnections()) {
            context.clients().decrementAndGet();
            throw new ProxyException(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already", null,
                    "limits.maxClientConnections is " + context.maxClientConnections(), true, null);
        }
        counted = true;
        if (context.users() == null) {
            authenticated(ctx);
        } else {
            write(ctx, new Authentication.SASL(ScramServer.MECHANISMS));
            ctx.flush();
        }
    }

    private void authenticate(ChannelHandlerContext ctx, AuthenticationResponse response) {
        if (startup == null || context.users() == null) {
            throw new ProtocolException("unexpected password message");
        }
        if (scram == null) {
            var initial = response.readSASLInitialResponse();
            // unknown users run a mock exchange that fails like a wrong password, as in PostgreSQL
            scram = context.users().newServer(user);
            write(ctx, new Authentication.SASLContinue(scram.serverFirstMessage(initial.mechanism(), initial.data())));
            ctx.flush();
            return;
        }
        ScramServer.Outcome outcome = scram.serverFinalMessage(response.readSASLResponse());
        if (!outcome.authenticated()) {
            log.info("password authentication failed for user \"{}\" from {}", user, ctx.channel().remoteAddress());
            throw new ProxyException(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user
                    + "\"", null, null, true, null);
        }
        write(ctx, new Authentication.SASLFinal(outcome.serverFinalMessage()));
        authenticated(ctx);
    }

    private void authenticated(ChannelHandlerContext ctx) {
        write(ctx, Authentication.Ok.INSTANCE);
        ctx.flush();
        Map<String, String> parameters = startup.parameters();
        int processId = context.cancels().newProcessId();
        int secretKey = context.cancels().newSecretKey();
        ClientOutput output = new ClientOutput(ctx);
        ClientSession session = new ClientSession(processId, secretKey, user,
                parameters.getOrDefault("database", user), parameters, String.valueOf(ctx.channel().remoteAddress()),
                output, new ClientSettings());
        Backend backend = context.backends().create(session);
        ctx.channel().config().setAutoRead(false);
        Future<Map<String, String>> opened = backend.open();
        opened.addListener(f -> {
            if (!ctx.channel().isActive()) {
                backend.close();
                return;
            }
            if (!opened.isSuccess()) {
                backend.close();
                fail(ctx, opened.cause());
                return;
            }
            for (Map.Entry<String, String> p : reported(opened.getNow(), parameters).entrySet()) {
                write(ctx, new ParameterStatus(p.getKey(), p.getValue()));
            }
            write(ctx, new BackendKeyData(processId, secretKey));
            write(ctx, new ReadyForQuery(TransactionStatus.IDLE));
            context.cancels().register(processId, secretKey, backend);
            FrontendDecoder decoder = ctx.pipeline().get(FrontendDecoder.class);
            if (decoder != null) {
                decoder.passThrough(backend.passThroughTypes());
            }
            ctx.pipeline().replace(this, "session", new SessionHandler(session, backend, context));
            ctx.flush();
            ctx.channel().config().setAutoRead(true);
            log.debug("session {} for {}@{} from {} is ready", processId, user, session.database(),
                    session.remoteAddress());
        });
    }

    /** The server's values, with what the client asked for where tandem answers for the server. */
    private static Map<String, String> reported(Map<String, String> server, Map<String, String> client) {
        Map<String, String> values = new LinkedHashMap<>(server);
        String applicationName = client.getOrDefault("application_name", client.get("fallback_application_name"));
        if (applicationName != null && !values.containsKey("application_name")) {
            values.put("application_name", applicationName);
        }
        return values;
    }

    private static boolean isSupportedEncoding(String encoding) {
        String e = encoding.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        return e.equals("UTF8") || e.equals("UNICODE") || e.equals("SQLASCII");
    }

    private void write(ChannelHandlerContext ctx, tandem.proxy.wire.backend.BackendMessage message) {
        ByteBuf out = ctx.alloc().buffer();
        message.encode(out);
        ctx.write(out);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable error = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        fail(ctx, error);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof ServerError || cause instanceof ProxyException)) {
            log.error("startup of a connection from {} failed", ctx.channel().remoteAddress(), cause);
        }
        ErrorResponse response = ClientErrors.response(cause, true);
        log.debug("refused connection from {}: {}", ctx.channel().remoteAddress(), response.message());
        ByteBuf out = ctx.alloc().buffer();
        response.encode(out);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            counted = false;
            context.clients().decrementAndGet();
        }
        ctx.fireChannelInactive();
    }

    /** After the pipeline switched to the session, the session handler owns the client count. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        counted = false;
    }
}
