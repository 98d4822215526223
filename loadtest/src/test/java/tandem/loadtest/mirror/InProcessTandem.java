package tandem.loadtest.mirror;

import java.time.Duration;

import tandem.config.AdminConfig;
import tandem.config.HostPort;
import tandem.config.MigrationConfig;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;
import tandem.proxy.TandemServer;

/**
 * tandem started in the test JVM on ephemeral ports, mirroring a {@link MirrorPair}: clients log in
 * as {@code app} without a password, as the proxy module's e2e tests do.
 */
final class InProcessTandem implements AutoCloseable {

    private final TandemServer server;
    private final String database;

    private InProcessTandem(TandemServer server, String database) {
        this.server = server;
        this.database = database;
    }

    /**
     * @param newStoreUrl where tandem reaches the new store: its database, or a forwarder a test can cut
     * @param mirrorTimeout {@code migration.mirror.timeout}
     */
    static InProcessTandem start(MirrorPair pair, String newStoreUrl, Duration mirrorTimeout)
            throws InterruptedException {
        return start(pair, pair.newStoreConfig(newStoreUrl), mirrorTimeout);
    }

    static InProcessTandem start(MirrorPair pair, StoreConfig newStore, Duration mirrorTimeout)
            throws InterruptedException {
        return start(pair, newStore, MigrationConfig.defaults().withMirrorTimeout(mirrorTimeout));
    }

    static InProcessTandem start(MirrorPair pair, StoreConfig newStore, MigrationConfig migration)
            throws InterruptedException {
        TandemConfig config = TandemConfig.builder()
                .database(pair.database())
                .oldStore(pair.oldStoreConfig())
                .newStore(newStore)
                .migration(migration)
                .listen(HostPort.loopback(0))
                .admin(new AdminConfig(HostPort.loopback(0), null))
                .build();
        return new InProcessTandem(TandemServer.start(config), pair.database());
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database;
    }

    Admin admin() {
        return new Admin(server.adminPort());
    }

    @Override
    public void close() {
        server.close();
    }
}
