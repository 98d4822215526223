package tandem.adapters.postgres;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.backfill.BatchLoader;
import tandem.core.error.ProxyException;
import tandem.core.mirror.Key;
import tandem.core.mirror.Table;
import tandem.core.type.PgValues;

/**
 * Loads backfilled rows into a PostgreSQL store: per batch, in one transaction, the table's
 * backfill lock ({@link #LOCK_CLASS}; mirror syncs take it shared, see {@link PostgresRowWriter}),
 * the rows read from the old store only then, and a binary {@code COPY}: straight into the table
 * when it has none of the batch's keys (the usual case: the mirror has written few of them), else
 * into a temporary staging table and on with {@code INSERT ... SELECT ... ON CONFLICT (key) DO
 * NOTHING} (a key the mirror wrote keeps its row); then the checkpoint in {@code tandem.backfill}.
 */
final class PostgresBatchLoader implements BatchLoader {

    private static final Logger log = LoggerFactory.getLogger(PostgresBatchLoader.class);

    static final String TABLE = "tandem.backfill";
    /** The first key of a table's backfill lock; the second is {@code hashtext(table name)}. */
    static final int LOCK_CLASS = 0x7462_6b66;
    private static final byte[] COPY_SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private final String store;
    private final DataSource pool;
    private final PostgresCatalog catalog;
    private final PostgresRowReader keys;

    PostgresBatchLoader(String store, DataSource pool, PostgresCatalog catalog, PostgresRowReader keys) {
        this.store = store;
        this.pool = pool;
        this.catalog = catalog;
        this.keys = keys;
    }

    @Override
    public void ensureCreated() {
        ControlTables.create(store, pool, TABLE,
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (table_name text PRIMARY KEY, state text NOT NULL, "
                        + "cursor text, rows_read bigint NOT NULL DEFAULT 0, rows_inserted bigint NOT NULL DEFAULT 0, "
                        + "rows_total bigint NOT NULL DEFAULT 0, started_at timestamptz NOT NULL DEFAULT now(), "
                        + "updated_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz, deferred text[])",
                // checkpoints made before indexes and foreign keys were deferred
                "ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS deferred text[]");
    }

    @Override
    public Map<String, Checkpoint> checkpoints() {
        Map<String, Checkpoint> out = new LinkedHashMap<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(SELECT + " ORDER BY table_name")) {
            while (rs.next()) {
                Checkpoint cp = checkpoint(rs);
                out.put(cp.table(), cp);
            }
        } catch (SQLException e) {
            throw PgErrors.translate(store, "reading the backfill's checkpoints", e);
        }
        return out;
    }

    private static final String COLUMNS = "table_name, state, cursor, rows_read, rows_inserted, rows_total, "
            + "started_at, finished_at, deferred";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM " + TABLE;

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        OffsetDateTime finished = rs.getObject(8, OffsetDateTime.class);
        java.sql.Array deferred = rs.getArray(9);
        return new Checkpoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getObject(7, OffsetDateTime.class).toInstant(),
                finished == null ? null : finished.toInstant(),
                deferred == null ? List.of() : List.of((String[]) deferred.getArray()));
    }

    @Override
    public Checkpoint begin(Table target, long totalRows, boolean deferConstraints) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                Checkpoint checkpoint;
                boolean fresh;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " AS b (table_name, state, "
                        + "rows_total) VALUES (?, 'copying', ?) ON CONFLICT (table_name) DO UPDATE SET rows_total = "
                        + "EXCLUDED.rows_total, updated_at = now() RETURNING " + COLUMNS + ", xmax = 0")) {
                    ps.setString(1, target.name());
                    ps.setLong(2, totalRows);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        checkpoint = checkpoint(rs);
                        fresh = rs.getBoolean(10); // inserted now, not found
                    }
                }
                if (fresh && deferConstraints) {
                    List<String> deferred = defer(c, target);
                    if (!deferred.isEmpty()) {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET deferred = ? "
                                + "WHERE table_name = ?")) {
                            ps.setArray(1, c.createArrayOf("text", deferred.toArray()));
                            ps.setString(2, target.name());
                            ps.executeUpdate();
                        }
                        checkpoint = new Checkpoint(checkpoint.table(), checkpoint.state(), checkpoint.cursor(),
                                checkpoint.rowsRead(), checkpoint.rowsInserted(), checkpoint.rowsTotal(),
                                checkpoint.startedAt(), checkpoint.finishedAt(), deferred);
                    }
                }
                c.commit();
                return checkpoint;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            catalog.invalidate();
            throw PgErrors.translate(store, "starting the backfill of " + target.name(), e);
        }
    }

    /**
     * Drops the table's indexes that are neither unique nor owned by a constraint, and its foreign
     * keys; returns the SQL that creates them again: the indexes first, then each foreign key added
     * unvalidated and validated. Unique indexes stay: they refuse a row at once, as they should.
     */
    private static List<String> defer(Connection c, Table target) throws SQLException {
        String table = PostgresCatalog.quote(target.name());
        lockForDdl(c, target.name());
        List<String> restore = new ArrayList<>();
        List<String> drop = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indexrelid::regclass::text, pg_get_indexdef("
                + "i.indexrelid) FROM pg_index i WHERE i.indrelid = ?::regclass AND NOT i.indisprimary AND NOT i.indisunique "
                + "AND NOT EXISTS "
                + "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    drop.add("DROP INDEX " + rs.getString(1));
                    restore.add(rs.getString(2));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM "
                + "pg_constraint WHERE conrelid = ?::regclass AND contype = 'f' ORDER BY conname")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    drop.add("ALTER TABLE " + table + " DROP CONSTRAINT " + rs.getString(1));
                    restore.add("ALTER TABLE " + table + " ADD CONSTRAINT " + rs.getString(1) + " " + rs.getString(2)
                            + " NOT VALID");
                    restore.add("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + rs.getString(1));
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String statement : drop) {
                s.execute(statement);
            }
        }
        if (!drop.isEmpty()) {
            log.info("backfill: {}: {} indexes and foreign keys dropped for the copy, created again when the tables it "
                    + "links are copied: {}", target.name(), drop.size(), restore);
        }
        return restore;
    }

    /**
     * DDL on a table also locks the tables its foreign keys reference; a sync that wrote one of them
     * and waits for the other would deadlock with it. So first the backfill locks of all of them,
     * exclusive and in the order every sync takes them shared: a sync that got them finishes before
     * the DDL starts, and one that did not waits before it touches a table.
     */
    private static void lockForDdl(Connection c, String table) throws SQLException {
        List<String> tables = new ArrayList<>(List.of(table));
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT p.relname FROM pg_constraint k JOIN pg_class p "
                + "ON p.oid = k.confrelid WHERE k.conrelid = ?::regclass AND k.contype = 'f'")) {
            ps.setString(1, PostgresCatalog.quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, l.h) FROM (SELECT DISTINCT "
                + "hashtext(t) AS h FROM unnest(?::text[]) AS t) AS l ORDER BY l.h")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // each row is one lock taken
                }
            }
        }
    }

    @Override
    public void restore(Table target) {
        List<String> deferred;
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT deferred FROM "
                + TABLE + " WHERE table_name = ?")) {
            ps.setString(1, target.name());
            try (ResultSet rs = ps.executeQuery()) {
                java.sql.Array a = rs.next() ? rs.getArray(1) : null;
                deferred = a == null ? List.of() : new ArrayList<>(List.of((String[]) a.getArray()));
            }
        } catch (SQLException e) {
            throw PgErrors.translate(store, "reading what the backfill of " + target.name() + " deferred", e);
        }
        // one statement at a time, each remembered done: a foreign key that does not hold stays for the next try
        while (!deferred.isEmpty()) {
            String statement = deferred.get(0);
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement(); PreparedStatement done = c.prepareStatement("UPDATE " + TABLE
                        + " SET deferred = deferred[2:] WHERE table_name = ?")) {
                    lockForDdl(c, target.name());
                    s.execute(statement.startsWith("CREATE") ? statement.replaceFirst("^CREATE (UNIQUE )?INDEX ",
                            "CREATE $1INDEX IF NOT EXISTS ") : statement);
                    done.setString(1, target.name());
                    done.executeUpdate();
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                catalog.invalidate();
                ProxyException failure = PgErrors.translate(store, "restoring " + statement, e);
                throw new ProxyException(failure.state(), failure.getMessage(), failure.detail(), statement
                        .contains("VALIDATE") ? "rows of " + target.name() + " reference rows that are not in the new "
                        + "store: find them with bin/tandem verify --repair, then run the backfill again (it retries "
                        + "this)" : "run the backfill again: it retries this", false, e);
            }
            deferred.remove(0);
        }
    }

    @Override
    public Loaded load(Table target, Supplier<Batch> source) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                    lock.setInt(1, LOCK_CLASS);
                    lock.setString(2, target.name());
                    lock.execute();
                }
                Batch batch = source.get(); // read from the old store now, while no sync of the table can run
                int inserted = batch.rows().isEmpty() ? 0 : insertMissing(c, target, batch.rows());
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET cursor = ?, rows_read = "
                        + "rows_read + ?, rows_inserted = rows_inserted + ?, updated_at = now() WHERE table_name = ?")) {
                    ps.setString(1, batch.cursor());
                    ps.setLong(2, batch.rows().size());
                    ps.setLong(3, inserted);
                    ps.setString(4, target.name());
                    ps.executeUpdate();
                }
                c.commit();
                return new Loaded(batch.rows().size(), inserted, batch.cursor());
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException gone) {
                    // the connection is gone, and its transaction with it
                }
                throw e;
            }
        } catch (SQLException e) {
            catalog.invalidate();
            throw PgErrors.translate(store, "loading a batch of " + target.name(), e);
        }
    }

    private int insertMissing(Connection c, Table target, List<Object[]> rows) throws SQLException {
        List<Integer> writable = new ArrayList<>();
        boolean overriding = false;
        for (int i = 0; i < target.columns().size(); i++) {
            PostgresCatalog.ColumnInfo info = catalog.column(c, target.name(), target.columns().get(i).name());
            if (!info.generated()) {
                writable.add(i);
                overriding |= info.identityAlways();
            }
        }
        String columns = String.join(", ", writable.stream().map(i -> PostgresCatalog.quote(
                target.columns().get(i).name())).toList());
        String table = PostgresCatalog.quote(target.name());
        if (!anyPresent(c, target, rows)) {
            // none of these keys is in the table, and no sync can add one before this commits: straight in
            copyIn(c, table, columns, binary(target, writable, rows));
            return rows.size();
        }
        String stage = PostgresCatalog.quote("tandem_stage_" + Integer.toHexString(target.name().hashCode()));
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS " + stage + " ON COMMIT DELETE ROWS AS SELECT " + columns
                    + " FROM " + PostgresCatalog.quote(target.name()) + " WITH NO DATA");
        }
        copyIn(c, stage, columns, binary(target, writable, rows));
        try (Statement s = c.createStatement()) {
            return s.executeUpdate("INSERT INTO " + table + " (" + columns + ")"
                    + (overriding ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns + " FROM " + stage
                    + " ON CONFLICT (" + String.join(", ", target.key().stream().map(PostgresCatalog::quote).toList())
                    + ") DO NOTHING");
        }
    }

    /** Whether the table has a row with any of these rows' keys (the mirror wrote it): one index probe each. */
    private boolean anyPresent(Connection c, Table target, List<Object[]> rows) throws SQLException {
        int[] keyIndex = target.keyPositions();
        List<Key> batchKeys = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            batchKeys.add(Key.at(row, keyIndex));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + PostgresCatalog.quote(
                target.name()) + " WHERE " + keys.keyMatch(c, target, "IN") + ")")) {
            PostgresRowReader.bindKeys(c, ps, 1, target.keyColumns(), batchKeys);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void copyIn(Connection c, String table, String columns, byte[] rows) throws SQLException {
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + columns + ") FROM STDIN "
                    + "(FORMAT binary)", new java.io.ByteArrayInputStream(rows));
        } catch (IOException e) {
            throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), "08006", e);
        }
    }

    /** The rows in COPY's binary format, each value as the column type's send function writes it. */
    private static byte[] binary(Table target, List<Integer> writable, List<Object[]> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + rows.size() * 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(COPY_SIGNATURE);
            out.writeInt(0); // flags
            out.writeInt(0); // header extension
            for (Object[] row : rows) {
                out.writeShort(writable.size());
                for (int i : writable) {
                    byte[] value = PgValues.encodeBinary(target.columns().get(i).type(), row[i]);
                    if (value == null) {
                        out.writeInt(-1);
                    } else {
                        out.writeInt(value.length);
                        out.write(value);
                    }
                }
            }
            out.writeShort(-1);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    @Override
    public void finish(Table target) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            for (PostgresCatalog.ColumnInfo info : catalog.columns(c, target.name()).values()) {
                if (info.sequence() == null) {
                    continue;
                }
                // past the highest copied value, never backwards (the mirror may have moved it further)
                try (PreparedStatement ps = c.prepareStatement("SELECT setval(?::regclass, m) FROM (SELECT max("
                        + PostgresCatalog.quote(info.name()) + ")::int8 AS m FROM " + PostgresCatalog.quote(target.name())
                        + ") x WHERE m > COALESCE(pg_sequence_last_value(?::regclass), 0)")) {
                    ps.setString(1, info.sequence());
                    ps.setString(2, info.sequence());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            log.info("backfill: sequence {} of {} moved to {}, past the highest copied value",
                                    info.sequence(), target.name(), rs.getLong(1));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET state = 'done', finished_at = now(), "
                    + "updated_at = now() WHERE table_name = ?")) {
                ps.setString(1, target.name());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw PgErrors.translate(store, "finishing the backfill of " + target.name(), e);
        }
    }

    @Override
    public void reset() {
        for (Checkpoint checkpoint : checkpoints().values()) {
            if (!checkpoint.deferred().isEmpty()) {
                restore(new Table(checkpoint.table(), List.of(), List.of(), List.of(), List.of()));
            }
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + TABLE);
        } catch (SQLException e) {
            throw PgErrors.translate(store, "forgetting the backfill's checkpoints", e);
        }
    }
}
