package tandem.proxy.emulated;

import java.util.ArrayList;
import java.util.List;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.sql.CopyCommand;
import tandem.core.sql.CopyRows;
import tandem.core.store.SqlSession;
import tandem.core.store.SqlSession.Cursor;
import tandem.core.store.SqlSession.PreparedSql;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * COPY ... FROM STDIN on a store without COPY: each row the client streams is an INSERT of the
 * session's, in the COPY's transaction (so a mirror captures it as any write, and a bad row undoes
 * them all, as PostgreSQL's COPY does). {@code psql \copy} and {@code pgbench -i} feed it.
 */
final class CopyIn {

    private final SqlSession sql;
    private final CopyCommand command;
    private final PreparedSql insert;
    private final List<PgType> types;
    private final CopyRows rows;
    private long inserted;
    private boolean failed;

    private CopyIn(SqlSession sql, CopyCommand command, PreparedSql insert) {
        this.sql = sql;
        this.command = command;
        this.insert = insert;
        this.types = insert.parameterTypes();
        this.rows = new CopyRows(command, this::insert);
    }

    /** Prepares the INSERT the rows go through; fails (before CopyInResponse) on an unknown table or column. */
    static CopyIn start(SqlSession sql, CopyCommand command) {
        String table = command.table().toString();
        List<String> columns = command.columns();
        if (columns.isEmpty()) {
            columns = new ArrayList<>();
            for (SqlSession.Column c : sql.prepare("SELECT * FROM " + quote(command.table()) + " LIMIT 0", List.of())
                    .columns()) {
                columns.add(c.name());
            }
        }
        StringBuilder text = new StringBuilder("INSERT INTO ").append(quote(command.table())).append(" (");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            text.append(i == 0 ? "" : ", ").append('"').append(columns.get(i).replace("\"", "\"\"")).append('"');
            values.append(i == 0 ? "" : ", ").append('$').append(i + 1);
        }
        text.append(") VALUES (").append(values).append(')');
        PreparedSql insert = sql.prepare(text.toString(), List.of());
        if (insert.parameterTypes().size() != columns.size()) {
            throw new ProxyException(SqlState.INTERNAL_ERROR, "COPY " + table + ": the INSERT takes "
                    + insert.parameterTypes().size() + " values for " + columns.size() + " columns");
        }
        return new CopyIn(sql, command, insert);
    }

    int columns() {
        return types.size();
    }

    boolean failed() {
        return failed;
    }

    void fail() {
        failed = true;
    }

    void accept(byte[] chunk) {
        rows.accept(chunk);
    }

    /** The end of the data: the last row, and how many went in. */
    long finish() {
        rows.finish();
        return inserted;
    }

    private void insert(List<String> fields) {
        if (fields.size() != types.size()) {
            throw new ProxyException(SqlState.BAD_COPY_FILE_FORMAT, fields.size() < types.size()
                    ? "missing data for column" : "extra data after last expected column",
                    "COPY " + command.table().name() + ", line " + rows.lineNumber(), null);
        }
        List<Object> values = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            values.add(PgValues.decodeText(types.get(i), fields.get(i), sql.outputSettings()));
        }
        try (Cursor cursor = sql.execute(insert, values)) {
            inserted++;
        }
    }

    private static String quote(tandem.core.sql.TableRef table) {
        String name = '"' + table.name().replace("\"", "\"\"") + '"';
        return table.schema() == null ? name : '"' + table.schema().replace("\"", "\"\"") + "\"." + name;
    }
}
