package tandem.loadtest.mirror;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.PoolConfig;
import tandem.config.PoolMode;
import tandem.config.StoreConfig;
import tandem.loadtest.Audit;
import tandem.loadtest.AuditResult;
import tandem.loadtest.DemoSchema;
import tandem.loadtest.StoreEndpoint;

/**
 * A fresh pair of stores for one test: the old store (a SQLite file, or a PostgreSQL database that
 * tandem reaches in session or transaction pooling) and the new store (a PostgreSQL database), both
 * with the demo schema and no rows, as an application starts mirroring before any backfill.
 */
final class MirrorPair {

    /** The old store, and how tandem reaches it. */
    enum Old {
        SQLITE, POSTGRES_SESSION, POSTGRES_TRANSACTION;

        boolean sqlite() {
            return this == SQLITE;
        }
    }

    final Old old;
    final Path sqliteFile;
    final TestDatabase oldDb;
    final TestDatabase newDb;

    private MirrorPair(Old old, Path sqliteFile, TestDatabase oldDb, TestDatabase newDb) {
        this.old = old;
        this.sqliteFile = sqliteFile;
        this.oldDb = oldDb;
        this.newDb = newDb;
    }

    static MirrorPair create(Old old, Path dir) throws Exception {
        TestDatabase newDb = TestPostgres.shared().createDatabase("proof_new");
        try (Connection c = newDb.connect()) {
            DemoSchema.createPostgres(c);
        }
        if (old.sqlite()) {
            Path file = Files.createDirectories(dir).resolve("old.db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                DemoSchema.createSqlite(c);
            }
            return new MirrorPair(old, file, null, newDb);
        }
        TestDatabase oldDb = TestPostgres.shared().createDatabase("proof_old");
        try (Connection c = oldDb.connect()) {
            DemoSchema.createPostgres(c);
        }
        return new MirrorPair(old, null, oldDb, newDb);
    }

    /** The database name clients ask tandem for. */
    String database() {
        return old.sqlite() ? "app" : oldDb.name();
    }

    StoreConfig oldStoreConfig() {
        if (old.sqlite()) {
            return StoreConfig.sqlite(sqliteFile);
        }
        PoolMode mode = old == Old.POSTGRES_SESSION ? PoolMode.SESSION : PoolMode.TRANSACTION;
        return StoreConfig.postgres(oldDb.jdbcUrl(), oldDb.user(), blankToNull(oldDb.password()))
                .withPool(PoolConfig.defaults(mode));
    }

    /** The new store as tandem reaches it at {@code url} (the database itself, or a forwarder to it). */
    StoreConfig newStoreConfig(String url) {
        return StoreConfig.postgres(url, newDb.user(), blankToNull(newDb.password()));
    }

    StoreEndpoint oldEndpoint() {
        return old.sqlite() ? StoreEndpoint.of("jdbc:sqlite:" + sqliteFile)
                : new StoreEndpoint(oldDb.jdbcUrl(), oldDb.user(), oldDb.password());
    }

    StoreEndpoint newEndpoint() {
        return new StoreEndpoint(newDb.jdbcUrl(), newDb.user(), newDb.password());
    }

    /** Every row of every application table of both stores (tandem's own tables left out). */
    AuditResult audit() {
        return Audit.compare(oldEndpoint(), newEndpoint(), List.of(), 20);
    }

    /** Entries in the old store's repair log; with {@code unmarkedOnly}, those no sync marked failed. */
    long repairLogRows(boolean unmarkedOnly) throws SQLException {
        String table = old.sqlite() ? "tandem_repair_log" : "tandem.repair_log";
        String where = unmarkedOnly ? (old.sqlite() ? " WHERE failed = 0" : " WHERE NOT failed") : "";
        try (Connection c = oldEndpoint().connectReadOnly(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows per demo table in the new store. */
    Map<String, Long> newStoreCounts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = newDb.connect(); Statement s = c.createStatement()) {
            for (String table : DemoSchema.TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
