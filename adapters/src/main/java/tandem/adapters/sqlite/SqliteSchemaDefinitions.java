package tandem.adapters.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.sqlite.SQLiteConfig;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.Column;
import tandem.core.mirror.Schema;
import tandem.core.mirror.Table;
import tandem.core.schema.ColumnDefinition;
import tandem.core.schema.ColumnValues;
import tandem.core.schema.Identifiers;
import tandem.core.schema.PostgresTypeName;
import tandem.core.schema.SchemaDefinition;
import tandem.core.schema.SqliteExpressions;
import tandem.core.schema.SqliteExpressions.PgTypeKind;
import tandem.core.schema.SqliteTypeMapping;
import tandem.core.schema.TableDefinition;
import tandem.core.type.PgType;

/**
 * The PostgreSQL tables a SQLite database needs, for {@code tandem schema}: the columns typed by
 * {@link SqliteTypeMapping} from their declarations and a scan of their values, the primary key
 * (an {@code INTEGER PRIMARY KEY} becomes an identity), NOT NULL, UNIQUE, CHECK (carried over
 * verbatim where PostgreSQL means the same by it, see {@link SqliteExpressions}), foreign keys with
 * their actions, indexes, and defaults.
 *
 * <p>The file is opened read-only and every table is read once in full: the right type for a
 * column declared TIMESTAMP or JSON depends on whether every value parses.
 */
public final class SqliteSchemaDefinitions {

    private SqliteSchemaDefinitions() {
    }

    /** The tables of the SQLite store {@code store} describes ({@code jdbc:sqlite:FILE}). */
    public static SchemaDefinition read(tandem.config.StoreConfig store, Map<String, String> overrides) {
        return read(SqliteStore.fileOf(store.role(), store.url()), overrides);
    }

    /**
     * @param overrides {@code schema.columns}: {@code table.column} to a PostgreSQL type
     * @throws ProxyException when the file cannot be read, or an override names no column or no
     *     type tandem can copy the column's values into
     */
    public static SchemaDefinition read(Path file, Map<String, String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "SQLite database file " + file.toAbsolutePath()
                    + " does not exist or is not a file", null, "check stores.old.url");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            return read(c, overrides);
        } catch (SQLException e) {
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "cannot read SQLite database " + file.toAbsolutePath()
                    + ": " + SqliteErrors.sqliteMessage(e), null, "check that the file is a SQLite database tandem may "
                            + "read", false, e);
        }
    }

    static SchemaDefinition read(Connection c, Map<String, String> overrides) throws SQLException {
        Schema schema = SqliteSchemaReader.read(c);
        List<String> warnings = new ArrayList<>();
        schema.unmirrorable().forEach((name, why) -> warnings.add(name + ": not generated, " + why));
        Map<String, PostgresTypeName> types = overrides(schema, overrides);
        List<TableDefinition> tables = new ArrayList<>();
        for (Table table : schema.tables().values()) {
            tables.add(table(c, table, types, warnings));
        }
        return new SchemaDefinition(tables, warnings);
    }

    /** The overrides by lower-case {@code table.column}, each checked; every problem at once. */
    private static Map<String, PostgresTypeName> overrides(Schema schema, Map<String, String> overrides) {
        Map<String, PostgresTypeName> out = new HashMap<>();
        List<String> problems = new ArrayList<>();
        overrides.forEach((key, type) -> {
            String where = "schema.columns." + key;
            int dot = key.indexOf('.');
            Table table = dot < 0 ? null : schema.table(key.substring(0, dot));
            Column column = table == null ? null : table.column(key.substring(dot + 1));
            if (column == null) {
                problems.add(where + ": the old store has no " + (table == null ? "table " + key.substring(0,
                        Math.max(dot, 0)) : "column " + key) + "; correct the name or remove the key");
                return;
            }
            try {
                PostgresTypeName name = PostgresTypeName.parse(type);
                String problem = SqliteTypeMapping.overrideProblem(column, name);
                if (problem != null) {
                    problems.add(where + ": " + problem);
                } else {
                    out.put(key.toLowerCase(Locale.ROOT), name);
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "schema.columns cannot be applied:\n  "
                    + String.join("\n  ", problems), null, "correct schema.columns in the config");
        }
        return out;
    }

    private static TableDefinition table(Connection c, Table table, Map<String, PostgresTypeName> overrides,
            List<String> warnings) throws SQLException {
        String name = table.name();
        String create = createStatement(c, "table", name);
        boolean rowidAlias = rowidAlias(c, table);
        Map<String, ColumnValues> values = SqliteValueScan.scan(c, table, column -> SqliteTypeMapping.candidate(column,
                overrides.get((name + "." + column.name()).toLowerCase(Locale.ROOT))));
        Map<String, String> defaults = defaults(c, name);
        List<String> notes = new ArrayList<>();

        List<ColumnDefinition> columns = new ArrayList<>();
        Map<String, PgTypeKind> kinds = new LinkedHashMap<>();
        List<PostgresTypeName> mapped = new ArrayList<>();
        for (Column column : table.columns()) {
            boolean identity = rowidAlias && column.name().equalsIgnoreCase(table.key().get(0));
            PostgresTypeName override = overrides.get((name + "." + column.name()).toLowerCase(Locale.ROOT));
            SqliteTypeMapping.Mapped m = identity && override == null
                    ? new SqliteTypeMapping.Mapped(PostgresTypeName.parse("bigint"), null)
                    : SqliteTypeMapping.map(name, column, values.get(column.name()), override);
            if (m.warning() != null) {
                warnings.add(m.warning());
            }
            mapped.add(m.type());
            kinds.put(column.name().toLowerCase(Locale.ROOT),
                    m.type().valueType() == PgType.BOOL ? PgTypeKind.BOOLEAN : PgTypeKind.OTHER);
        }
        for (int i = 0; i < table.columns().size(); i++) {
            Column column = table.columns().get(i);
            boolean identity = rowidAlias && column.name().equalsIgnoreCase(table.key().get(0));
            String dflt = null;
            SqliteExpressions.Translation d = identity ? null
                    : SqliteExpressions.defaultValue(defaults.get(column.name()), mapped.get(i), kinds);
            if (d != null && d.ok()) {
                dflt = d.sql();
            } else if (d != null) {
                String note = "DEFAULT " + d.sql() + " of column " + column.name() + " not carried over: " + d.problem();
                notes.add(note);
                warnings.add(name + ": " + note + "; the new store needs it only once it takes writes itself");
            }
            columns.add(new ColumnDefinition(column.name(), mapped.get(i).sql(), !column.nullable(), dflt, identity));
        }

        List<TableDefinition.CheckConstraint> checks = new ArrayList<>();
        for (SqliteCreateStatements.Check check : SqliteCreateStatements.checks(create)) {
            SqliteExpressions.Translation t = SqliteExpressions.toPostgres(check.expression(), kinds);
            if (t.ok()) {
                checks.add(new TableDefinition.CheckConstraint(check.name(), t.sql()));
            } else {
                String note = "CHECK (" + check.expression() + ") not carried over: it " + t.problem();
                notes.add(note);
                warnings.add(name + ": " + note + "; write a PostgreSQL equivalent and add it with ALTER TABLE "
                        + Identifiers.quote(name) + " ADD CHECK (...)");
            }
        }
        List<TableDefinition.UniqueConstraint> uniques = new ArrayList<>();
        List<TableDefinition.IndexDefinition> indexes = new ArrayList<>();
        indexes(c, name, kinds, uniques, indexes, notes, warnings);
        if (SqliteCreateStatements.autoincrement(create) && rowidAlias) {
            notes.add("AUTOINCREMENT: " + table.key().get(0) + " is an identity; copied rows keep their ids, and its "
                    + "sequence must move past them before the new store makes ids itself");
        }
        return new TableDefinition(name, columns, table.key(), uniques, checks, foreignKeys(c, table), indexes, notes);
    }

    private static boolean rowidAlias(Connection c, Table table) throws SQLException {
        if (table.key().size() != 1 || !"INTEGER".equalsIgnoreCase(table.keyColumns().get(0).declaredType().strip())) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT wr FROM pragma_table_list WHERE schema = 'main' "
                + "AND name = ?")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 0;
            }
        }
    }

    private static String createStatement(Connection c, String type, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?")) {
            ps.setString(1, type);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Map<String, String> defaults(Connection c, String table) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, dflt_value FROM pragma_table_info(?)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * UNIQUE constraints from the table's own definition; every other index (unique or not,
     * partial or not) as an index of its name. Indexes on expressions, and partial indexes whose
     * WHERE only SQLite understands, are reported instead.
     */
    private static void indexes(Connection c, String table, Map<String, PgTypeKind> kinds,
            List<TableDefinition.UniqueConstraint> uniques, List<TableDefinition.IndexDefinition> indexes,
            List<String> notes, List<String> warnings) throws SQLException {
        record Index(String name, boolean unique, String origin, boolean partial) {
        }
        List<Index> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, \"unique\", origin, partial FROM "
                + "pragma_index_list(?) WHERE origin <> 'pk' ORDER BY name")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Index(rs.getString(1), rs.getInt(2) != 0, rs.getString(3), rs.getInt(4) != 0));
                }
            }
        }
        for (Index index : list) {
            List<String> columns = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            boolean expression = false;
            Set<String> collations = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, \"desc\", coll FROM pragma_index_xinfo(?) "
                    + "WHERE key = 1 ORDER BY seqno")) {
                ps.setString(1, index.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String column = rs.getString(1);
                        expression |= column == null;
                        if (column != null) {
                            columns.add(column);
                            keys.add(Identifiers.quote(column) + (rs.getInt(2) != 0 ? " DESC" : ""));
                        }
                        if (!"BINARY".equalsIgnoreCase(rs.getString(3))) {
                            collations.add(rs.getString(3));
                        }
                    }
                }
            }
            String what = (index.unique() ? "unique " : "") + "index " + index.name();
            if (expression) {
                String note = what + " is on an expression and is not carried over: "
                        + createStatement(c, "index", index.name());
                notes.add(note);
                warnings.add(table + ": " + note + "; create a PostgreSQL equivalent by hand");
                continue;
            }
            if (!collations.isEmpty() && index.unique()) {
                warnings.add(table + ": " + what + " compares with SQLite's collation " + String.join(", ", collations)
                        + "; PostgreSQL's unique index compares exactly, so it accepts rows SQLite refused");
            }
            String where = null;
            if (index.partial()) {
                String sqliteWhere = SqliteCreateStatements.indexWhere(createStatement(c, "index", index.name()));
                SqliteExpressions.Translation t = SqliteExpressions.toPostgres(sqliteWhere, kinds);
                if (!t.ok()) {
                    String note = what + " WHERE " + sqliteWhere + " not carried over: it " + t.problem();
                    notes.add(note);
                    warnings.add(table + ": " + note + "; create a PostgreSQL equivalent by hand");
                    continue;
                }
                where = t.sql();
            }
            if (index.origin().equals("u")) {
                uniques.add(new TableDefinition.UniqueConstraint(null, columns));
            } else {
                indexes.add(new TableDefinition.IndexDefinition(index.name(), index.unique(), keys, where));
            }
        }
    }

    private static List<TableDefinition.ForeignKeyDefinition> foreignKeys(Connection c, Table table)
            throws SQLException {
        Map<Integer, String[]> heads = new LinkedHashMap<>();
        Map<Integer, List<String>> from = new HashMap<>();
        Map<Integer, List<String>> to = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                + "FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    heads.put(id, new String[] {rs.getString(2), rs.getString(5), rs.getString(6)});
                    from.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(3));
                    to.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(4));
                }
            }
        }
        // the reader already resolved REFERENCES parent without columns to the parent's key
        Map<List<String>, Table.ForeignKey> resolved = table.foreignKeys().stream()
                .collect(Collectors.toMap(Table.ForeignKey::columns, fk -> fk, (a, b) -> a));
        List<TableDefinition.ForeignKeyDefinition> out = new ArrayList<>();
        // pragma ids count from the last declared key; keep the declaration order
        List<Integer> ids = new ArrayList<>(heads.keySet());
        java.util.Collections.reverse(ids);
        for (int id : ids) {
            String[] head = heads.get(id);
            List<String> referenced = to.get(id);
            Table.ForeignKey fk = resolved.get(from.get(id));
            if (referenced.contains(null) && fk != null) {
                referenced = fk.referencedColumns();
            }
            out.add(new TableDefinition.ForeignKeyDefinition(null, from.get(id), head[0], referenced, head[2], head[1]));
        }
        return out;
    }
}
