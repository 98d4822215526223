package tandem.proxy;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import tandem.adapters.StoreFactory;
import tandem.config.PoolConfig;
import tandem.config.PoolMode;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;
import tandem.config.UserConfig;
import tandem.core.error.ProxyException;
import tandem.core.sql.ClassificationCache;
import tandem.core.store.Store;
import tandem.core.store.StoreKind;
import tandem.proxy.admin.AdminRoutes;
import tandem.proxy.admin.AdminServer;
import tandem.proxy.admin.HealthRoutes;
import tandem.proxy.auth.ScramCredentials;
import tandem.proxy.backend.BackendPool;
import tandem.proxy.backend.RelayBackend;
import tandem.proxy.backend.StatementNames;
import tandem.proxy.emulated.EmulatedBackend;
import tandem.proxy.session.BackendFactory;
import tandem.proxy.session.CancelRegistry;
import tandem.proxy.session.SessionContext;
import tandem.proxy.session.StartupHandler;
import tandem.proxy.wire.FrontendDecoder;

/**
 * One running tandem: the stores, the PostgreSQL wire server clients connect to, and the admin
 * HTTP server. {@link #start} returns once both listen; {@link #close} stops accepting, ends
 * sessions and closes the stores.
 */
public final class TandemServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TandemServer.class);
    private static final int MAX_PREPARED_PER_CONNECTION = 256;

    private final TandemConfig config;
    private final EventLoopGroup group;
    private final Store oldStore;
    private final Store newStore;
    private final BackendPool pool;
    private final Channel listener;
    private final AdminServer admin;

    private TandemServer(TandemConfig config, EventLoopGroup group, Store oldStore, Store newStore, BackendPool pool,
            Channel listener, AdminServer admin) {
        this.config = config;
        this.group = group;
        this.oldStore = oldStore;
        this.newStore = newStore;
        this.pool = pool;
        this.listener = listener;
        this.admin = admin;
    }

    public static TandemServer start(TandemConfig config) throws InterruptedException {
        Store oldStore = StoreFactory.open(config.oldStore());
        Store newStore = null;
        EventLoopGroup group = null;
        BackendPool pool = null;
        try {
            oldStore.ping();
            log.info("old store: {} {} (server_version {})", oldStore.kind().displayName(),
                    describe(config.oldStore()), oldStore.serverVersion());
            if (config.newStore() != null) {
                newStore = StoreFactory.open(config.newStore());
                try {
                    newStore.ping();
                    log.info("new store: {} {} (server_version {})", newStore.kind().displayName(),
                            describe(config.newStore()), newStore.serverVersion());
                } catch (ProxyException e) {
                    log.warn("new store is not reachable yet: {}", e.getMessage());
                }
            }
            group = NettyTransport.newGroup(config.effectiveIoThreads(), "tandem-io");
            int maxMessageSize = (int) Math.min(Integer.MAX_VALUE, config.limits().maxMessageSize());
            if (oldStore.kind() == StoreKind.POSTGRES) {
                pool = relayPool(config.oldStore(), oldStore, maxMessageSize, group);
            }
            SessionContext context = new SessionContext(config.database(), credentials(config.users()),
                    config.limits().maxClientConnections(), new AtomicInteger(), new CancelRegistry(),
                    backends(config.oldStore(), oldStore, pool));
            Channel listener = listen(config, context, maxMessageSize, group);
            AdminRoutes routes = new AdminRoutes();
            HealthRoutes.register(routes, oldStore, newStore);
            AdminServer admin = AdminServer.start(config.admin().listen().host(), config.admin().listen().port(),
                    routes, config.admin().token(), group);
            InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
            log.info("tandem listening on {}:{} for database \"{}\" ({}; {}; {} authentication; I/O threads: {}, {})",
                    bound.getHostString(),
                    bound.getPort(), config.database(),
                    newStore == null ? "pass-through to the old store" : "serving the old store; new store configured",
                    oldStore.kind() == StoreKind.POSTGRES ? config.oldStore().pool().mode().name().toLowerCase()
                            + " pooling, up to " + config.oldStore().pool().maxSize() + " connections"
                            : "SQLite: one writer, " + config.oldStore().sqlite().readers() + " readers",
                    config.trustsClients() ? "trust" : "SCRAM-SHA-256", config.effectiveIoThreads(),
                    NettyTransport.name());
            return new TandemServer(config, group, oldStore, newStore, pool, listener, admin);
        } catch (RuntimeException | InterruptedException e) {
            if (pool != null) {
                pool.close();
            }
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            oldStore.close();
            if (newStore != null) {
                newStore.close();
            }
            throw e;
        }
    }

    private static BackendPool relayPool(StoreConfig storeConfig, Store store, int maxMessageSize, EventLoopGroup group) {
        PoolConfig pool = storeConfig.pool();
        return new BackendPool(store.name(), store.wireEndpoint().orElseThrow(),
                new BackendPool.Settings(pool.maxSize(), pool.minIdle(), pool.acquireTimeout(), pool.connectTimeout(),
                        pool.idleTimeout(), pool.maxLifetime(), maxMessageSize, MAX_PREPARED_PER_CONNECTION),
                group);
    }

    /** Where sessions' commands go: the relay for a PostgreSQL store, the emulation for a SQLite one. */
    private static BackendFactory backends(StoreConfig storeConfig, Store store, BackendPool pool) {
        ClassificationCache classifier = new ClassificationCache();
        if (pool == null) {
            return session -> new EmulatedBackend(session, store, classifier);
        }
        boolean byTransaction = storeConfig.pool().mode() == PoolMode.TRANSACTION;
        StatementNames names = new StatementNames(100_000);
        return session -> new RelayBackend(session, pool, byTransaction, names, classifier);
    }

    /** The PostgreSQL protocol listener clients connect to. */
    private static Channel listen(TandemConfig config, SessionContext context, int maxMessageSize, EventLoopGroup group)
            throws InterruptedException {
        long idleTimeoutMillis = config.limits().clientIdleTimeout().toMillis();
        return new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (idleTimeoutMillis > 0) {
                            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleTimeoutMillis,
                                    TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast("decoder", new FrontendDecoder(maxMessageSize));
                        ch.pipeline().addLast("startup", new StartupHandler(context));
                    }
                })
                .bind(config.listen().host(), config.listen().port()).sync().channel();
    }

    private static ScramCredentials credentials(List<UserConfig> users) {
        if (users.isEmpty()) {
            return null;
        }
        return new ScramCredentials(users.stream().collect(Collectors.toMap(UserConfig::name, UserConfig::password,
                (a, b) -> a, LinkedHashMap::new)));
    }

    private static String describe(StoreConfig store) {
        return store.isSqlite() ? store.url().substring("jdbc:sqlite:".length()) : store.url();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public TandemConfig config() {
        return config;
    }

    @Override
    public void close() {
        log.info("tandem stopping");
        listener.close().syncUninterruptibly();
        admin.close();
        if (pool != null) {
            pool.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        oldStore.close();
        if (newStore != null) {
            newStore.close();
        }
        log.info("tandem stopped");
    }
}
