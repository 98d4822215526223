package tandem.adapters.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import tandem.config.SqliteConfig;
import tandem.config.StoreConfig;
import tandem.core.backfill.PageReader;
import tandem.core.verify.KeyRanges;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.RepairKeys;
import tandem.core.mirror.RepairLog;
import tandem.core.mirror.RowReader;
import tandem.core.mirror.RowWriter;
import tandem.core.mirror.Schema;
import tandem.core.mirror.Table;
import tandem.core.sql.Classification;
import tandem.core.sql.ClassificationCache;
import tandem.core.store.ReadQueries;
import tandem.core.store.SessionReadQueries;
import tandem.core.store.SessionSettings;
import tandem.core.store.SqlSession;
import tandem.core.store.Store;
import tandem.core.store.StoreKind;
import tandem.core.store.WireEndpoint;
import tandem.core.type.PgType;

/**
 * A SQLite database file that tandem serves to PostgreSQL clients by emulating a PostgreSQL
 * server over it ({@link SqliteSession}).
 *
 * <p>SQLite allows one writer at a time, and readers in WAL mode never block it, so the store
 * keeps exactly one writer connection and a pool of read-only reader connections, both HikariCP.
 * Sessions take the writer for a write transaction and give it back at its end, so many clients
 * take turns on one writer; waiting for it is bounded by {@code busyTimeout}, after which the
 * waiter fails with 55P03 rather than hang. Every connection runs with {@code journal_mode=WAL},
 * {@code busy_timeout}, {@code foreign_keys=ON} and {@code case_sensitive_like=ON} (LIKE is
 * case-sensitive in PostgreSQL), and has tandem's SQL functions registered.
 *
 * <p>A missing file is an error, never a new empty database.
 */
public final class SqliteStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

    /** The PostgreSQL version tandem's emulation answers to; pgjdbc and others parse it. */
    static final String POSTGRES_VERSION = "15.0";

    private final String name;
    private final Path file;
    private final SqliteConfig config;
    private final Clock clock;
    private final String sqliteVersion;
    private final HikariDataSource writer;
    private final HikariDataSource readers;
    private final Map<SQLiteConnection, ConnectionState> states;
    private final SqliteTranslator translator = new SqliteTranslator(10_000);
    private final ClassificationCache classifier = new ClassificationCache();
    private final ScheduledExecutorService timer;
    private final Map<String, Columns> tableColumns = new ConcurrentHashMap<>();
    private final SqliteRowReader rowReader = new SqliteRowReader(this);
    private final SqlitePageReader pageReader = new SqlitePageReader(this);
    private final SqliteKeyRanges keyRanges = new SqliteKeyRanges(this);
    private final SqliteRepairLog repairLog = new SqliteRepairLog(this, new RepairKeys(this::schema));

    /** A table's columns as read under one schema_version. */
    /** Table -> column -> the type the new store declares for it (see {@link #describeColumnsAs}). */
    private volatile Map<String, Map<String, PgType>> describedAs = Map.of();

    private record Columns(long schemaVersion, List<TableColumn> columns) {
    }

    /**
     * A column as {@code PRAGMA table_info} lists it: for typing the values a statement gives it,
     * and for DEFAULT in INSERT and UPDATE.
     *
     * @param defaultValue the DEFAULT expression as SQLite keeps its text, or null for none
     * @param pgType the PostgreSQL type of a column created through tandem as serial or identity,
     *     which its declaration (INTEGER) cannot carry ({@link SchemaTranslator}); null for others
     * @param generated serial, always or by default for those columns; null for others
     */
    record TableColumn(String name, String declaredType, String defaultValue, PgType pgType, String generated) {
    }

    private SqliteStore(String name, Path file, SqliteConfig config, Clock clock, String sqliteVersion,
            HikariDataSource writer, HikariDataSource readers, Map<SQLiteConnection, ConnectionState> states) {
        this.name = name;
        this.file = file;
        this.config = config;
        this.clock = clock;
        this.sqliteVersion = sqliteVersion;
        this.writer = writer;
        this.readers = readers;
        this.states = states;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("tandem-" + name
                + "-statement-timeout").factory());
    }

    /** Opens the store a config entry describes ({@code jdbc:sqlite:FILE}). */
    public static SqliteStore open(StoreConfig store) {
        String role = store.role() == null ? StoreConfig.OLD : store.role();
        return open(role, fileOf(role, store.url()), store.sqlite(), store.pool().acquireTimeout(), Clock.systemUTC());
    }

    /**
     * @param name the store's role, {@code old} or {@code new}: names it in logs and errors
     * @param acquireTimeout how long a session waits for a reader connection
     * @param clock where now() and the transaction times come from
     */
    public static SqliteStore open(String name, Path file, SqliteConfig sqlite, Duration acquireTimeout, Clock clock) {
        checkFile(name, file);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        String sqliteVersion = prepareFile(file, url, sqlite);
        String serverVersion = serverVersion(sqliteVersion);
        Map<SQLiteConnection, ConnectionState> states = Collections.synchronizedMap(new WeakHashMap<>());
        HikariDataSource writer = null;
        HikariDataSource readers = null;
        try {
            writer = pool(name + "-writer", new SqliteConnections(url, writerConfig(sqlite), true, serverVersion,
                    states), 1, sqlite.busyTimeout());
            if (sqlite.readers() > 0) {
                readers = pool(name + "-readers", new SqliteConnections(url, readerConfig(sqlite), false, serverVersion,
                        states), sqlite.readers(), acquireTimeout);
            }
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String why = cause instanceof SQLException se ? SqliteErrors.sqliteMessage(se) : cause.getMessage();
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "cannot open connections to SQLite database "
                    + file.toAbsolutePath() + ": " + why, null, "check that tandem may read and write the file and its "
                            + "directory (WAL keeps -wal and -shm files beside it)", false, e);
        }
        SqliteStore store = new SqliteStore(name, file, sqlite, clock, sqliteVersion, writer, readers, states);
        log.info("opened SQLite store {} at {} (SQLite {}, journal_mode=WAL, busy_timeout={}ms): writer pool {}; "
                + "reader pool of {} {}", name, file, sqliteVersion, sqlite.busyTimeout().toMillis(), poolState(writer),
                sqlite.readers(), readers == null ? "(reads use the writer)" : poolState(readers));
        return store;
    }

    static Path fileOf(String role, String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.equals(":memory:") || rest.contains("mode=memory")) {
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "stores." + role + ".url names an in-memory SQLite "
                    + "database (" + url + ")", null, "every pooled connection would see a different empty database; "
                            + "name a file: jdbc:sqlite:/path/to/app.db");
        }
        return Path.of(rest);
    }

    private static void checkFile(String name, Path file) {
        if (Files.notExists(file)) {
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "SQLite database file " + file.toAbsolutePath()
                    + " does not exist", null, "check stores." + name + ".url; tandem never creates an empty database "
                            + "in place of a missing one");
        }
        if (Files.isDirectory(file)) {
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "SQLite database file " + file.toAbsolutePath()
                    + " is a directory", null, "stores." + name + ".url must name the database file itself");
        }
    }

    /** Opens the file once, switches it to WAL (a persistent setting) and reads SQLite's version. */
    private static String prepareFile(Path file, String url, SqliteConfig sqlite) {
        try (Connection c = writerConfig(sqlite).createConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sqlite_version(), (SELECT count(*) FROM sqlite_schema)")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "cannot open SQLite database " + file.toAbsolutePath()
                    + ": " + SqliteErrors.sqliteMessage(e), null, "check that the file is a SQLite database and that "
                            + "tandem may read and write it and its directory (WAL needs the -wal and -shm files beside it)",
                    false, e);
        }
    }

    private static SQLiteConfig writerConfig(SqliteConfig sqlite) {
        SQLiteConfig c = commonConfig(sqlite);
        c.resetOpenMode(SQLiteOpenMode.CREATE);
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL syncs the WAL at every commit: a committed row survives a power cut, as in PostgreSQL
        c.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        return c;
    }

    private static SQLiteConfig readerConfig(SqliteConfig sqlite) {
        SQLiteConfig c = commonConfig(sqlite);
        c.resetOpenMode(SQLiteOpenMode.CREATE);
        c.setReadOnly(true);
        return c;
    }

    private static SQLiteConfig commonConfig(SqliteConfig sqlite) {
        SQLiteConfig c = new SQLiteConfig();
        c.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, sqlite.busyTimeout().toMillis()));
        c.enforceForeignKeys(true);
        c.enableCaseSensitiveLike(true);
        return c;
    }

    private static HikariDataSource pool(String poolName, SqliteConnections connections, int size, Duration timeout) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("tandem-" + poolName);
        hikari.setDataSource(connections);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        // HikariCP's floor is 250ms; the wait for the writer is SQLite's busy_timeout in spirit
        hikari.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        // connections to a local file cost nothing to keep and hold the statement caches
        hikari.setIdleTimeout(0);
        hikari.setMaxLifetime(0);
        hikari.setInitializationFailTimeout(1);
        hikari.setAutoCommit(true);
        // HikariCP sets the flag on every new connection; sqlite-jdbc fixes it when it opens the file
        hikari.setReadOnly(!connections.isWriter());
        return new HikariDataSource(hikari);
    }

    static String serverVersion(String sqliteVersion) {
        return POSTGRES_VERSION + " (tandem, SQLite " + sqliteVersion + ")";
    }

    private static String poolState(HikariDataSource pool) {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? "closed" : "total=" + bean.getTotalConnections() + ", active=" + bean.getActiveConnections()
                + ", idle=" + bean.getIdleConnections() + ", waiting=" + bean.getThreadsAwaitingConnection();
    }

    // ---- Store ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public StoreKind kind() {
        return StoreKind.SQLITE;
    }

    @Override
    public String serverVersion() {
        return serverVersion(sqliteVersion);
    }

    /** Opens the file read-only beside the pools and reads its schema: a busy writer does not fail it. */
    @Override
    public void ping() {
        try {
            checkFile(name, file);
            SQLiteConfig c = readerConfig(config);
            c.setBusyTimeout(2000);
            try (Connection connection = c.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
                    Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                rs.next();
            }
        } catch (SQLException | ProxyException e) {
            String why = e instanceof SQLException se ? SqliteErrors.sqliteMessage(se) : e.getMessage();
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "SQLite store \"" + name + "\" at " + file
                    + " does not answer: " + why, null, "check that the file exists and that tandem may read it", false, e);
        }
    }

    @Override
    public Optional<WireEndpoint> wireEndpoint() {
        return Optional.empty();
    }

    @Override
    public SqlSession openSession(SessionSettings settings) {
        return new SqliteSession(this, settings);
    }

    /** The database's tables, read with its pragmas now, on a reader connection. */
    @Override
    public Schema schema() {
        Lease lease = acquire(false);
        try {
            return SqliteSchemaReader.read(lease.pooled);
        } catch (SQLException e) {
            throw failure("reading the schema", e);
        } finally {
            lease.release();
        }
    }

    @Override
    public RowReader rowReader() {
        return rowReader;
    }

    @Override
    public PageReader pageReader() {
        return pageReader;
    }

    @Override
    public KeyRanges keyRanges() {
        return keyRanges;
    }

    /**
     * {@code VACUUM INTO} a file beside the database, named for the time: one consistent copy (a
     * read transaction; writers go on in WAL mode), which is a SQLite database as it was.
     */
    @Override
    public Path keepSnapshot() {
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now());
        Path copy = file.resolveSibling(file.getFileName() + ".before-backfill-" + stamp + ".db");
        Lease lease = acquire(false);
        try (Statement s = lease.pooled.createStatement()) {
            s.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw failure("keeping a snapshot of the database in " + copy, e);
        } finally {
            lease.release();
        }
        return copy;
    }

    /** Where a promoted new store's writes are mirrored back to, so that a rollback loses nothing. */
    @Override
    public RowWriter rowWriter() {
        return new SqliteRowWriter(this);
    }

    @Override
    public RepairLog repairLog() {
        return repairLog;
    }

    @Override
    public ReadQueries readQueries() {
        return new SessionReadQueries(this);
    }

    /** A failure of tandem's own work on this store, as PostgreSQL would word it, saying what tandem was doing. */
    ProxyException failure(String doing, SQLException e) {
        ProxyException mapped = SqliteErrors.map(e, null, false, doing, null);
        return new ProxyException(mapped.state(), "SQLite store \"" + name + "\": " + doing + ": " + mapped.getMessage(),
                mapped.detail(), mapped.hint(), false, e);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (readers != null) {
            readers.close();
        }
        writer.close();
        log.info("closed SQLite store {} at {}", name, file);
    }

    // ---- for sessions ----

    Path file() {
        return file;
    }

    Clock clock() {
        return clock;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    SqliteTranslator translator() {
        return translator;
    }

    Classification classify(String sql) {
        return classifier.classify(sql);
    }

    boolean hasReaders() {
        return readers != null;
    }

    /**
     * Takes the writer or a reader. Waiting is bounded: for the writer by busy_timeout, for a
     * reader by the pool's acquire timeout; then the wait fails with 55P03 or 53300 and says why.
     */
    Lease acquire(boolean wantWriter) {
        HikariDataSource pool = wantWriter || readers == null ? writer : readers;
        boolean isWriter = pool == writer;
        try {
            Connection c = pool.getConnection();
            ConnectionState state = states.get(c.unwrap(SQLiteConnection.class));
            if (state == null) {
                c.close();
                throw new IllegalStateException("a pooled connection without tandem's state");
            }
            return new Lease(c, state);
        } catch (SQLTransientConnectionException e) {
            if (isWriter) {
                throw new ProxyException(SqlState.LOCK_NOT_AVAILABLE, "the SQLite store's writer is busy: another "
                        + "session held it for longer than busy_timeout (" + config.busyTimeout().toMillis() + " ms)",
                        "writer pool: " + poolState(writer), "SQLite runs one write transaction at a time; keep write "
                                + "transactions short, or raise stores." + name + ".sqlite.busyTimeout", false, e);
            }
            throw new ProxyException(SqlState.TOO_MANY_CONNECTIONS, "all " + config.readers() + " reader connections "
                    + "of the SQLite store are busy", "reader pool: " + poolState(readers), "raise stores." + name
                            + ".sqlite.readers, or end idle read transactions sooner", false, e);
        } catch (SQLException e) {
            if (e.getCause() instanceof InterruptedException || Thread.interrupted()) {
                Thread.interrupted();
                throw SqliteErrors.canceled(false);
            }
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "cannot open a connection to the SQLite store at "
                    + file + ": " + SqliteErrors.sqliteMessage(e), null, "check that the file still exists and is "
                            + "readable", false, e);
        }
    }

    @Override
    public void describeColumnsAs(Collection<Table> tables) {
        Map<String, Map<String, PgType>> types = new HashMap<>();
        for (Table table : tables) {
            Map<String, PgType> columns = new HashMap<>();
            for (tandem.core.mirror.Column column : table.columns()) {
                if (StoredValues.converts(column.type())) {
                    columns.put(column.name().toLowerCase(Locale.ROOT), column.type());
                }
            }
            types.put(table.name().toLowerCase(Locale.ROOT), Map.copyOf(columns));
        }
        describedAs = Map.copyOf(types);
    }

    /** The type the new store declares for a column, or null when it has none tandem can answer in. */
    PgType describedAs(String table, String column) {
        Map<String, PgType> columns = describedAs.get(table.toLowerCase(Locale.ROOT));
        return columns == null ? null : columns.get(column.toLowerCase(Locale.ROOT));
    }

    /**
     * The columns of a table, as declared, as {@code on} sees the schema at {@code version}; empty
     * when there is no such table.
     */
    List<TableColumn> columns(ConnectionState on, long version, String table) {
        String key = table.toLowerCase(Locale.ROOT);
        try {
            Columns known = tableColumns.get(key);
            if (known != null && known.schemaVersion() == version) {
                return known.columns();
            }
            List<TableColumn> columns = new ArrayList<>();
            boolean recorded = new LiveSchema(on.connection).tableExists(SchemaTranslator.COLUMNS);
            String sql = recorded ? "SELECT p.name, p.type, p.dflt_value, c.type, c.generated FROM pragma_table_info(?1) p "
                    + "LEFT JOIN " + SchemaTranslator.COLUMNS + " c ON c.table_name = ?1 AND c.column_name = p.name "
                    + "AND p.type = 'INTEGER'" : "SELECT name, type, dflt_value, NULL, NULL FROM pragma_table_info(?1)";
            try (var ps = on.connection.prepareStatement(sql)) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String pgType = rs.getString(4);
                        columns.add(new TableColumn(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2),
                                rs.getString(3), pgType == null ? null : PgType.bySqlName(pgType), rs.getString(5)));
                    }
                }
            }
            List<TableColumn> result = List.copyOf(columns);
            if (tableColumns.size() > 10_000) {
                tableColumns.clear();
            }
            tableColumns.put(key, new Columns(version, result));
            return result;
        } catch (SQLException e) {
            return List.of(); // typing by context is best effort; the statement itself reports real problems
        }
    }

    @Override
    public String toString() {
        return "SqliteStore[" + name + " at " + file + "]";
    }
}
