package tandem.adapters.sqlite;

import java.util.List;

import tandem.core.store.SqlSession;

/** The rows of a statement the session answers itself (SHOW), or none for a command. */
final class FixedCursor implements SqlSession.Cursor {

    private final List<SqlSession.Column> columns;
    private final List<List<Object>> rows;
    private final String tag;
    private int position = -1;

    FixedCursor(List<SqlSession.Column> columns, List<List<Object>> rows, String tag) {
        this.columns = columns;
        this.rows = rows;
        this.tag = tag;
    }

    static FixedCursor command(String tag) {
        return new FixedCursor(List.of(), List.of(), tag);
    }

    @Override
    public List<SqlSession.Column> columns() {
        return columns;
    }

    @Override
    public boolean next() {
        if (position + 1 >= rows.size()) {
            position = rows.size();
            return false;
        }
        position++;
        return true;
    }

    @Override
    public Object value(int column) {
        return rows.get(position).get(column);
    }

    @Override
    public String commandTag() {
        return tag;
    }

    @Override
    public void close() {
        position = rows.size();
    }
}
