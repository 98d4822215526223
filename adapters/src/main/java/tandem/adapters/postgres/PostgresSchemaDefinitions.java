package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.schema.ColumnDefinition;
import tandem.core.schema.SchemaDefinition;
import tandem.core.schema.TableDefinition;

/**
 * The tables of a PostgreSQL schema (the connection's current one) from the catalog, as
 * {@code tandem schema} compares and copies them: columns with {@code format_type}'s spelling,
 * NOT NULL, defaults and identities; the primary key; UNIQUE constraints; CHECK constraints and
 * index predicates as PostgreSQL prints them back; foreign keys with their actions; other indexes.
 * Also applies generated DDL in one transaction, and reads what a script would create without
 * keeping it (in a scratch schema, rolled back), so both sides of a comparison are PostgreSQL's
 * own spelling.
 */
public final class PostgresSchemaDefinitions {

    private PostgresSchemaDefinitions() {
    }

    /** A connection for the schema command, or a ProxyException (08006) naming the store and the fix. */
    public static Connection connect(String role, String url, String user, String password, Duration timeout) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        props.setProperty("ApplicationName", "tandem schema");
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw new ProxyException(SqlState.CONNECTION_FAILURE, "cannot connect to the " + role + " store (" + url
                    + "): " + e.getMessage(), null, "check stores." + role + ".url, user and password, and that the "
                            + "server is running and reachable", false, e);
        }
    }

    /** The tables of the current schema; tables that belong to tandem are left out. */
    public static SchemaDefinition read(Connection c) {
        try {
            return new Catalog(c).read();
        } catch (SQLException e) {
            throw PgErrors.translate("postgres", "reading the schema for tandem schema", e);
        }
    }

    /** Runs {@code statements} in one transaction; nothing is created if one fails, which the error names. */
    public static void apply(Connection c, List<String> statements) {
        try {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    run(s, sql);
                }
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw PgErrors.translate("new", "applying the schema", e);
        }
    }

    /**
     * What {@code statements} would create, read back from the catalog: they run in a scratch
     * schema inside a transaction that is rolled back, so the store is left as it was.
     */
    public static SchemaDefinition readAsCreated(Connection c, List<String> statements) {
        try {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA tandem_schema_check");
                s.execute("SET LOCAL search_path TO tandem_schema_check");
                for (String sql : statements) {
                    run(s, sql);
                }
                return new Catalog(c).read();
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw PgErrors.translate("new", "checking the generated schema", e);
        }
    }

    private static void run(Statement s, String sql) throws SQLException {
        try {
            s.execute(sql);
        } catch (SQLException e) {
            ProxyException p = PgErrors.translate("new", "running " + firstLine(sql), e);
            throw new ProxyException(p.state(), p.getMessage(), sql, "nothing was created (one transaction); correct "
                    + "the old store's schema, or give the column another type in schema.columns", false, e);
        }
    }

    private static String firstLine(String sql) {
        int newline = sql.indexOf('\n');
        return newline < 0 ? sql : sql.substring(0, newline).replaceAll("\\s*\\($", "") + " ...";
    }

    /** One read of the catalog. */
    private static final class Catalog {

        private final Connection c;
        private final String schema;

        Catalog(Connection c) throws SQLException {
            this.c = c;
            this.schema = PostgresSchemaReader.currentSchema(c);
        }

        SchemaDefinition read() throws SQLException {
            Map<Long, String> names = PostgresSchemaReader.tables(c, schema);
            List<TableDefinition> tables = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (var e : names.entrySet()) {
                tables.add(table(e.getKey(), e.getValue(), warnings));
            }
            return new SchemaDefinition(tables, warnings);
        }

        private TableDefinition table(long oid, String name, List<String> warnings) throws SQLException {
            List<ColumnDefinition> columns = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
                    + "a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, tn.nspname, "
                    + "t.typtype FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                    + "JOIN pg_namespace tn ON tn.oid = t.typnamespace "
                    + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                    + "WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
                ps.setLong(1, oid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String column = rs.getString(1);
                        String dflt = rs.getString(4);
                        boolean identity = !rs.getString(5).isEmpty();
                        // a serial's sequence belongs to the old store: an identity does the same on the new one
                        boolean serial = dflt != null && dflt.startsWith("nextval(");
                        if (!rs.getString(6).isEmpty()) {
                            warnings.add(name + "." + column + " is a generated column; it is created as a plain "
                                    + "column so that copied values fit");
                            notes.add(column + " is GENERATED ALWAYS AS (" + dflt + ") STORED in the old store");
                            dflt = null;
                        }
                        if (!rs.getString(7).equals("pg_catalog")) {
                            warnings.add(name + "." + column + " has type " + rs.getString(2) + " of schema "
                                    + rs.getString(7) + "; create the type in the new store before the tables");
                        }
                        columns.add(new ColumnDefinition(column, rs.getString(2), rs.getBoolean(3), serial ? null : dflt,
                                identity || serial));
                    }
                }
            }
            List<String> key = new ArrayList<>();
            List<TableDefinition.UniqueConstraint> uniques = new ArrayList<>();
            List<TableDefinition.CheckConstraint> checks = new ArrayList<>();
            List<TableDefinition.ForeignKeyDefinition> fks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT con.conname, con.contype, "
                    + "ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a "
                    + "ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n)::text[], "
                    + "CASE WHEN con.contype = 'f' THEN (SELECT CASE WHEN rn.nspname = ? THEN rc.relname ELSE "
                    + "rn.nspname || '.' || rc.relname END FROM pg_class rc JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
                    + "WHERE rc.oid = con.confrelid) END, "
                    + "ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a "
                    + "ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.n)::text[], "
                    + "con.confdeltype, con.confupdtype, pg_get_constraintdef(con.oid, true) "
                    + "FROM pg_constraint con WHERE con.conrelid = ? AND con.contype IN ('p', 'u', 'c', 'f') "
                    + "ORDER BY con.contype, con.conname")) {
                ps.setString(1, schema);
                ps.setLong(2, oid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> cols = List.of((String[]) rs.getArray(3).getArray());
                        switch (rs.getString(2)) {
                            case "p" -> key.addAll(cols);
                            case "u" -> uniques.add(new TableDefinition.UniqueConstraint(rs.getString(1), cols));
                            case "c" -> checks.add(new TableDefinition.CheckConstraint(rs.getString(1),
                                    checkExpression(rs.getString(8))));
                            default -> fks.add(new TableDefinition.ForeignKeyDefinition(rs.getString(1), cols,
                                    rs.getString(4), List.of((String[]) rs.getArray(5).getArray()),
                                    action(rs.getString(6)), action(rs.getString(7))));
                        }
                    }
                }
            }
            List<TableDefinition.IndexDefinition> indexes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ic.relname, i.indisunique, ARRAY(SELECT "
                    + "pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k)::text[], "
                    + "pg_get_expr(i.indpred, i.indrelid, true) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                    + "WHERE i.indrelid = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = "
                    + "i.indexrelid AND con.contype IN ('p', 'u', 'x')) ORDER BY ic.relname")) {
                ps.setLong(1, oid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        indexes.add(new TableDefinition.IndexDefinition(rs.getString(1), rs.getBoolean(2),
                                List.of((String[]) rs.getArray(3).getArray()), rs.getString(4)));
                    }
                }
            }
            return new TableDefinition(name, columns, key, uniques, checks, fks, indexes, notes);
        }

        /** {@code CHECK ((price >= 0)) NOT VALID} → {@code (price >= 0)}. */
        private static String checkExpression(String definition) {
            String d = definition.replaceFirst("(?i)\\s+NOT VALID$", "").replaceFirst("(?i)\\s+NO INHERIT$", "");
            return d.substring(d.indexOf('(') + 1, d.lastIndexOf(')')).strip();
        }

        private static String action(String code) {
            return switch (code) {
                case "c" -> "CASCADE";
                case "n" -> "SET NULL";
                case "d" -> "SET DEFAULT";
                case "r" -> "RESTRICT";
                default -> "NO ACTION";
            };
        }
    }
}
