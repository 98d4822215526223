package tandem.core.store;

import java.util.List;
import java.util.Map;

/**
 * tandem's own reads on a store it emulates PostgreSQL over: each read runs in a session of its
 * own, in one implicit read-only transaction, so its statement is translated exactly as a
 * client's would be.
 */
public final class SessionReadQueries implements ReadQueries {

    private final Store store;

    public SessionReadQueries(Store store) {
        this.store = store;
    }

    @Override
    public SqlSession.Cursor query(String sql, List<Object> parameters) {
        SqlSession session = store.openSession(new SessionSettings("tandem", "tandem", Map.of()));
        try {
            session.beginBatch(false);
            SqlSession.PreparedSql statement = session.prepare(sql, List.of());
            return new SessionCursor(session, session.execute(statement, parameters));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private record SessionCursor(SqlSession session, SqlSession.Cursor rows) implements SqlSession.Cursor {

        @Override
        public List<SqlSession.Column> columns() {
            return rows.columns();
        }

        @Override
        public boolean next() {
            return rows.next();
        }

        @Override
        public Object value(int column) {
            return rows.value(column);
        }

        @Override
        public String commandTag() {
            return rows.commandTag();
        }

        @Override
        public void close() {
            try {
                rows.close();
                session.endBatch(false);
            } finally {
                session.close();
            }
        }
    }
}
