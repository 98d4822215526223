package tandem.proxy.admin;

import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Serves one admin HTTP connection. Handlers may block (a health check pings the stores), so they
 * run on virtual threads and the answer is written back from there.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminRoutes routes;
    private final byte[] token;
    private final ExecutorService workers;

    AdminHandler(AdminRoutes routes, String token, ExecutorService workers) {
        this.routes = routes;
        this.token = token == null ? null : token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
        QueryStringDecoder uri = new QueryStringDecoder(http.uri());
        AdminRequest request = new AdminRequest(http.method().name(), uri.path(), uri.parameters(),
                ByteBufUtil.getBytes(http.content()));
        boolean keepAlive = HttpUtil.isKeepAlive(http);
        String authorization = http.headers().get(HttpHeaderNames.AUTHORIZATION);
        workers.execute(() -> {
            AdminResponse response;
            try {
                response = authorized(request, authorization) ? routes.handle(request)
                        : AdminResponse.error(401, "the admin API needs a bearer token",
                                "send the header 'Authorization: Bearer <admin.token>'");
            } catch (AdminException e) {
                response = AdminResponse.error(e.status(), e.getMessage(), e.hint());
            } catch (RuntimeException e) {
                log.error("admin request {} {} failed", request.method(), request.path(), e);
                response = AdminResponse.error(500, "tandem failed: " + e, "see tandem's log");
            }
            if (response.stream() != null) {
                stream(ctx, response.stream());
            } else {
                write(ctx, response, keepAlive);
            }
        });
    }

    /** Headers now, then each event as a chunk as it comes, until the client closes the connection. */
    private static void stream(ChannelHandlerContext ctx, AdminResponse.Stream stream) {
        io.netty.handler.codec.http.HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        AutoCloseable subscription;
        try {
            subscription = stream.open(data -> {
                StringBuilder event = new StringBuilder();
                for (String line : data.split("\n", -1)) {
                    event.append("data: ").append(line).append('\n');
                }
                ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
                        Unpooled.copiedBuffer(event.append('\n'), java.nio.charset.StandardCharsets.UTF_8)));
            });
        } catch (RuntimeException e) {
            // the headers are out: all that is left to say is that the stream ended
            log.warn("an event stream could not start: {}", e.getMessage());
            ctx.close();
            return;
        }
        ctx.channel().closeFuture().addListener(f -> {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("closing an event stream failed", e);
            }
        });
    }

    /** Health and metrics stay open for probes and scrapers; the API needs the token when one is set. */
    private boolean authorized(AdminRequest request, String authorization) {
        if (token == null || !request.path().startsWith("/api/")) {
            return true;
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring("Bearer ".length()).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private static void write(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (keepAlive) {
            http.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
            ctx.writeAndFlush(http);
        } else {
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection failed: {}", cause.toString());
        ctx.close();
    }
}
