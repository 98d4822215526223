package tandem.proxy.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.Terminate;

/** A logged-in client's channel: messages go to its backend in order; protocol errors end it. */
final class SessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final ClientSession session;
    private final Backend backend;
    private final SessionContext context;
    private boolean closed;

    SessionHandler(ClientSession session, Backend backend, SessionContext context) {
        this.session = session;
        this.backend = backend;
        this.context = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Terminate) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        backend.receive((FrontendMessage) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        backend.endOfInput();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        backend.clientWritabilityChanged(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && backend.isIdle()) {
            log.debug("session {} idle beyond limits.clientIdleTimeout; closing it", session.processId());
            session.output().fail(new ProxyException(SqlState.IDLE_SESSION_TIMEOUT,
                    "terminating connection due to idle-session timeout", null,
                    "tandem closes sessions idle outside a transaction for limits.clientIdleTimeout", true, null));
            end();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable error = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (error instanceof java.io.IOException) {
            // the client's connection failed under the session (a reset, a broken pipe): one line, no stack,
            // so that a session that ends this way is never a silent mystery
            log.info("session {} ended: its connection failed: {}", session.processId(), error.toString());
            ctx.close();
        } else {
            if (error instanceof ProxyException) {
                log.debug("session {}: {}", session.processId(), error.toString());
            } else {
                log.error("session {} failed", session.processId(), error);
            }
            session.output().fail(error);
        }
        end();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end();
        ctx.fireChannelInactive();
    }

    private void end() {
        if (closed) {
            return;
        }
        closed = true;
        context.cancels().unregister(session.processId());
        context.clients().decrementAndGet();
        backend.close();
        log.debug("session {} ended", session.processId());
    }
}
