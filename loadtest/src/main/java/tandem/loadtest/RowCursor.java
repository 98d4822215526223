package tandem.loadtest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tandem.core.type.PgType;
import tandem.core.verify.Equivalence;
import tandem.core.verify.KeyOrder;

/**
 * One side of a table's merge: its rows streamed in key order (never the whole table in memory),
 * each with its key in canonical form, checked to arrive in strictly rising key order — a store
 * that sorts its keys otherwise than the new store's key type would make the merge pair the wrong
 * rows, so that is reported rather than compared.
 */
final class RowCursor implements AutoCloseable {

    /** Rows at a time from PostgreSQL: enough to keep round trips rare, few enough to keep memory flat. */
    private static final int FETCH_SIZE = 1_000;

    /** A row's values in the audit's column order, and its key as canonical values. */
    record Row(Object[] values, List<Object> key) {
    }

    /** The store hands over keys the merge cannot follow. */
    static final class OrderProblem extends Exception {
        private static final long serialVersionUID = 1L;

        OrderProblem(String message) {
            super(message);
        }
    }

    private final String side;
    private final Statement statement;
    private final ResultSet rs;
    private final boolean sqlite;
    private final String[] typeNames;
    private final int[] keyPositions;
    private final List<PgType> keyTypes;
    private List<Object> previous;
    private long count;

    /**
     * @param side "old" or "new", for messages
     * @param keyPositions positions of the key columns among {@code columns}
     * @param keyTypes the new store's types of the key columns, in which both sides' keys are ordered
     * @param textKeys for each key column, whether this store must sort it by byte ("C" collation)
     */
    RowCursor(String side, Connection c, boolean sqlite, String table, List<String> columns, int[] keyPositions,
            List<PgType> keyTypes, boolean[] textKeys) throws SQLException {
        this.side = side;
        this.sqlite = sqlite;
        this.keyPositions = keyPositions;
        this.keyTypes = keyTypes;
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quote(columns.get(i)));
        }
        sql.append(" FROM ").append(quote(table)).append(" ORDER BY ");
        for (int k = 0; k < keyPositions.length; k++) {
            sql.append(k == 0 ? "" : ", ").append(quote(columns.get(keyPositions[k])));
            // SQLite's default collation is already byte order; PostgreSQL's follows the database's locale
            if (textKeys[k] && !sqlite) {
                sql.append(" COLLATE \"C\"");
            }
        }
        this.statement = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(FETCH_SIZE);
        this.rs = statement.executeQuery(sql.toString());
        ResultSetMetaData md = rs.getMetaData();
        this.typeNames = new String[columns.size()];
        for (int i = 0; i < typeNames.length; i++) {
            typeNames[i] = md.getColumnTypeName(i + 1).toLowerCase(Locale.ROOT);
        }
    }

    /** The next row, or null at the end. */
    Row next() throws SQLException, OrderProblem {
        if (!rs.next()) {
            return null;
        }
        count++;
        Object[] values = new Object[typeNames.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = sqlite ? rs.getObject(i + 1) : postgresValue(i + 1, typeNames[i]);
        }
        List<Object> key = new ArrayList<>(keyPositions.length);
        for (int k = 0; k < keyPositions.length; k++) {
            Object raw = values[keyPositions[k]];
            Object canonical = Equivalence.canonical(keyTypes.get(k), raw);
            if (raw == null || canonical instanceof Equivalence.Unreadable) {
                throw new OrderProblem("the " + side + " store's key " + Equivalence.show(raw) + " does not read as "
                        + (keyTypes.get(k) == null ? "a key" : keyTypes.get(k).sqlName()) + "; compared up to it");
            }
            key.add(canonical);
        }
        if (previous != null) {
            int order;
            try {
                order = KeyOrder.compare(previous, key);
            } catch (IllegalArgumentException e) {
                throw new OrderProblem("the " + side + " store's keys cannot be ordered: " + e.getMessage());
            }
            if (order >= 0) {
                throw new OrderProblem("the " + side + " store gives key " + key + (order == 0 ? " twice (as the new "
                        + "store's key type reads it)" : " after " + previous + ", out of the new store's key order")
                        + "; compared up to it");
            }
        }
        previous = key;
        return new Row(values, key);
    }

    long count() {
        return count;
    }

    /** Reads the rest to count it, after the merge had to stop. */
    long drain() throws SQLException {
        while (rs.next()) {
            count++;
        }
        return count;
    }

    /** PostgreSQL values in java.time and plain Java forms; what Equivalence does not know arrives as text. */
    private Object postgresValue(int i, String typeName) throws SQLException {
        return switch (typeName) {
            case "timestamp" -> rs.getObject(i, LocalDateTime.class);
            case "timestamptz" -> rs.getObject(i, OffsetDateTime.class);
            case "date" -> rs.getObject(i, LocalDate.class);
            case "time" -> rs.getObject(i, LocalTime.class);
            case "json", "jsonb", "interval", "money" -> rs.getString(i);
            case "bytea" -> rs.getBytes(i);
            default -> {
                if (typeName.startsWith("_")) {
                    Array a = rs.getArray(i);
                    yield a == null ? null : a.getArray();
                }
                yield rs.getObject(i);
            }
        };
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() throws SQLException {
        try {
            rs.close();
        } finally {
            statement.close();
        }
    }
}
