package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.RowWriter;
import tandem.core.store.ReadQueries;
import tandem.core.store.SqlSession;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * tandem's own reads on a PostgreSQL store, on a small pool of their own whose connections ask
 * for every value as text: text is what {@link PgValues} parses exactly, whatever the type, and it
 * keeps the store's pool for syncs free of settings only reads want.
 */
final class PostgresReadQueries implements ReadQueries, AutoCloseable {

    private static final int FETCH_SIZE = 1_000;

    private final String store;
    private final HikariDataSource pool;

    /** @param hikari the store's base pool settings, which this pool completes */
    PostgresReadQueries(String store, HikariConfig hikari) {
        this.store = store;
        // a client waits while a read is routed here: keep a connection ready rather than log in on its time
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(false);
        hikari.setReadOnly(true);
        hikari.addDataSourceProperty("ApplicationName", "tandem-reads");
        hikari.addDataSourceProperty("binaryTransfer", "false");
        hikari.addDataSourceProperty("prepareThreshold", "0");
        hikari.addDataSourceProperty("options", "-c TimeZone=UTC -c DateStyle=ISO -c extra_float_digits=1");
        this.pool = new HikariDataSource(hikari);
    }

    @Override
    public SqlSession.Cursor query(String sql, List<Object> parameters) {
        ReplayStatement statement = ReplayStatement.of(new RowWriter.Replay(sql, parameters));
        Connection c = null;
        try {
            c = pool.getConnection();
            PreparedStatement ps = c.prepareStatement(statement.sql());
            ps.setFetchSize(FETCH_SIZE);
            for (int i = 0; i < statement.parameters().size(); i++) {
                ReplayStatement.bind(ps, i + 1, statement.parameters().get(i));
            }
            ResultSet rs = ps.executeQuery();
            return new JdbcCursor(c, rs, columns(rs.getMetaData()));
        } catch (SQLException e) {
            closeQuietly(c);
            throw PgErrors.translate(store, "running a read", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static List<SqlSession.Column> columns(ResultSetMetaData md) throws SQLException {
        List<SqlSession.Column> columns = new ArrayList<>(md.getColumnCount());
        for (int i = 1; i <= md.getColumnCount(); i++) {
            PgType type = PgType.byTypname(md.getColumnTypeName(i));
            if (type == null) {
                throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "column " + md.getColumnLabel(i) + " is of type "
                        + md.getColumnTypeName(i) + ", which tandem does not compare or convert");
            }
            columns.add(new SqlSession.Column(md.getColumnLabel(i), type, 0, (short) 0));
        }
        return columns;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.rollback();
                c.close();
            } catch (SQLException ignored) {
                // the connection is broken; Hikari drops it
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private final class JdbcCursor implements SqlSession.Cursor {
        private final Connection connection;
        private final ResultSet rs;
        private final List<SqlSession.Column> columns;
        private long rows;

        JdbcCursor(Connection connection, ResultSet rs, List<SqlSession.Column> columns) {
            this.connection = connection;
            this.rs = rs;
            this.columns = columns;
        }

        @Override
        public List<SqlSession.Column> columns() {
            return columns;
        }

        @Override
        public boolean next() {
            try {
                boolean more = rs.next();
                if (more) {
                    rows++;
                }
                return more;
            } catch (SQLException e) {
                throw PgErrors.translate(store, "reading the rows of a read", e);
            }
        }

        @Override
        public Object value(int column) {
            try {
                String text = rs.getString(column + 1);
                return text == null ? null : PgValues.decodeText(columns.get(column).type(), text,
                        PgSessionSettings.DEFAULT);
            } catch (SQLException e) {
                throw PgErrors.translate(store, "reading the rows of a read", e);
            }
        }

        @Override
        public String commandTag() {
            return "SELECT " + rows;
        }

        @Override
        public void close() {
            closeQuietly(connection);
        }
    }
}
