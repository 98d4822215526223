package tandem.adapters.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import tandem.core.store.SqlSession;

/**
 * The rows of a statement running on SQLite, read forward as the client fetches them.
 *
 * <p>Columns without a declared type are typed by their first value (SQLite types values, not
 * expressions), so for reads {@link #columns()} steps to the first row and keeps it for
 * {@link #next()}. Statements that write keep the types Describe reported before they ran.
 */
final class RowsCursor implements SqlSession.Cursor {

    private final SqliteSession session;
    final Lease lease;
    final ConnectionState.Cached cached;
    private final ResultSet rs;
    private final SqliteStatement statement;
    private final ColumnType[] types;
    private List<SqlSession.Column> columns;
    private boolean settled;
    private boolean peeked;
    private boolean done;
    private long rows;
    /** The session's handle on this statement for cancel and statement_timeout. */
    final Object token;

    RowsCursor(SqliteSession session, Lease lease, ConnectionState.Cached cached, ResultSet rs,
            SqliteStatement statement, Object token) {
        this.token = token;
        this.session = session;
        this.lease = lease;
        this.cached = cached;
        this.rs = rs;
        this.statement = statement;
        this.types = statement.columnTypes.toArray(new ColumnType[0]);
        this.columns = statement.columns;
    }

    @Override
    public List<SqlSession.Column> columns() {
        settle();
        return columns;
    }

    private void settle() {
        if (settled) {
            return;
        }
        settled = true;
        if (!statement.readOnly() || done) {
            return;
        }
        boolean anyByValue = false;
        for (ColumnType t : types) {
            anyByValue |= t.decidedByValue();
        }
        if (!anyByValue) {
            return;
        }
        peeked = step();
        List<SqlSession.Column> typed = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            if (types[i].decidedByValue()) {
                types[i] = types[i].settle(peeked ? raw(i) : null);
            }
            SqlSession.Column c = statement.columns.get(i);
            typed.add(new SqlSession.Column(c.name(), types[i].type(), c.tableOid(), c.columnNumber()));
        }
        columns = List.copyOf(typed);
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        settle();
        if (peeked) {
            peeked = false;
            rows++;
            return true;
        }
        if (done) {
            return false;
        }
        if (step()) {
            rows++;
            return true;
        }
        return false;
    }

    private boolean step() {
        try {
            if (rs.next()) {
                return true;
            }
        } catch (SQLException e) {
            throw session.statementFailed(this, e);
        }
        finish();
        return false;
    }

    @Override
    public Object value(int column) {
        ColumnType type = types[column];
        if (!statement.readOnly() && type.basis() == ColumnType.Basis.UNKNOWN) {
            type = ColumnType.UNKNOWN; // reported as text before it ran: every value goes out as text
        }
        return StoredValues.convert(raw(column), type, statement.columnTables == null ? null
                : statement.columnTables.get(column), statement.columns.get(column).name());
    }

    private Object raw(int column) {
        try {
            return rs.getObject(column + 1);
        } catch (SQLException e) {
            throw session.statementFailed(this, e);
        }
    }

    @Override
    public String commandTag() {
        return SqliteSession.tag(statement.command(), rows);
    }

    @Override
    public void close() {
        finish();
    }

    /** Resets the SQLite statement and gives it back to its connection's cache. Idempotent. */
    void finish() {
        if (done) {
            return;
        }
        done = true;
        peeked = false;
        try {
            rs.close();
        } catch (SQLException ignored) {
            // the statement is reset on its next use anyway
        }
        session.cursorFinished(this);
    }
}
