package tandem.proxy;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
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
import tandem.core.backfill.BackfillService;
import tandem.core.error.ProxyException;
import tandem.core.lifecycle.Controller;
import tandem.core.lifecycle.Phase;
import tandem.core.metrics.MetricNames;
import tandem.core.mirror.MirrorService;
import tandem.core.mirror.MirroredTable;
import tandem.core.mirror.RowSync;
import tandem.core.route.ReadShare;
import tandem.core.session.AdmissionGate;
import tandem.core.session.SessionPolicy;
import tandem.core.sql.ClassificationCache;
import tandem.core.store.SessionSettings;
import tandem.core.store.SqlSession;
import tandem.core.store.Store;
import tandem.core.store.StoreKind;
import tandem.core.verify.VerificationLog;
import tandem.core.verify.ChangedRowsCheck;
import tandem.core.verify.VerificationService;
import tandem.core.verify.Verifier;
import tandem.proxy.admin.AdminRoutes;
import tandem.proxy.admin.AdminServer;
import tandem.proxy.admin.BackfillRoutes;
import tandem.proxy.admin.HealthRoutes;
import tandem.proxy.admin.LifecycleRoutes;
import tandem.proxy.admin.MetricsRoute;
import tandem.proxy.admin.MigrationRoutes;
import tandem.proxy.admin.LeaderRequests;
import tandem.proxy.admin.VerifyRoutes;
import tandem.proxy.auth.ScramCredentials;
import tandem.proxy.backend.BackendPool;
import tandem.proxy.backend.RelayBackend;
import tandem.proxy.backend.RelayPools;
import tandem.proxy.backend.Routing;
import tandem.proxy.backend.StatementNames;
import tandem.proxy.emulated.EmulatedBackend;
import tandem.proxy.metrics.ClientLatency;
import tandem.proxy.metrics.ProxyMetrics;
import tandem.proxy.session.BackendFactory;
import tandem.proxy.session.CancelRegistry;
import tandem.proxy.session.ClientSession;
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
    private final BackendPool secondaryPool;
    private final Channel listener;
    private final AdminServer admin;
    private final ProxyMetrics metrics;
    private final MirrorService mirror;
    private final BackfillService backfill;
    private final AdmissionGate admission;
    private final Controller controller;
    private final StoreRoles roles;

    private TandemServer(TandemConfig config, EventLoopGroup group, Store oldStore, Store newStore, BackendPool pool,
            BackendPool secondaryPool, Channel listener, AdminServer admin, ProxyMetrics metrics, MirrorService mirror,
            BackfillService backfill, AdmissionGate admission, Controller controller, StoreRoles roles) {
        this.config = config;
        this.group = group;
        this.oldStore = oldStore;
        this.newStore = newStore;
        this.pool = pool;
        this.secondaryPool = secondaryPool;
        this.listener = listener;
        this.admin = admin;
        this.metrics = metrics;
        this.mirror = mirror;
        this.backfill = backfill;
        this.admission = admission;
        this.controller = controller;
        this.roles = roles;
    }

    public static TandemServer start(TandemConfig config) throws InterruptedException {
        ProxyMetrics metrics = new ProxyMetrics();
        Store oldStore = StoreFactory.open(config.oldStore(), metrics.registry());
        Store newStore = null;
        EventLoopGroup group = null;
        BackendPool pool = null;
        BackendPool secondaryPool = null;
        MirrorService mirror = null;
        BackfillService backfill = null;
        Controller controller = null;
        StoreRoles roles = null;
        try {
            oldStore.ping();
            log.info("old store: {} {} (server_version {})", oldStore.kind().displayName(),
                    describe(config.oldStore()), oldStore.serverVersion());
            if (config.newStore() != null) {
                newStore = StoreFactory.open(config.newStore(), metrics.registry());
                try {
                    newStore.ping();
                    log.info("new store: {} {} (server_version {})", newStore.kind().displayName(),
                            describe(config.newStore()), newStore.serverVersion());
                } catch (ProxyException e) {
                    throw new ProxyException(e.state(), "the new store is not reachable: " + e.getMessage(), null,
                            "start it (tandem compares its schema with the old store's before mirroring), or remove "
                                    + "stores.new to run as a pass-through");
                }
            }
            group = NettyTransport.newGroup(config.effectiveIoThreads(), "tandem-io");
            int maxMessageSize = (int) Math.min(Integer.MAX_VALUE, config.limits().maxMessageSize());
            ReadShare share = newStore == null ? null : new ReadShare(config.migration().readPercent());
            AdmissionGate admission = new AdmissionGate();
            if (newStore != null) {
                mirror = MirrorService.open(config.migration(), oldStore, newStore, share, metrics.registry());
                newStore.batchLoader().ensureCreated();
                oldStore.describeColumnsAs(mirror.tables().tables().values().stream().map(MirroredTable::target)
                        .filter(Objects::nonNull).toList());
                backfill = new BackfillService(mirror.tables(), oldStore, newStore, metrics.registry(),
                        new ClientLatency(metrics.registry(), oldStore.name()));
                Store target = newStore;
                BackfillService copying = backfill;
                controller = new Controller(newStore.controlStore(), share, config.migration().plan(),
                        () -> readsNotYet(copying, target.verificationLog()), Clock.systemUTC());
                int configured = config.migration().readPercent();
                String notYet = configured > 0 ? readsNotYet(backfill, newStore.verificationLog()) : null;
                if (notYet != null) {
                    log.warn("migration.reads.percent is {}, but reads stay where they were: {}; once that is done, "
                            + "PUT /api/reads moves them (or start with the share again)", configured, notYet);
                }
                controller.start(configured);
                controller.register(metrics.registry());
                mirror.guard().onTrip(controller::guardTripped);
                controller.tickEvery(Duration.ofSeconds(1));
            }
            Routing routing = null;
            if (oldStore.kind() == StoreKind.POSTGRES) {
                pool = relayPool(config.oldStore(), oldStore, maxMessageSize, group);
                registerPoolGauges(metrics, pool);
                if (newStore != null) {
                    secondaryPool = relayPool(config.newStore(), newStore, maxMessageSize, group);
                    registerPoolGauges(metrics, secondaryPool);
                    routing = new Routing(secondaryPool, metrics.route("secondary", newStore.name()));
                }
            } else if (newStore != null && newStore.wireEndpoint().isPresent()) {
                // sessions after a cutover are relayed to the new store; until then the emulation serves them
                secondaryPool = relayPool(config.newStore(), newStore, maxMessageSize, group);
                registerPoolGauges(metrics, secondaryPool);
            }
            AtomicInteger clients = new AtomicInteger();
            Gauge.builder(MetricNames.SESSIONS, clients, AtomicInteger::get).description("client sessions logged in")
                    .register(metrics.registry());
            if (share != null) {
                Gauge.builder(MetricNames.READ_PERCENT, share, ReadShare::percent)
                        .description("share of eligible reads served by the new store").register(metrics.registry());
            }
            SessionPolicy policy = mirror == null ? SessionPolicy.passThrough(admission) : mirror.policy(admission);
            RelayPools pools = pool == null && secondaryPool == null ? null : new RelayPools(pool, secondaryPool);
            if (controller != null) {
                roles = new StoreRoles(config.migration(), oldStore, newStore, pools, admission, policy, mirror,
                        metrics.registry());
                controller.switchover(roles, config.migration().cutoverPause());
                Phase phase = controller.state().phase();
                if ((phase == Phase.PROMOTED || phase == Phase.COMPLETE) && roles.unsupported() == null) {
                    roles.swap(true); // a restart after the cutover: the new store stays the primary
                    if (phase == Phase.COMPLETE) {
                        roles.stopMirroring();
                    }
                }
            }
            SessionContext context = new SessionContext(config.database(), credentials(config.users()),
                    config.limits().maxClientConnections(), clients, new CancelRegistry(),
                    backends(config, oldStore, pools, metrics, routing, mirror, policy));
            Channel listener = listen(config, context, maxMessageSize, group);
            AdminRoutes routes = new AdminRoutes();
            HealthRoutes.register(routes, oldStore, newStore);
            MetricsRoute.register(routes, metrics);
            Store primary = oldStore;
            Store secondary = newStore;
            MirrorService mirroring = mirror;
            BackfillService copying = backfill;
            java.util.function.Supplier<Verifier> verifiers = () -> new Verifier(mirroring.tables(), primary, secondary,
                    RowSync.between(primary, secondary, mirroring.tables()), Verifier.Settings.defaults(), Clock.systemUTC());
            VerificationService verification = mirror == null ? null
                    : new VerificationService(verifiers, secondary.verificationLog(), mirror.changedRows());
            if (controller != null) {
                controller.checkBeforeCutover(new ChangedRowsCheck(mirror.changedRows(), secondary.verificationLog(),
                        verifiers, Clock.systemUTC()));
            }
            Controller steering = controller;
            MigrationRoutes.register(routes, () -> status(primary, secondary, share, mirroring, copying, steering),
                    controller);
            LifecycleRoutes.register(routes, controller);
            BackfillRoutes.register(routes, backfill);
            VerifyRoutes.register(routes, verification, () -> steering != null && steering.requestPending(LeaderRequests.VERIFY));
            if (controller != null) {
                LeaderRequests.register(routes, controller, verification);
            }
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
            return new TandemServer(config, group, oldStore, newStore, pool, secondaryPool, listener, admin, metrics,
                    mirror, backfill, admission, controller, roles);
        } catch (RuntimeException | InterruptedException e) {
            if (controller != null) {
                controller.close();
            }
            if (roles != null) {
                roles.close();
            }
            if (pool != null) {
                pool.close();
            }
            if (secondaryPool != null) {
                secondaryPool.close();
            }
            if (mirror != null) {
                mirror.close();
            }
            metrics.close();
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

    /**
     * Where sessions' commands go: the relay for a PostgreSQL store, the emulation for a SQLite one;
     * with a new store, both capture the writes they make on mirrored tables. Over a SQLite old
     * store, sessions that start after a cutover are relayed to the new store.
     */
    private static BackendFactory backends(TandemConfig config, Store store, RelayPools pools, ProxyMetrics metrics,
            Routing routing, MirrorService mirror, SessionPolicy policy) {
        ClassificationCache classifier = new ClassificationCache();
        ProxyMetrics.Route meters = metrics.route("primary", store.name());
        StatementNames names = new StatementNames(100_000);
        if (store.kind() == StoreKind.POSTGRES) {
            boolean byTransaction = config.oldStore().pool().mode() == PoolMode.TRANSACTION;
            return session -> new RelayBackend(session, pools, byTransaction, names, classifier, meters, routing, policy);
        }
        Function<SessionSettings, SqlSession> sessions = mirror == null ? store::openSession
                : settings -> mirror.mirrored(store.openSession(settings), policy, classifier);
        BackendFactory emulated = session -> new EmulatedBackend(session, sessions, classifier, meters);
        if (pools == null) {
            return emulated;
        }
        boolean byTransaction = config.newStore().pool().mode() == PoolMode.TRANSACTION;
        ProxyMetrics.Route promotedMeters = metrics.route("primary", pools.newStoreName());
        Function<ClientSession, RelayBackend> relayed = session -> new RelayBackend(session, pools, byTransaction, names,
                classifier, promotedMeters, null, policy);
        // a session of the emulation moves to the relay at its first batch after a cutover
        return session -> pools.promoted() ? relayed.apply(session)
                : new MovingBackend(session, new EmulatedBackend(session, sessions, classifier, meters), relayed, pools);
    }

    private static void registerPoolGauges(ProxyMetrics metrics, BackendPool pool) {
        for (String state : new String[] {"active", "idle", "waiting", "total"}) {
            Gauge.builder(MetricNames.POOL_CONNECTIONS, pool, p -> switch (state) {
                case "active" -> p.counts().active();
                case "idle" -> p.counts().idle();
                case "waiting" -> p.counts().waiting();
                default -> p.counts().total();
            }).tag("store", pool.storeName()).tag("state", state)
                    .description("server connections of tandem's relay pool").register(metrics.registry());
        }
    }

    /**
     * Why reads may not move to the new store yet, or null when they may: the backfill must have
     * copied every table, and the latest verification (kept in the new store, whoever ran it) must
     * have compared every table and found them the same.
     */
    private static String readsNotYet(BackfillService backfill, VerificationLog verifications) {
        if (backfill == null) {
            return null;
        }
        if (!backfill.complete()) {
            return "the backfill has not copied every table yet (see backfill in GET /api/status; POST /api/backfill)";
        }
        VerificationLog.Outcome latest = verifications.latest();
        if (latest == null) {
            return "no verification has finished yet (POST /api/verify, or bin/tandem verify)";
        }
        if (!latest.wholeStore()) {
            return "the latest verification (" + latest.finishedAt() + ") compared only some tables; verify them all "
                    + "(POST /api/verify without tables)";
        }
        if (!latest.clean()) {
            return "the latest verification (" + latest.finishedAt() + ") found differences (GET /api/verify/latest; "
                    + "POST /api/verify with \"repair\": true)";
        }
        return null;
    }

    /** The document {@code GET /api/status} answers. */
    private static Map<String, Object> status(Store oldStore, Store newStore, ReadShare share, MirrorService mirror,
            BackfillService backfill, Controller controller) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("mode", newStore == null ? "pass-through" : "mirroring");
        status.put("migration", controller == null ? Map.of("phase", Phase.PREPARING.label())
                : LifecycleRoutes.document(controller.state(), controller));
        status.put("primary", oldStore.name());
        if (newStore != null) {
            status.put("secondary", newStore.name());
        }
        Map<String, Object> reads = new LinkedHashMap<>();
        reads.put("percent", share == null ? 0 : share.percent());
        status.put("reads", reads);
        if (mirror != null) {
            status.put("mirror", mirror.status());
        }
        if (backfill != null) {
            status.put("backfill", backfill.status());
        }
        return status;
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

    /** Whether client sessions may start new transactions; a cutover closes it while it swaps the stores. */
    public AdmissionGate admission() {
        return admission;
    }

    public TandemConfig config() {
        return config;
    }

    @Override
    public void close() {
        log.info("tandem stopping");
        if (controller != null) {
            controller.close();
        }
        listener.close().syncUninterruptibly();
        admin.close();
        if (backfill != null) {
            backfill.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (secondaryPool != null) {
            secondaryPool.close();
        }
        if (roles != null) {
            roles.close();
        }
        if (mirror != null) {
            mirror.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        oldStore.close();
        if (newStore != null) {
            newStore.close();
        }
        metrics.close();
        log.info("tandem stopped");
    }
}
