package tandem.proxy.wire;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import tandem.core.error.ProxyException;
import tandem.core.session.TransactionStatus;
import tandem.proxy.auth.AuthenticationFailedException;
import tandem.proxy.auth.ScramCredentials;
import tandem.proxy.auth.ScramServer;
import tandem.proxy.wire.backend.Authentication;
import tandem.proxy.wire.backend.BackendKeyData;
import tandem.proxy.wire.backend.BindComplete;
import tandem.proxy.wire.backend.CommandComplete;
import tandem.proxy.wire.backend.DataRow;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.ParameterDescription;
import tandem.proxy.wire.backend.ParameterStatus;
import tandem.proxy.wire.backend.ParseComplete;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.backend.RowDescription;
import tandem.proxy.wire.frontend.AuthenticationResponse;
import tandem.proxy.wire.frontend.Bind;
import tandem.proxy.wire.frontend.Describe;
import tandem.proxy.wire.frontend.Execute;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.SSLRequest;
import tandem.proxy.wire.frontend.StartupMessage;
import tandem.proxy.wire.frontend.Sync;

/**
 * A test-only stand-in for a PostgreSQL server built from tandem's codecs and SCRAM server: it
 * authenticates with SCRAM-SHA-256 and answers every statement with one row, "1" in an int4
 * column. Real clients (pgjdbc, psql) talk to it, and it records what it decoded from them.
 */
final class ScriptedServer implements AutoCloseable {

    private static final RowDescription ONE_COLUMN = new RowDescription(List.of(RowDescription.Field.computed("one", 23, 4)));

    final List<FrontendMessage> received = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ScramCredentials credentials;
    private final Channel server;

    ScriptedServer(Map<String, String> passwords) throws InterruptedException {
        credentials = new ScramCredentials(passwords);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrontendDecoder(), new BackendEncoder(), new Session());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Session extends SimpleChannelInboundHandler<FrontendMessage> {
        private ScramServer scram;
        private boolean firstSent;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FrontendMessage message) {
            received.add(message);
            switch (message) {
                case SSLRequest ssl -> ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
                case StartupMessage startup -> {
                    scram = credentials.newServer(startup.parameters().get("user"));
                    ctx.writeAndFlush(new Authentication.SASL(ScramServer.MECHANISMS));
                }
                case AuthenticationResponse response when !firstSent -> {
                    var initial = response.readSASLInitialResponse();
                    firstSent = true;
                    ctx.writeAndFlush(new Authentication.SASLContinue(scram.serverFirstMessage(initial.mechanism(), initial.data())));
                }
                case AuthenticationResponse response -> {
                    var outcome = scram.serverFinalMessage(response.readSASLResponse());
                    if (!outcome.authenticated()) {
                        fail(ctx, new AuthenticationFailedException(scram.user()));
                        return;
                    }
                    ctx.write(new Authentication.SASLFinal(outcome.serverFinalMessage()));
                    ctx.write(Authentication.Ok.INSTANCE);
                    for (String[] p : new String[][] {{"server_version", "15.0"}, {"client_encoding", "UTF8"},
                            {"server_encoding", "UTF8"}, {"standard_conforming_strings", "on"}, {"DateStyle", "ISO, MDY"},
                            {"integer_datetimes", "on"}, {"TimeZone", "UTC"}}) {
                        ctx.write(new ParameterStatus(p[0], p[1]));
                    }
                    ctx.write(new BackendKeyData(1, 2));
                    ctx.writeAndFlush(new ReadyForQuery(TransactionStatus.IDLE));
                }
                case Query query -> {
                    ctx.write(ONE_COLUMN);
                    ctx.write(DataRow.ofText("1"));
                    ctx.write(new CommandComplete("SELECT 1"));
                    ctx.writeAndFlush(new ReadyForQuery(TransactionStatus.IDLE));
                }
                case Parse parse -> ctx.write(ParseComplete.INSTANCE);
                case Bind bind -> ctx.write(BindComplete.INSTANCE);
                case Describe describe -> {
                    if (describe.kind() == Describe.STATEMENT) {
                        ctx.write(new ParameterDescription(new int[0]));
                    }
                    ctx.write(ONE_COLUMN);
                }
                case Execute execute -> {
                    ctx.write(DataRow.ofText("1"));
                    ctx.write(new CommandComplete("SELECT 1"));
                }
                case Sync sync -> ctx.writeAndFlush(new ReadyForQuery(TransactionStatus.IDLE));
                default -> ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures.add(cause);
            fail(ctx, cause.getCause() instanceof ProxyException p ? p : new ProtocolException(String.valueOf(cause)));
        }

        private void fail(ChannelHandlerContext ctx, ProxyException e) {
            ctx.writeAndFlush(ErrorResponse.of(e)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
