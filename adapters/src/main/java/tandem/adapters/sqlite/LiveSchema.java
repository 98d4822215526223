package tandem.adapters.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The schema as one connection sees it now, inside its transaction: what {@link SchemaTranslator} asks. */
final class LiveSchema implements SchemaTranslator.Catalog {

    private final Connection connection;

    LiveSchema(Connection connection) {
        this.connection = connection;
    }

    @Override
    public boolean tableExists(String sqliteName) {
        return !strings("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE",
                sqliteName).isEmpty();
    }

    @Override
    public boolean indexExists(String name) {
        return !strings("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = ? COLLATE NOCASE", name).isEmpty();
    }

    @Override
    public boolean schemaExists(String name) {
        return tableExists(SchemaTranslator.SCHEMAS)
                && !strings("SELECT name FROM " + SchemaTranslator.SCHEMAS + " WHERE name = ?", name).isEmpty();
    }

    @Override
    public List<String> parents(String sqliteName) {
        return strings("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", sqliteName);
    }

    @Override
    public List<String> tablesIn(String schema) {
        return strings("SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, length(?1) + 1) = ?1 || '.'",
                schema);
    }

    @Override
    public List<String> children(String sqliteName) {
        return strings("SELECT DISTINCT m.name FROM sqlite_schema m, pragma_foreign_key_list(m.name) f "
                + "WHERE m.type = 'table' AND f.\"table\" = ?1 COLLATE NOCASE", sqliteName);
    }

    @Override
    public String tableSql(String sqliteName) {
        return strings("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE", sqliteName)
                .get(0);
    }

    @Override
    public List<String> dependents(String sqliteName) {
        return strings("SELECT sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND tbl_name = ? "
                + "COLLATE NOCASE AND sql IS NOT NULL", sqliteName);
    }

    @Override
    public List<String> columns(String sqliteName) {
        return strings("SELECT name FROM pragma_table_info(?)", sqliteName);
    }

    private List<String> strings(String sql, String argument) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, argument);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading SQLite's schema: " + e.getMessage(), e);
        }
    }
}
