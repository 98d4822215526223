package tandem.core.session;

import java.util.ArrayList;
import java.util.List;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.ValueConverter;
import tandem.core.store.ReadQueries;
import tandem.core.store.SqlSession.Column;
import tandem.core.store.SqlSession.Cursor;
import tandem.core.type.PgType;

/**
 * A read served by the secondary for a client of an emulated primary: the client was told the
 * columns the primary described, so each value is shown as that type (an integer the secondary
 * keeps as a boolean comes back as the integer the client expects). Where the primary left a type
 * open, the secondary's type stands.
 */
final class SecondaryCursor implements Cursor {

    private final Cursor rows;
    private final List<Column> columns;

    private SecondaryCursor(Cursor rows, List<Column> columns) {
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * @throws ProxyException when the secondary fails the read or answers with other columns; the
     *     caller runs it on the primary instead
     */
    static Cursor open(ReadQueries secondary, String sql, List<Object> parameters, List<Column> described) {
        Cursor rows = secondary.query(sql, parameters);
        List<Column> actual = rows.columns();
        if (actual.size() != described.size()) {
            rows.close();
            throw new ProxyException(SqlState.DATATYPE_MISMATCH, "the secondary answers with " + actual.size()
                    + " columns where the primary describes " + described.size());
        }
        List<Column> columns = new ArrayList<>(described.size());
        for (int i = 0; i < described.size(); i++) {
            Column d = described.get(i);
            PgType type = d.type() == null || d.type() == PgType.UNKNOWN ? actual.get(i).type() : d.type();
            String why = ValueConverter.incompatibility(actual.get(i).type(), type);
            if (why != null) {
                rows.close();
                throw new ProxyException(SqlState.DATATYPE_MISMATCH, "column " + d.name() + " is "
                        + actual.get(i).type().typname() + " in the secondary but " + type.typname() + " in the primary: "
                        + why);
            }
            columns.add(new Column(d.name(), type, d.tableOid(), d.columnNumber()));
        }
        return new SecondaryCursor(rows, columns);
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public boolean next() {
        return rows.next();
    }

    @Override
    public Object value(int column) {
        Object value = rows.value(column);
        PgType from = rows.columns().get(column).type();
        PgType to = columns.get(column).type();
        return from == to ? value : ValueConverter.as(to, value);
    }

    @Override
    public String commandTag() {
        return rows.commandTag();
    }

    @Override
    public void close() {
        rows.close();
    }
}
