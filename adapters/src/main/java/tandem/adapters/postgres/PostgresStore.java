package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.MeterRegistry;

import tandem.core.backfill.BatchLoader;
import tandem.core.backfill.PageReader;
import tandem.core.lifecycle.ControlStore;
import tandem.core.verify.KeyRanges;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.RepairKeys;
import tandem.core.mirror.RepairLog;
import tandem.core.mirror.RowReader;
import tandem.core.mirror.RowWriter;
import tandem.core.mirror.Schema;
import tandem.core.store.SessionSettings;
import tandem.core.store.ReadQueries;
import tandem.core.store.SqlSession;
import tandem.core.store.Store;
import tandem.core.store.StoreKind;
import tandem.core.store.WireEndpoint;
import tandem.core.verify.VerificationLog;

/**
 * A PostgreSQL store. Client traffic reaches it through tandem's protocol relay at
 * {@link #wireEndpoint()}; tandem's own work (health checks, introspection, syncing rows by key,
 * the repair log, and copying and comparing rows in later phases) goes through a small HikariCP
 * pool of PostgreSQL JDBC connections.
 */
public final class PostgresStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    static final Duration WORK_SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final WireEndpoint endpoint;
    private final HikariDataSource pool;
    private final PostgresCatalog catalog = new PostgresCatalog();
    private final PostgresRowReader reader;
    private final PostgresRowWriter writer;
    private final PostgresRepairLog repairLog;
    private final PostgresPageReader pages;
    private final PostgresKeyRanges keyRanges;
    private final PostgresControlStore controlStore;
    private final PostgresBatchLoader loader;
    private final PostgresVerificationLog verifications;
    private final PostgresReadQueries reads;
    private volatile String serverVersion;

    private PostgresStore(String name, WireEndpoint endpoint, HikariDataSource pool, PostgresReadQueries reads) {
        this.name = name;
        this.endpoint = endpoint;
        this.pool = pool;
        this.reads = reads;
        this.reader = new PostgresRowReader(name, pool, catalog);
        this.writer = new PostgresRowWriter(name, pool, catalog, reader);
        this.repairLog = new PostgresRepairLog(name, pool, new RepairKeys(this::schema));
        this.pages = new PostgresPageReader(name, pool, catalog);
        this.keyRanges = new PostgresKeyRanges(name, pool, catalog);
        this.controlStore = new PostgresControlStore(name, pool, () -> {
            java.util.Properties leader = new java.util.Properties();
            leader.putAll(pool.getDataSourceProperties());
            if (pool.getUsername() != null) {
                leader.setProperty("user", pool.getUsername());
            }
            if (pool.getPassword() != null) {
                leader.setProperty("password", pool.getPassword());
            }
            leader.setProperty("tcpKeepAlive", "true"); // a dead leader's lock must not outlive it for long
            leader.setProperty("ApplicationName", "tandem leader");
            try {
                return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), leader);
            } catch (java.sql.SQLException e) {
                throw PgErrors.translate(name, "connecting for the migration's leader lock", e);
            }
        });
        this.loader = new PostgresBatchLoader(name, pool, catalog, reader);
        this.verifications = new PostgresVerificationLog(name, pool);
    }

    /**
     * Sets the store up without connecting yet: a store that is down at startup is reported by
     * {@link #ping()}, not by a constructor exception.
     */
    public static PostgresStore open(String name, String url, String user, String password, Duration connectTimeout,
            int workPoolSize) {
        return open(name, url, user, password, connectTimeout, workPoolSize, null);
    }

    /** @param registry where HikariCP publishes the pools' metrics ({@code hikaricp_*}), or null */
    public static PostgresStore open(String name, String url, String user, String password, Duration connectTimeout,
            int workPoolSize, MeterRegistry registry) {
        WireEndpoint endpoint = endpoint(name, url, user, password);
        HikariConfig hikari = poolConfig("tandem-" + name, url, endpoint, connectTimeout, workPoolSize, registry);
        hikari.setMinimumIdle(0);
        hikari.addDataSourceProperty("ApplicationName", "tandem");
        // tandem's own statements (syncs, repair log, introspection) are short: one that hears nothing for this
        // long is on a hung server or network, and must fail so the repair drainer and its breaker see it
        hikari.addDataSourceProperty("socketTimeout", Long.toString(WORK_SOCKET_TIMEOUT.toSeconds()));
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        PostgresReadQueries reads = new PostgresReadQueries(name,
                poolConfig("tandem-" + name + "-reads", url, endpoint, connectTimeout, workPoolSize, registry));
        return new PostgresStore(name, endpoint, new HikariDataSource(hikari), reads);
    }

    /** What every pool tandem keeps on a store shares; the caller adds what its work needs. */
    static HikariConfig poolConfig(String poolName, String url, WireEndpoint endpoint, Duration connectTimeout,
            int size, MeterRegistry registry) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(url);
        hikari.setUsername(endpoint.user());
        hikari.setPassword(endpoint.password());
        hikari.setMaximumPoolSize(size);
        hikari.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        hikari.setInitializationFailTimeout(-1);
        if (registry != null) {
            hikari.setMetricRegistry(registry);
        }
        return hikari;
    }

    /** Reads host, port, database and credentials the way PostgreSQL JDBC reads the URL. */
    static WireEndpoint endpoint(String name, String url, String user, String password) {
        Properties props = org.postgresql.Driver.parseURL(url, new Properties());
        if (props == null) {
            throw new ProxyException(SqlState.CONNECTION_EXCEPTION, "stores." + name + ".url is not a PostgreSQL JDBC URL: "
                    + url, null, "write it as jdbc:postgresql://host:5432/database");
        }
        String hosts = props.getProperty("PGHOST", "localhost");
        String ports = props.getProperty("PGPORT", "5432");
        if (hosts.contains(",")) {
            throw new ProxyException(SqlState.CONNECTION_EXCEPTION, "stores." + name + ".url names several hosts ("
                    + hosts + ")", null, "tandem relays to one PostgreSQL server; name the primary only");
        }
        String sslmode = props.getProperty("sslmode", "prefer");
        if (sslmode.equals("require") || sslmode.startsWith("verify")) {
            throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "stores." + name + ".url asks for sslmode="
                    + sslmode + ", and tandem does not speak TLS to stores yet", null,
                    "use sslmode=disable or prefer on a trusted network, or a TLS tunnel beside tandem");
        }
        String effectiveUser = user != null ? user : props.getProperty("user", System.getProperty("user.name"));
        String effectivePassword = password != null ? password : props.getProperty("password", "");
        Map<String, String> startup = new LinkedHashMap<>();
        if (props.getProperty("options") != null) {
            startup.put("options", props.getProperty("options"));
        }
        if (props.getProperty("currentSchema") != null) {
            startup.put("search_path", props.getProperty("currentSchema"));
        }
        return new WireEndpoint(hosts, Integer.parseInt(ports), props.getProperty("PGDBNAME", effectiveUser),
                effectiveUser, effectivePassword, startup);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StoreKind kind() {
        return StoreKind.POSTGRES;
    }

    /** The database name clients of this store use by default. */
    public String database() {
        return endpoint.database();
    }

    @Override
    public String serverVersion() {
        String version = serverVersion;
        if (version == null) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                version = serverVersion = rs.getString(1);
            } catch (SQLException e) {
                throw unreachable(e);
            }
        }
        return version;
    }

    @Override
    public void ping() {
        try (Connection c = pool.getConnection()) {
            if (!c.isValid(2)) {
                throw new SQLException("connection is not valid");
            }
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    private ProxyException unreachable(SQLException e) {
        return new ProxyException(SqlState.CONNECTION_FAILURE, "store \"" + name + "\" at " + endpoint.address()
                + " is unreachable: " + e.getMessage(), null,
                "check that PostgreSQL runs there and stores." + name + ".url, user and password", false, e);
    }

    @Override
    public Optional<WireEndpoint> wireEndpoint() {
        return Optional.of(endpoint);
    }

    @Override
    public SqlSession openSession(SessionSettings settings) {
        throw new UnsupportedOperationException("client traffic to PostgreSQL stores goes through the relay");
    }

    /** The tables of the current schema (search_path), read from the catalog now. */
    @Override
    public Schema schema() {
        try (Connection c = pool.getConnection()) {
            return PostgresSchemaReader.read(c);
        } catch (SQLException e) {
            throw PgErrors.translate(name, "reading the schema", e);
        }
    }

    @Override
    public RowReader rowReader() {
        return reader;
    }

    @Override
    public RowWriter rowWriter() {
        return writer;
    }

    @Override
    public RepairLog repairLog() {
        return repairLog;
    }

    @Override
    public PageReader pageReader() {
        return pages;
    }

    @Override
    public KeyRanges keyRanges() {
        return keyRanges;
    }

    @Override
    public BatchLoader batchLoader() {
        return loader;
    }

    @Override
    public VerificationLog verificationLog() {
        return verifications;
    }

    @Override
    public ControlStore controlStore() {
        return controlStore;
    }

    @Override
    public ReadQueries readQueries() {
        return reads;
    }

    @Override
    public void close() {
        controlStore.close();
        reads.close();
        pool.close();
        log.debug("closed store {}", name);
    }
}
