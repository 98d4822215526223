package tandem.adapters.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import tandem.core.mirror.Column;
import tandem.core.mirror.Schema;
import tandem.core.mirror.Table;
import tandem.core.type.PgType;

/**
 * Reads the tables of a SQLite database with its pragmas: {@code table_list} (tables, telling
 * virtual tables and their shadow tables apart), {@code table_info} (columns in order, the primary
 * key by its {@code pk} position), {@code index_list}/{@code index_info} (unique keys that are
 * neither partial nor on expressions) and {@code foreign_key_list}.
 *
 * <p>Types come from the declared type, as the emulation maps it ({@link TypeNames}): a column
 * declared INTEGER is int8, BOOLEAN is bool, TEXT text... A column declared with nothing SQLite
 * recognises keeps its values as SQLite stores them ({@link PgType#UNKNOWN}); the conversion to
 * the new store's type then judges each value. An {@code INTEGER PRIMARY KEY} is the rowid alias:
 * never NULL, whatever its declaration says.
 *
 * <p>SQLite's own tables ({@code sqlite_%}) and tandem's ({@code tandem_%}) are left out, and so
 * are shadow tables (they belong to their virtual table, which is reported unmirrorable).
 */
final class SqliteSchemaReader {

    private SqliteSchemaReader() {
    }

    static Schema read(Connection c) throws SQLException {
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, String> unmirrorable = new LinkedHashMap<>();
        Map<String, Boolean> withoutRowid = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, type, wr FROM "
                + "pragma_table_list WHERE schema = 'main' AND name NOT GLOB 'sqlite_*' AND name NOT GLOB 'tandem_*' "
                + "ORDER BY name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                switch (rs.getString(2)) {
                    case "table" -> withoutRowid.put(name, rs.getInt(3) != 0);
                    case "virtual" -> unmirrorable.put(name, "it is a virtual table, whose rows belong to its module");
                    default -> {
                        // views and the shadow tables of virtual tables
                    }
                }
            }
        }
        Map<String, List<String>> primaryKeys = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, List<Column>> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (var e : withoutRowid.entrySet()) {
            readColumns(c, e.getKey(), e.getValue(), columns, primaryKeys);
        }
        for (String name : withoutRowid.keySet()) {
            tables.put(name, new Table(name, columns.get(name), primaryKeys.get(name), uniqueKeys(c, name),
                    foreignKeys(c, name, primaryKeys)));
        }
        return new Schema.Snapshot(tables, unmirrorable);
    }

    private static void readColumns(Connection c, String table, boolean withoutRowid, Map<String, List<Column>> columns,
            Map<String, List<String>> primaryKeys) throws SQLException {
        record Raw(String name, String type, boolean notNull, int pk) {
        }
        List<Raw> raw = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) "
                + "ORDER BY cid")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    raw.add(new Raw(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, rs.getInt(4)));
                }
            }
        }
        List<Raw> keyColumns = raw.stream().filter(r -> r.pk() > 0).sorted((a, b) -> Integer.compare(a.pk(), b.pk()))
                .toList();
        boolean rowidAlias = !withoutRowid && keyColumns.size() == 1
                && keyColumns.get(0).type().strip().equalsIgnoreCase("INTEGER");
        List<Column> out = new ArrayList<>();
        for (Raw r : raw) {
            boolean key = r.pk() > 0;
            // the rowid alias is never NULL, nor is any key column of a WITHOUT ROWID table
            boolean notNull = r.notNull() || (key && (rowidAlias || withoutRowid));
            out.add(new Column(r.name(), pgType(r.type()), r.type(), !notNull));
        }
        columns.put(table, out);
        primaryKeys.put(table, keyColumns.stream().map(Raw::name).toList());
    }

    /** The declared type as the emulation types it; a declaration SQLite's rules leave open keeps raw values. */
    static PgType pgType(String declared) {
        ColumnType type = TypeNames.declared(declared);
        return type.basis() == ColumnType.Basis.DECLARED ? type.type() : PgType.UNKNOWN;
    }

    private static List<List<String>> uniqueKeys(Connection c, String table) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1 "
                + "AND origin <> 'pk' AND partial = 0 ORDER BY name")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
        }
        List<List<String>> out = new ArrayList<>();
        for (String index : indexes) {
            List<String> names = new ArrayList<>();
            boolean expression = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_info(?) ORDER BY seqno")) {
                ps.setString(1, index);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        expression |= name == null;
                        names.add(name);
                    }
                }
            }
            if (!expression && !names.isEmpty()) {
                out.add(names);
            }
        }
        return out;
    }

    private static List<Table.ForeignKey> foreignKeys(Connection c, String table, Map<String, List<String>> primaryKeys)
            throws SQLException {
        Map<Integer, String> parents = new LinkedHashMap<>();
        Map<Integer, List<String>> from = new LinkedHashMap<>();
        Map<Integer, List<String>> to = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, \"table\", \"from\", \"to\" FROM "
                + "pragma_foreign_key_list(?) ORDER BY id, seq")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    parents.put(id, rs.getString(2));
                    from.computeIfAbsent(id, i -> new ArrayList<>()).add(rs.getString(3));
                    to.computeIfAbsent(id, i -> new ArrayList<>()).add(rs.getString(4));
                }
            }
        }
        List<Table.ForeignKey> out = new ArrayList<>();
        parents.forEach((id, parent) -> {
            List<String> referenced = to.get(id);
            if (referenced.stream().anyMatch(r -> r == null)) {
                // REFERENCES parent without columns: the parent's primary key
                referenced = primaryKeys.getOrDefault(parent, referenced);
            }
            out.add(new Table.ForeignKey(from.get(id), parent, referenced));
        });
        return out;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
