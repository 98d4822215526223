package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.mirror.Column;
import tandem.core.mirror.ForeignKeyOrder;
import tandem.core.mirror.Key;
import tandem.core.mirror.KeyCodec;
import tandem.core.mirror.RowWriter;
import tandem.core.mirror.Table;

/**
 * Writes row images by key into a PostgreSQL store, one transaction per {@link #apply}:
 * <ol>
 * <li>locks every key with {@code pg_advisory_xact_lock(hashtextextended('<table>:<canonical
 * key>', 0))}, all in one statement in ascending order of the lock's number, so two writers
 * never wait on each other in a cycle, across tandem replicas too;
 * <li>asks the {@link ImageSource} for the images (the caller reads them from the primary now,
 * while the locks are held);
 * <li>upserts the rows it got, parents before children by foreign key ({@code INSERT ... ON
 * CONFLICT (key) DO UPDATE SET every column = EXCLUDED.column}, many rows per statement, so a
 * row referring to another row of the same table in the same batch is checked at the statement's
 * end), and deletes the keys it did not get, children before parents;
 * <li>replays the statements of keyless tables; advances sequences; commits.
 * </ol>
 *
 * <p><b>Sequences.</b> Rows arrive with the primary's ids, so a serial or identity column's
 * sequence in this store is never used and would hand out ids that already exist once
 * applications write here directly (after cutover). When an upserted id passes the highest value
 * this writer knows the sequence to have, the sequence is moved to that id plus
 * {@link #SEQUENCE_HEADROOM} within the transaction, under an advisory lock of its own so that
 * concurrent writers never move it back. So a table that gains rows costs one extra statement per
 * thousand new ids, and ids handed out after cutover may skip up to a thousand numbers, as
 * sequences skip numbers anyway.
 */
final class PostgresRowWriter implements RowWriter {

    private static final Logger log = LoggerFactory.getLogger(PostgresRowWriter.class);

    /** PostgreSQL takes at most 65535 parameters per statement; stay well below. */
    private static final int MAX_PARAMETERS = 30_000;
    private static final int MAX_ROWS_PER_STATEMENT = 500;
    static final long SEQUENCE_HEADROOM = 1000;

    private final String store;
    private final DataSource pool;
    private final PostgresCatalog catalog;
    private final PostgresRowReader keys;
    /** The highest value each sequence is known to have reached: below it, no advance is needed. */
    private final Map<String, Long> sequenceHighWater = new ConcurrentHashMap<>();

    PostgresRowWriter(String store, DataSource pool, PostgresCatalog catalog, PostgresRowReader keys) {
        this.store = store;
        this.pool = pool;
        this.catalog = catalog;
        this.keys = keys;
    }

    @Override
    public void apply(Map<Table, Set<Key>> keysByTable, ImageSource images, List<Replay> statements) {
        boolean nothing = keysByTable.values().stream().allMatch(Set::isEmpty);
        if (nothing && statements.isEmpty()) {
            return;
        }
        List<Table> parentsFirst = ForeignKeyOrder.parentsFirst(keysByTable.keySet());
        int rows = keysByTable.values().stream().mapToInt(Set::size).sum();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c, keysByTable);
                Map<Table, Set<Key>> wanted = new LinkedHashMap<>();
                for (Table table : parentsFirst) {
                    if (!keysByTable.get(table).isEmpty()) {
                        wanted.put(table, keysByTable.get(table));
                    }
                }
                Map<Table, Map<Key, Object[]>> got = new LinkedHashMap<>();
                if (!wanted.isEmpty()) {
                    Map<Table, Map<Key, Object[]>> read = images.readAll(wanted);
                    for (Map.Entry<Table, Set<Key>> e : wanted.entrySet()) {
                        Map<Key, Object[]> image = read.get(e.getKey());
                        if (image == null) {
                            throw new IllegalStateException("no images of " + e.getKey().name() + " were read");
                        }
                        got.put(e.getKey(), checked(e.getKey(), e.getValue(), image));
                    }
                }
                Map<String, Long> sequenceMax = new HashMap<>();
                List<Step> steps = new ArrayList<>();
                for (Table table : parentsFirst) {
                    Map<Key, Object[]> image = got.get(table);
                    if (image != null && !image.isEmpty()) {
                        upsert(c, table, image.values(), sequenceMax, steps);
                    }
                }
                List<Table> childrenFirst = new ArrayList<>(parentsFirst);
                Collections.reverse(childrenFirst);
                for (Table table : childrenFirst) {
                    Map<Key, Object[]> image = got.get(table);
                    if (image == null) {
                        continue;
                    }
                    List<Key> gone = keysByTable.get(table).stream().filter(k -> !image.containsKey(k)).toList();
                    if (!gone.isEmpty()) {
                        delete(c, table, gone, steps);
                    }
                }
                execute(c, steps);
                for (Replay replay : statements) {
                    replay(c, replay);
                }
                advanceSequences(c, sequenceMax);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            catalog.invalidate();
            throw PgErrors.translate(store, "syncing " + rows + " rows of " + names(parentsFirst)
                    + (statements.isEmpty() ? "" : " and " + statements.size() + " statements"), e);
        }
    }

    private static List<String> names(List<Table> tables) {
        return tables.stream().map(Table::name).toList();
    }

    private static Map<Key, Object[]> checked(Table table, Set<Key> wanted, Map<Key, Object[]> image) {
        for (Map.Entry<Key, Object[]> e : image.entrySet()) {
            if (!wanted.contains(e.getKey())) {
                throw new IllegalStateException("image of " + table.name() + " has key " + e.getKey()
                        + ", which was not asked for");
            }
            if (e.getValue().length != table.columns().size()) {
                throw new IllegalStateException("image of " + table.name() + " key " + e.getKey() + " has "
                        + e.getValue().length + " values for " + table.columns().size() + " columns");
            }
        }
        return image;
    }

    // ---------------------------------------------------------------- locks

    /**
     * One statement takes all locks, ordered by the lock numbers themselves (since PostgreSQL 9.6
     * a volatile function in the select list runs after ORDER BY has sorted the rows), so
     * colliding hashes of different keys still lock in one global order. First, shared, each
     * table's backfill lock: a backfill batch takes it exclusively while it reads and loads its rows
     * (see {@link PostgresBatchLoader}), so a sync never runs in the middle of one.
     */
    private void lock(Connection c, Map<Table, Set<Key>> keysByTable) throws SQLException {
        Set<String> texts = new TreeSet<>();
        Set<String> tables = new TreeSet<>();
        keysByTable.forEach((table, keys) -> {
            List<Column> keyColumns = table.keyColumns();
            for (Key key : keys) {
                texts.add(lockText(table.name(), keyColumns, key));
            }
            if (!keys.isEmpty()) {
                tables.add(table.name());
            }
        });
        if (texts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN l.backfill THEN "
                + "pg_advisory_xact_lock_shared(?, l.h::int4)::text ELSE pg_advisory_xact_lock(l.h)::text END FROM "
                + "(SELECT DISTINCT true AS backfill, hashtext(t)::int8 AS h FROM unnest(?::text[]) AS t UNION ALL "
                + "SELECT DISTINCT false, hashtextextended(t, 0) FROM unnest(?::text[]) AS t) AS l "
                + "ORDER BY l.backfill DESC, l.h")) {
            ps.setInt(1, PostgresBatchLoader.LOCK_CLASS);
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            ps.setArray(3, c.createArrayOf("text", texts.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // each row is one lock taken
                }
            }
        }
    }

    /** {@code <table>:<canonical key>}: the same text for the same row on every replica, whichever store the key came from. */
    static String lockText(String table, List<Column> keyColumns, Key key) {
        return table + ":" + KeyCodec.canonical(keyColumns, key);
    }

    // ---------------------------------------------------------------- upsert and delete

    private void upsert(Connection c, Table table, java.util.Collection<Object[]> rows, Map<String, Long> sequenceMax,
            List<Step> steps) throws SQLException {
        List<Integer> writable = new ArrayList<>();
        boolean overriding = false;
        for (int i = 0; i < table.columns().size(); i++) {
            PostgresCatalog.ColumnInfo info = catalog.column(c, table.name(), table.columns().get(i).name());
            if (!info.generated()) {
                writable.add(i);
                overriding |= info.identityAlways();
            }
        }
        Set<String> key = new LinkedHashSet<>();
        table.key().forEach(k -> key.add(k.toLowerCase(Locale.ROOT)));
        List<String> set = new ArrayList<>();
        StringBuilder head = new StringBuilder("INSERT INTO ").append(PostgresCatalog.quote(table.name())).append(" (");
        StringBuilder tuple = new StringBuilder("(");
        for (int n = 0; n < writable.size(); n++) {
            Column column = table.columns().get(writable.get(n));
            PostgresCatalog.ColumnInfo info = catalog.column(c, table.name(), column.name());
            String name = PostgresCatalog.quote(column.name());
            head.append(n == 0 ? "" : ", ").append(name);
            tuple.append(n == 0 ? "" : ", ").append("CAST(? AS ").append(info.castType()).append(')');
            if (!key.contains(column.name().toLowerCase(Locale.ROOT)) && !info.identityAlways()) {
                set.add(name + " = EXCLUDED." + name);
            }
        }
        head.append(')').append(overriding ? " OVERRIDING SYSTEM VALUE" : "").append(" VALUES ");
        tuple.append(')');
        String conflict = " ON CONFLICT (" + String.join(", ", table.key().stream().map(PostgresCatalog::quote).toList())
                + ") " + (set.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", set));
        int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, MAX_PARAMETERS / Math.max(1, writable.size())));
        List<Object[]> all = new ArrayList<>(rows);
        String[] sequences = new String[table.columns().size()];
        for (int i : writable) {
            sequences[i] = catalog.column(c, table.name(), table.columns().get(i).name()).sequence();
        }
        for (Object[] row : all) {
            for (int i : writable) {
                if (sequences[i] != null && row[i] instanceof Number n) {
                    sequenceMax.merge(sequences[i], n.longValue(), Math::max);
                }
            }
        }
        for (int from = 0; from < all.size(); from += perStatement) {
            List<Object[]> chunk = all.subList(from, Math.min(all.size(), from + perStatement));
            String sql = head + String.join(", ", Collections.nCopies(chunk.size(), tuple)) + conflict;
            steps.add(new Step(sql, chunk.size() * writable.size(), (ps, first) -> {
                int p = first;
                for (Object[] row : chunk) {
                    for (int i : writable) {
                        PgJdbcValues.bind(ps, p++, table.columns().get(i).type(), row[i]);
                    }
                }
                return p;
            }));
        }
    }

    private void delete(Connection c, Table table, List<Key> gone, List<Step> steps) throws SQLException {
        String sql = "DELETE FROM " + PostgresCatalog.quote(table.name()) + " WHERE " + keys.keyMatch(c, table, "IN");
        for (int from = 0; from < gone.size(); from += PostgresRowReader.BATCH) {
            List<Key> batch = gone.subList(from, Math.min(gone.size(), from + PostgresRowReader.BATCH));
            steps.add(new Step(sql, table.keyColumns().size(), (ps, first) ->
                    PostgresRowReader.bindKeys(ps.getConnection(), ps, first, table.keyColumns(), batch)));
        }
    }

    /** One statement of the sync's writes: its text, how many parameters it takes, and how to bind them. */
    private record Step(String sql, int parameters, Binder binder) {
    }

    private interface Binder {
        /** Binds from parameter {@code first} on; returns the next free parameter. */
        int bind(PreparedStatement ps, int first) throws SQLException;
    }

    /**
     * Runs the steps in order, as few round trips as it can: consecutive steps go as one text of
     * several statements (pgjdbc sends them all, then waits once), up to {@link #MAX_PARAMETERS}
     * parameters each. A failing statement fails the call, and the caller rolls the transaction
     * back.
     */
    private static void execute(Connection c, List<Step> steps) throws SQLException {
        int from = 0;
        while (from < steps.size()) {
            int to = from + 1;
            int parameters = steps.get(from).parameters();
            while (to < steps.size() && parameters + steps.get(to).parameters() <= MAX_PARAMETERS) {
                parameters += steps.get(to).parameters();
                to++;
            }
            List<Step> group = steps.subList(from, to);
            StringBuilder sql = new StringBuilder();
            for (Step step : group) {
                sql.append(sql.isEmpty() ? "" : ";\n").append(step.sql());
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (Step step : group) {
                    p = step.binder().bind(ps, p);
                }
                ps.execute();
                while (ps.getMoreResults() || ps.getUpdateCount() != -1) {
                    // each statement's count: nothing to do with it, but every result is consumed
                }
            }
            from = to;
        }
    }

    private static void replay(Connection c, Replay replay) throws SQLException {
        ReplayStatement statement = ReplayStatement.of(replay);
        try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
            for (int i = 0; i < statement.parameters().size(); i++) {
                ReplayStatement.bind(ps, i + 1, statement.parameters().get(i));
            }
            ps.execute();
        }
    }

    // ---------------------------------------------------------------- sequences

    private void advanceSequences(Connection c, Map<String, Long> sequenceMax) throws SQLException {
        for (Map.Entry<String, Long> e : sequenceMax.entrySet()) {
            String sequence = e.getKey();
            long max = e.getValue();
            Long known = sequenceHighWater.get(sequence);
            if (known != null && max <= known) {
                continue;
            }
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "tandem sequence " + sequence);
                lock.execute();
            }
            // the sequence's last value, or one step before its start when never used; moved only forward
            try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN s.seqincrement > 0 AND ?::int8 > "
                    + "COALESCE(pg_sequence_last_value(s.seqrelid), s.seqstart - 1) AND ?::int8 < s.seqmax "
                    + "THEN setval(s.seqrelid, LEAST(s.seqmax, ?::int8 + ?::int8)) "
                    + "ELSE COALESCE(pg_sequence_last_value(s.seqrelid), s.seqstart - 1) END "
                    + "FROM pg_sequence s WHERE s.seqrelid = ?::regclass")) {
                ps.setLong(1, max);
                ps.setLong(2, max);
                ps.setLong(3, max);
                ps.setLong(4, SEQUENCE_HEADROOM);
                ps.setString(5, sequence);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long now = rs.getLong(1);
                        sequenceHighWater.merge(sequence, now, Math::max);
                        if (now > max) {
                            log.debug("advanced sequence {} of store {} to {} (highest mirrored id {})", sequence, store,
                                    now, max);
                        }
                    }
                }
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the connection is gone, and its transaction with it
        }
    }

    @Override
    public String toString() {
        return "PostgresRowWriter[" + store + "]";
    }
}
