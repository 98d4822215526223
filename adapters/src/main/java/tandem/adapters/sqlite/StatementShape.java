package tandem.adapters.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.sqlite.core.CoreStatement;

/**
 * What SQLite says about a prepared statement before it runs: its result columns (name, declared
 * type, source table) and how many parameters it takes.
 *
 * <p>sqlite-jdbc's ResultSetMetaData answers with a storage class where a column has no declared
 * type, and cannot tell "declared INTEGER" from "an integer expression"; this reads
 * {@code sqlite3_column_decltype} itself through the driver's statement handle.
 */
record StatementShape(String[] names, String[] declaredTypes, String[] tables, int parameterCount) {

    int columnCount() {
        return names.length;
    }

    static StatementShape of(PreparedStatement statement) throws SQLException {
        CoreStatement core = (CoreStatement) statement;
        int parameters = statement.getParameterMetaData().getParameterCount();
        return core.pointer.safeRun((db, pointer) -> {
            int columns = db.column_count(pointer);
            String[] names = new String[columns];
            String[] types = new String[columns];
            String[] tables = new String[columns];
            for (int i = 0; i < columns; i++) {
                names[i] = db.column_name(pointer, i);
                types[i] = db.column_decltype(pointer, i);
                tables[i] = db.column_table_name(pointer, i);
            }
            return new StatementShape(names, types, tables, parameters);
        });
    }
}
