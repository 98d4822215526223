package tandem.loadtest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.type.PgType;

/**
 * Compares every row of every table between the old store (SQLite or PostgreSQL) and the new one
 * (PostgreSQL): both read in primary-key order and merged, never a whole table in memory; each
 * pair of rows compared column by column with {@link tandem.core.verify.Equivalence} in the new
 * store's column types, so that a row that differs only in how a store represents a value (0/1 for
 * a boolean, text for a uuid or a timestamp, key order in json) is no difference.
 *
 * <p>Each store is read in one read-only snapshot, so a table read during writes compares as it
 * was at one moment on each side; the two moments differ, so audit a quiet pair of stores (after
 * the load stops and the mirror drains) for an exact answer.
 *
 * <pre>{@code
 * AuditResult r = Audit.compare(StoreEndpoint.of("jdbc:sqlite:/data/app.db"),
 *         new StoreEndpoint("jdbc:postgresql://127.0.0.1/app", "postgres", null), List.of());
 * if (!r.clean()) System.out.print(r.describe());
 * }</pre>
 */
public final class Audit {

    /** Differences kept per table, and keys per kind of missing row: enough to act on, bounded in memory. */
    public static final int DEFAULT_MAX_REPORTED = 100;

    private static final Logger log = LoggerFactory.getLogger(Audit.class);
    private static final Set<PgType> TEXT_TYPES = Set.of(PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.NAME);

    private Audit() {
    }

    /**
     * Compares {@code tables} (every table either store has, when empty) on two stores, through
     * read-only connections of its own.
     *
     * @throws AuditException when a store cannot be read
     */
    public static AuditResult compare(StoreEndpoint oldStore, StoreEndpoint newStore, List<String> tables) {
        return compare(oldStore, newStore, tables, DEFAULT_MAX_REPORTED);
    }

    /** As {@link #compare(StoreEndpoint, StoreEndpoint, List)}, keeping {@code maxReported} differences per table. */
    public static AuditResult compare(StoreEndpoint oldStore, StoreEndpoint newStore, List<String> tables,
            int maxReported) {
        try (Connection o = connect("old", oldStore); Connection n = connect("new", newStore)) {
            return compare(o, n, tables, maxReported);
        } catch (SQLException e) {
            throw new AuditException("closing the audit's connections failed: " + e.getMessage(), e);
        }
    }

    private static Connection connect(String side, StoreEndpoint store) {
        try {
            return store.connectReadOnly();
        } catch (SQLException e) {
            throw new AuditException("cannot connect to the " + side + " store, " + store + ": " + e.getMessage(), e);
        }
    }

    /**
     * Compares {@code tables} (every table either store has, when empty) over connections the caller
     * owns; each is used in a read-only snapshot transaction that is rolled back at the end, and its
     * settings restored.
     *
     * @throws AuditException when a store cannot be read
     */
    public static AuditResult compare(Connection oldStore, Connection newStore, List<String> tables, int maxReported) {
        try (Snapshot o = new Snapshot(oldStore); Snapshot n = new Snapshot(newStore)) {
            StoreCatalog oldCatalog = o.catalog();
            StoreCatalog newCatalog = n.catalog();
            List<String> names = tables.isEmpty() ? allTables(oldCatalog, newCatalog) : tables;
            List<TableAudit> audits = new ArrayList<>();
            for (String table : names) {
                TableAudit audit = table(table, oldStore, oldCatalog, newStore, newCatalog, maxReported);
                log.info("audited {}: {} rows old, {} new, {} matching, {} differing, {} only old, {} only new{}",
                        audit.table(), audit.oldRows(), audit.newRows(), audit.matchingRows(), audit.differingRows(),
                        audit.onlyInOld(), audit.onlyInNew(), audit.problems().isEmpty() ? "" : ", " + audit.problems());
                audits.add(audit);
            }
            return new AuditResult(audits);
        } catch (SQLException e) {
            throw new AuditException("audit failed: " + e.getMessage(), e);
        }
    }

    /** The new store's tables, then any only the old store has. */
    private static List<String> allTables(StoreCatalog oldCatalog, StoreCatalog newCatalog) throws SQLException {
        Set<String> names = new LinkedHashSet<>(newCatalog.tables());
        for (String name : oldCatalog.tables()) {
            if (names.stream().noneMatch(name::equalsIgnoreCase)) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    private static TableAudit table(String table, Connection oldStore, StoreCatalog oldCatalog, Connection newStore,
            StoreCatalog newCatalog, int maxReported) throws SQLException {
        String oldName = oldCatalog.find(table);
        String newName = newCatalog.find(table);
        List<String> problems = new ArrayList<>();
        if (oldName == null || newName == null) {
            long oldRows = oldName == null ? 0 : count(oldStore, oldName);
            long newRows = newName == null ? 0 : count(newStore, newName);
            problems.add(oldName == null && newName == null ? "no such table in either store"
                    : "the table is only in the " + (oldName == null ? "new" : "old") + " store");
            return uncompared(newName != null ? newName : oldName != null ? oldName : table, oldRows, newRows, problems);
        }

        List<StoreCatalog.StoreColumn> newColumns = newCatalog.columns(newName);
        List<StoreCatalog.StoreColumn> oldColumns = oldCatalog.columns(oldName);
        List<String> key = newCatalog.primaryKey(newName);
        List<String> names = new ArrayList<>();
        List<String> oldNames = new ArrayList<>();
        List<PgType> types = new ArrayList<>();
        List<PgType> oldTypes = new ArrayList<>();
        for (StoreCatalog.StoreColumn column : newColumns) {
            StoreCatalog.StoreColumn old = column(oldColumns, column.name());
            if (old == null) {
                problems.add("column " + column.name() + " is only in the new store");
            } else {
                names.add(column.name());
                oldNames.add(old.name());
                types.add(column.type());
                oldTypes.add(old.type());
            }
        }
        for (StoreCatalog.StoreColumn old : oldColumns) {
            if (column(newColumns, old.name()) == null) {
                problems.add("column " + old.name() + " is only in the old store");
            }
        }
        if (key.isEmpty()) {
            problems.add("the table has no primary key in the new store, so its rows cannot be paired; not compared");
            return uncompared(newName, count(oldStore, oldName), count(newStore, newName), problems);
        }
        int[] keyPositions = new int[key.size()];
        for (int k = 0; k < key.size(); k++) {
            keyPositions[k] = indexOf(names, key.get(k));
            if (keyPositions[k] < 0) {
                problems.add("key column " + key.get(k) + " is missing in the old store; not compared");
                return uncompared(newName, count(oldStore, oldName), count(newStore, newName), problems);
            }
        }
        List<PgType> keyTypes = new ArrayList<>();
        boolean[] newTextKeys = new boolean[key.size()];
        boolean[] oldTextKeys = new boolean[key.size()];
        for (int k = 0; k < key.size(); k++) {
            keyTypes.add(types.get(keyPositions[k]));
            newTextKeys[k] = isText(types.get(keyPositions[k]));
            oldTextKeys[k] = isText(oldTypes.get(keyPositions[k]));
        }
        try (RowCursor oldRows = new RowCursor("old", oldStore, oldCatalog.isSqlite(), oldName, oldNames, keyPositions,
                keyTypes, oldTextKeys);
                RowCursor newRows = new RowCursor("new", newStore, newCatalog.isSqlite(), newName, names, keyPositions,
                        keyTypes, newTextKeys)) {
            return new TableMerge(newName, names, types, keyPositions, maxReported).merge(oldRows, newRows, problems);
        }
    }

    private static boolean isText(PgType type) {
        return type != null && TEXT_TYPES.contains(type);
    }

    private static TableAudit uncompared(String table, long oldRows, long newRows, List<String> problems) {
        return new TableAudit(table, oldRows, newRows, 0, 0, 0, 0, List.of(), List.of(), List.of(), problems);
    }

    private static StoreCatalog.StoreColumn column(List<StoreCatalog.StoreColumn> columns, String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    private static int indexOf(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM "
                + RowCursor.quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * One read-only snapshot of a store for the whole audit, so that all of its tables are read
     * as of one moment; the connection's settings are put back afterwards.
     */
    private static final class Snapshot implements AutoCloseable {
        private final Connection c;
        private final boolean autoCommit;
        private final int isolation;
        private final boolean postgres;
        private final StoreCatalog catalog;

        Snapshot(Connection c) throws SQLException {
            this.c = c;
            this.autoCommit = c.getAutoCommit();
            this.isolation = c.getTransactionIsolation();
            this.postgres = !c.getMetaData().getDatabaseProductName().equalsIgnoreCase("SQLite");
            if (postgres) {
                // the isolation level can only change before the transaction's first statement
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            // off, so that PostgreSQL streams rows by fetch size, and SQLite holds one read snapshot
            c.setAutoCommit(false);
            this.catalog = new StoreCatalog(c);
        }

        StoreCatalog catalog() {
            return catalog;
        }

        @Override
        public void close() throws SQLException {
            c.rollback();
            c.setAutoCommit(autoCommit);
            if (postgres) {
                c.setTransactionIsolation(isolation);
            }
        }
    }
}
