package tandem.adapters.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;

import tandem.core.type.PgType;

/**
 * PostgreSQL's catalogs over a SQLite file, for drivers, ORMs and tools that read them: each is a
 * TEMP table of the connection (named {@code "pg_catalog.pg_class"}, as tandem names a schema's
 * tables), filled from SQLite's own schema, with PostgreSQL's column types declared so its answers
 * carry them (oid, name, "char", bool, ...). Filled again when the schema changed since, inside
 * the statement's transaction (the version they were filled at is kept with them, so a rollback
 * takes both back).
 *
 * <p>OIDs: PostgreSQL's for its built-in types and namespaces; for a table, index or schema, a
 * stable number from its name (16384 and up, where PostgreSQL's user objects start), so a client
 * that caches them sees the same OID from every connection and after a restart.
 */
final class SqliteCatalogs {

    /** The catalogs tandem answers, as the translator names them. */
    static final Set<String> TABLES = Set.of("pg_catalog.pg_namespace", "pg_catalog.pg_type", "pg_catalog.pg_class",
            "pg_catalog.pg_attribute", "pg_catalog.pg_database", "pg_catalog.pg_roles", "pg_catalog.pg_am",
            "information_schema.schemata", "information_schema.tables", "information_schema.columns");

    static final int PUBLIC = 2200;
    private static final int PG_CATALOG = 11;
    private static final int INFORMATION_SCHEMA = 13000;
    private static final String VERSION = "\"pg_catalog.tandem_version\"";

    /**
     * Relation OID -> whether it lies in public, the one schema on tandem's search path: what
     * pg_table_is_visible answers. OIDs come from names, so one map serves every connection.
     */
    private static final java.util.Map<Long, Boolean> VISIBLE = new java.util.concurrent.ConcurrentHashMap<>();

    private SqliteCatalogs() {
    }

    /** pg_table_is_visible: a relation of public (the search path's only schema) or of pg_catalog. */
    static boolean visible(long oid) {
        return VISIBLE.getOrDefault(oid, oid < 16384);
    }

    /** A stable OID for a user object, from its kind and name. */
    static long oid(String kindAndName) {
        CRC32 crc = new CRC32();
        crc.update(kindAndName.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return 16384 + (crc.getValue() & 0x3fff_ffffL);
    }

    /** Makes the catalogs current on {@code c}: created on first use, filled again after a schema change. */
    static void refresh(Connection c) throws SQLException {
        long version;
        boolean exists;
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA main.schema_version")) {
                rs.next();
                version = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM temp.sqlite_schema WHERE name = 'pg_catalog.tandem_version'")) {
                rs.next();
                exists = rs.getLong(1) > 0;
            }
            if (exists) {
                try (ResultSet rs = s.executeQuery("SELECT v FROM " + VERSION)) {
                    if (rs.next() && rs.getLong(1) == version) {
                        return;
                    }
                }
            } else {
                create(s);
            }
            fill(s, c);
            s.execute("DELETE FROM " + VERSION);
            s.execute("INSERT INTO " + VERSION + " VALUES (" + version + ")");
        }
    }

    private static void create(Statement s) throws SQLException {
        s.execute("CREATE TEMP TABLE " + VERSION + " (v INTEGER)");
        s.execute("CREATE TEMP TABLE \"pg_catalog.pg_namespace\" (oid pg_oid, nspname pg_name, nspowner pg_oid, "
                + "nspacl text)");
        s.execute("CREATE TEMP TABLE \"pg_catalog.pg_type\" (oid pg_oid, typname pg_name, typnamespace pg_oid, "
                + "typowner pg_oid, typlen int2, typbyval boolean, typtype pg_char, typcategory pg_char, "
                + "typispreferred boolean, typisdefined boolean, typdelim pg_char, typrelid pg_oid, typelem pg_oid, "
                + "typarray pg_oid, typbasetype pg_oid, typtypmod int4, typndims int4, typcollation pg_oid, "
                + "typnotnull boolean)");
        s.execute("CREATE TEMP TABLE \"pg_catalog.pg_class\" (oid pg_oid, relname pg_name, relnamespace pg_oid, "
                + "reltype pg_oid, relowner pg_oid, relam pg_oid, reltuples float4, relhasindex boolean, "
                + "relpersistence pg_char, relkind pg_char, relnatts int2, relchecks int2, relispartition boolean, "
                + "relhasrules boolean, relhastriggers boolean, relrowsecurity boolean, relacl text)");
        s.execute("CREATE TEMP TABLE \"pg_catalog.pg_attribute\" (attrelid pg_oid, attname pg_name, atttypid pg_oid, "
                + "attlen int2, attnum int2, atttypmod int4, attndims int2, attnotnull boolean, atthasdef boolean, "
                + "attidentity pg_char, attgenerated pg_char, attisdropped boolean, attcollation pg_oid)");
        s.execute("CREATE TEMP TABLE \"pg_catalog.pg_database\" (oid pg_oid, datname pg_name, datdba pg_oid, "
                + "encoding int4, datcollate pg_name, datctype pg_name, datallowconn boolean)");
        s.execute("CREATE TEMP TABLE \"pg_catalog.pg_roles\" (oid pg_oid, rolname pg_name, rolsuper boolean, "
                + "rolcanlogin boolean)");
        s.execute("CREATE TEMP TABLE \"pg_catalog.pg_am\" (oid pg_oid, amname pg_name, amtype pg_char)");
        s.execute("CREATE TEMP TABLE \"information_schema.schemata\" (catalog_name varchar, schema_name varchar, "
                + "schema_owner varchar)");
        s.execute("CREATE TEMP TABLE \"information_schema.tables\" (table_catalog varchar, table_schema varchar, "
                + "table_name varchar, table_type varchar, is_insertable_into varchar, is_typed varchar)");
        s.execute("CREATE TEMP TABLE \"information_schema.columns\" (table_catalog varchar, table_schema varchar, "
                + "table_name varchar, column_name varchar, ordinal_position int4, column_default varchar, "
                + "is_nullable varchar, data_type varchar, character_maximum_length int4, numeric_precision int4, "
                + "numeric_precision_radix int4, numeric_scale int4, datetime_precision int4, udt_catalog varchar, "
                + "udt_schema varchar, udt_name varchar, is_identity varchar, identity_generation varchar, "
                + "is_generated varchar, is_updatable varchar)");
        // static ones
        s.execute("INSERT INTO \"pg_catalog.pg_am\" VALUES (2, 'heap', 't'), (403, 'btree', 'i'), (405, 'hash', 'i')");
    }

    private static void fill(Statement s, Connection c) throws SQLException {
        for (String table : TABLES) {
            if (!table.equals("pg_catalog.pg_am")) {
                s.execute("DELETE FROM \"" + table + "\"");
            }
        }
        LiveSchema schema = new LiveSchema(c);
        boolean schemas = schema.tableExists(SchemaTranslator.SCHEMAS);
        boolean records = schema.tableExists(SchemaTranslator.COLUMNS);
        String database = "current_database()";
        s.execute("INSERT INTO \"pg_catalog.pg_namespace\" VALUES (" + PG_CATALOG + ", 'pg_catalog', 10, NULL), ("
                + PUBLIC + ", 'public', 10, NULL), (" + INFORMATION_SCHEMA + ", 'information_schema', 10, NULL)");
        if (schemas) {
            s.execute("INSERT INTO \"pg_catalog.pg_namespace\" SELECT tandem_oid('namespace ' || name), name, 10, NULL "
                    + "FROM main." + SchemaTranslator.SCHEMAS);
        }
        s.execute("INSERT INTO \"information_schema.schemata\" SELECT " + database + ", nspname, 'postgres' "
                + "FROM \"pg_catalog.pg_namespace\"");
        StringBuilder types = new StringBuilder("INSERT INTO \"pg_catalog.pg_type\" VALUES ");
        boolean first = true;
        for (PgType t : PgType.values()) {
            if (t == PgType.UNKNOWN) {
                continue;
            }
            types.append(first ? "" : ", ").append('(').append(t.oid()).append(", '").append(t.typname()).append("', ")
                    .append(PG_CATALOG).append(", 10, ").append(t.typlen()).append(", ")
                    .append(t.typlen() > 0 && t.typlen() <= 8 ? 1 : 0).append(", 'b', '").append(category(t))
                    .append("', 0, 1, ',', 0, ").append(t.isArray() ? t.element().oid() : 0).append(", ")
                    .append(t.isArray() ? 0 : t.arrayOid()).append(", 0, -1, 0, 0, 0)");
            first = false;
        }
        s.execute(types.toString());
        String visible = "m.type IN ('table', 'view', 'index') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                + "AND m.name NOT LIKE 'tandem\\_%' ESCAPE '\\'";
        String relname = "CASE WHEN instr(m.name, '.') > 0 THEN substr(m.name, instr(m.name, '.') + 1) ELSE m.name END";
        String namespace = "CASE WHEN instr(m.name, '.') > 0 THEN tandem_oid('namespace ' || substr(m.name, 1, "
                + "instr(m.name, '.') - 1)) ELSE " + PUBLIC + " END";
        String schemaName = "CASE WHEN instr(m.name, '.') > 0 THEN substr(m.name, 1, instr(m.name, '.') - 1) "
                + "ELSE 'public' END";
        s.execute("INSERT INTO \"pg_catalog.pg_class\" SELECT tandem_oid('relation ' || m.name), " + relname + ", "
                + namespace + ", 0, 10, CASE m.type WHEN 'index' THEN 403 WHEN 'table' THEN 2 ELSE 0 END, -1, "
                + "EXISTS (SELECT 1 FROM main.sqlite_schema x WHERE x.type = 'index' AND x.tbl_name = m.name), 'p', "
                + "CASE m.type WHEN 'table' THEN 'r' WHEN 'view' THEN 'v' ELSE 'i' END, "
                + "(SELECT count(*) FROM pragma_table_info(m.name)), 0, 0, 0, 0, 0, NULL FROM main.sqlite_schema m "
                + "WHERE " + visible);
        String override = records ? "(SELECT c.type FROM main." + SchemaTranslator.COLUMNS + " c WHERE c.table_name = "
                + "m.name AND c.column_name = p.name AND p.type = 'INTEGER')" : "NULL";
        String generated = records ? "(SELECT c.generated FROM main." + SchemaTranslator.COLUMNS + " c WHERE "
                + "c.table_name = m.name AND c.column_name = p.name AND p.type = 'INTEGER')" : "NULL";
        String columns = " FROM main.sqlite_schema m JOIN pragma_table_info(m.name) p WHERE m.type IN ('table', 'view') "
                + "AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name NOT LIKE 'tandem\\_%' ESCAPE '\\'";
        String type = "p.type, " + override;
        s.execute("INSERT INTO \"pg_catalog.pg_attribute\" SELECT tandem_oid('relation ' || m.name), p.name, "
                + "tandem_column_type(" + type + ", 'oid'), tandem_column_type(" + type + ", 'typlen'), p.cid + 1, "
                + "tandem_column_type(" + type + ", 'typmod'), 0, p.\"notnull\" OR p.pk > 0, p.dflt_value IS NOT NULL "
                + "OR " + generated + " = 'serial', CASE " + generated + " WHEN 'always' THEN 'a' WHEN 'by default' "
                + "THEN 'd' ELSE '' END, '', 0, 0" + columns);
        s.execute("INSERT INTO \"pg_catalog.pg_database\" VALUES (tandem_oid('database ' || current_database()), "
                + "current_database(), 10, 6, 'C', 'C', 1)");
        s.execute("INSERT INTO \"pg_catalog.pg_roles\" VALUES (10, tandem_current_user(), 1, 1)");
        try (ResultSet rs = s.executeQuery("SELECT oid, relnamespace FROM \"pg_catalog.pg_class\"")) {
            while (rs.next()) {
                VISIBLE.put(rs.getLong(1), rs.getLong(2) == PUBLIC);
            }
        }
        s.execute("INSERT INTO \"information_schema.tables\" SELECT " + database + ", " + schemaName + ", " + relname
                + ", CASE m.type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END, CASE m.type WHEN 'view' THEN 'NO' "
                + "ELSE 'YES' END, 'NO' FROM main.sqlite_schema m WHERE m.type IN ('table', 'view') "
                + "AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name NOT LIKE 'tandem\\_%' ESCAPE '\\'");
        s.execute("INSERT INTO \"information_schema.columns\" SELECT " + database + ", " + schemaName + ", " + relname
                + ", p.name, p.cid + 1, CASE WHEN " + generated + " = 'serial' THEN 'nextval(''' || m.name"
                + " || '_' || p.name || '_seq''::regclass)' ELSE tandem_column_default(p.dflt_value) END, "
                + "CASE WHEN p.\"notnull\" OR p.pk > 0 THEN 'NO' ELSE 'YES' END, "
                + "tandem_column_type(" + type + ", 'data_type'), tandem_column_type(" + type + ", 'length'), "
                + "tandem_column_type(" + type + ", 'precision'), tandem_column_type(" + type + ", 'radix'), "
                + "tandem_column_type(" + type + ", 'scale'), tandem_column_type(" + type + ", 'datetime_precision'), "
                + database + ", 'pg_catalog', tandem_column_type(" + type + ", 'udt_name'), "
                + "CASE WHEN " + generated + " IN ('always', 'by default') THEN 'YES' ELSE 'NO' END, "
                + "CASE " + generated + " WHEN 'always' THEN 'ALWAYS' WHEN 'by default' THEN 'BY DEFAULT' END, "
                + "'NEVER', CASE m.type WHEN 'view' THEN 'NO' ELSE 'YES' END" + columns);
    }

    private static String category(PgType t) {
        if (t.isArray()) {
            return "A";
        }
        return switch (t) {
            case BOOL -> "B";
            case INT2, INT4, INT8, OID, FLOAT4, FLOAT8, NUMERIC -> "N";
            case TEXT, VARCHAR, BPCHAR, NAME, CHAR -> "S";
            case DATE, TIME, TIMESTAMP, TIMESTAMPTZ -> "D";
            case INTERVAL -> "T";
            default -> "U";
        };
    }

    /**
     * A column's type for the catalogs, from its SQLite declaration (or the PostgreSQL type tandem
     * recorded for a serial or identity key): its OID, typmod, information_schema's data_type and
     * udt_name, lengths and precisions.
     */
    static Object columnType(String declared, String recorded, String field) {
        PgType type;
        int modifier = -1;
        int precision = -1;
        if (recorded != null && PgType.bySqlName(recorded) != null) {
            type = PgType.bySqlName(recorded);
        } else {
            ColumnType c = TypeNames.declared(declared);
            type = c.basis() == ColumnType.Basis.DECLARED ? c.type() : PgType.TEXT;
            List<Integer> args = modifiers(declared);
            if (!args.isEmpty()) {
                precision = args.get(0);
                modifier = args.size() > 1 ? args.get(1) : 0;
            }
        }
        return switch (field) {
            case "oid" -> (long) type.oid();
            case "typlen" -> (long) type.typlen();
            case "typmod" -> switch (type) {
                case VARCHAR, BPCHAR -> precision < 0 ? -1L : precision + 4L;
                case NUMERIC -> precision < 0 ? -1L : ((long) precision << 16) + modifier + 4;
                default -> -1L;
            };
            case "data_type" -> switch (type) {
                case TIMESTAMP, TIMESTAMPTZ, TIME, INT2, INT4, INT8, FLOAT4, FLOAT8, BOOL, VARCHAR, BPCHAR -> type.sqlName();
                default -> type.isArray() ? "ARRAY" : type.sqlName();
            };
            case "udt_name" -> type.typname();
            case "length" -> (type == PgType.VARCHAR || type == PgType.BPCHAR) && precision >= 0 ? (Object) (long) precision
                    : null;
            case "precision" -> switch (type) {
                case INT2 -> 16L;
                case INT4 -> 32L;
                case INT8 -> 64L;
                case FLOAT4 -> 24L;
                case FLOAT8 -> 53L;
                case NUMERIC -> precision < 0 ? null : (Object) (long) precision;
                default -> null;
            };
            case "radix" -> switch (type) {
                case INT2, INT4, INT8, FLOAT4, FLOAT8 -> 2L;
                case NUMERIC -> 10L;
                default -> null;
            };
            case "scale" -> switch (type) {
                case INT2, INT4, INT8 -> 0L;
                case NUMERIC -> precision < 0 ? null : (Object) (long) modifier;
                default -> null;
            };
            case "datetime_precision" -> switch (type) {
                case DATE -> 0L;
                case TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL -> 6L;
                default -> null;
            };
            default -> throw new IllegalArgumentException(field);
        };
    }

    /** The numbers in a declaration's parentheses: varchar(40), numeric(10,2). */
    private static List<Integer> modifiers(String declared) {
        if (declared == null || declared.indexOf('(') < 0 || declared.indexOf(')') < declared.indexOf('(')) {
            return List.of();
        }
        String inside = declared.substring(declared.indexOf('(') + 1, declared.indexOf(')'));
        try {
            return java.util.Arrays.stream(inside.split(",")).map(String::strip).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            return List.of();
        }
    }

    /** A DEFAULT as PostgreSQL shows it: SQLite keeps the text as written; tandem's clock default is now(). */
    static String columnDefault(String sqlite) {
        if (sqlite == null) {
            return null;
        }
        if (sqlite.equals(SchemaTranslator.NOW) || sqlite.toUpperCase(Locale.ROOT).equals("CURRENT_TIMESTAMP")) {
            return "now()";
        }
        return sqlite;
    }
}
