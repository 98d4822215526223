package tandem.adapters.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.Column;
import tandem.core.mirror.Schema;
import tandem.core.mirror.Table;
import tandem.core.type.PgType;

/**
 * Reads the tables of the connection's current schema (the first existing schema of
 * {@code search_path}, normally {@code public}) from the catalog: columns in order with their
 * types mapped to tandem's value model, the primary key in key order, unique keys (not partial,
 * not on expressions), and foreign keys. Partitions are left out (their parent is the table),
 * and so is anything in tandem's own schema.
 *
 * <p>Domains count as their base type and enums as text. A column of a type tandem does not map
 * (inet, money, a composite, an extension's type...) makes its table unmirrorable, with a reason
 * that names the column and the type.
 */
final class PostgresSchemaReader {

    /** The scalar types whose values tandem's value model carries exactly; their arrays too. */
    private static final Set<PgType> MAPPED = EnumSet.of(PgType.BOOL, PgType.BYTEA, PgType.INT2, PgType.INT4,
            PgType.INT8, PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.JSON, PgType.JSONB, PgType.FLOAT4,
            PgType.FLOAT8, PgType.NUMERIC, PgType.DATE, PgType.TIME, PgType.TIMESTAMP, PgType.TIMESTAMPTZ,
            PgType.INTERVAL, PgType.UUID);

    private PostgresSchemaReader() {
    }

    /** The ordinary and partitioned tables of {@code schema} (not partitions), by oid, in name order. */
    static Map<Long, String> tables(Connection c, String schema) throws SQLException {
        Map<Long, String> names = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
                + "ORDER BY c.relname")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return names;
    }

    static Schema read(Connection c) throws SQLException {
        String schema = currentSchema(c);
        Map<Long, String> names = tables(c, schema);
        if (names.isEmpty()) {
            return new Schema.Snapshot(Map.of(), Map.of());
        }
        Array oids = c.createArrayOf("oid", names.keySet().toArray());
        Map<Long, List<Column>> columns = new HashMap<>();
        Map<Long, String> unmirrorable = new HashMap<>();
        Map<Long, Long> domains = domains(c);
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attrelid, a.attname, a.atttypid, "
                + "format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a "
                + "WHERE a.attrelid = ANY (?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum")) {
            ps.setArray(1, oids);
            Map<Long, String> enums = enums(c);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long table = rs.getLong(1);
                    String name = rs.getString(2);
                    long type = rs.getLong(3);
                    String declared = rs.getString(4);
                    PgType mapped = map(type, domains, enums);
                    if (mapped == null) {
                        unmirrorable.putIfAbsent(table, "column " + name + " has type " + declared
                                + ", which tandem does not mirror");
                    }
                    columns.computeIfAbsent(table, t -> new ArrayList<>()).add(new Column(name, mapped, declared,
                            !rs.getBoolean(5)));
                }
            }
        }
        Map<Long, List<String>> primaryKeys = new HashMap<>();
        Map<Long, List<List<String>>> uniqueKeys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indrelid, i.indisprimary, ARRAY(SELECT a.attname "
                + "FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a "
                + "ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n) FROM pg_index i "
                + "JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = ANY (?) AND i.indisunique "
                + "AND i.indpred IS NULL AND i.indexprs IS NULL ORDER BY i.indrelid, NOT i.indisprimary, ic.relname")) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> key = List.of((String[]) rs.getArray(3).getArray());
                    if (rs.getBoolean(2)) {
                        primaryKeys.put(rs.getLong(1), key);
                    } else {
                        uniqueKeys.computeIfAbsent(rs.getLong(1), t -> new ArrayList<>()).add(key);
                    }
                }
            }
        }
        Map<Long, List<Table.ForeignKey>> foreignKeys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT con.conrelid, CASE WHEN rn.nspname = ? THEN rc.relname "
                + "ELSE rn.nspname || '.' || rc.relname END, "
                + "ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a "
                + "ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n), "
                + "ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a "
                + "ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.n) "
                + "FROM pg_constraint con JOIN pg_class rc ON rc.oid = con.confrelid "
                + "JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
                + "WHERE con.contype = 'f' AND con.conrelid = ANY (?) ORDER BY con.conrelid, con.conname")) {
            ps.setString(1, schema);
            ps.setArray(2, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    foreignKeys.computeIfAbsent(rs.getLong(1), t -> new ArrayList<>()).add(new Table.ForeignKey(
                            List.of((String[]) rs.getArray(3).getArray()), rs.getString(2),
                            List.of((String[]) rs.getArray(4).getArray())));
                }
            }
        }
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        names.forEach((oid, name) -> {
            String reason = unmirrorable.get(oid);
            if (reason != null) {
                reasons.put(name, reason);
                return;
            }
            tables.put(name, new Table(name, columns.getOrDefault(oid, List.of()), primaryKeys.getOrDefault(oid, List.of()),
                    uniqueKeys.getOrDefault(oid, List.of()), foreignKeys.getOrDefault(oid, List.of())));
        });
        return new Schema.Snapshot(tables, reasons);
    }

    static String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            String schema = rs.getString(1);
            if (schema == null) {
                throw new ProxyException(SqlState.UNDEFINED_OBJECT, "no schema of search_path exists, so tandem "
                        + "finds no tables", null, "create the schema, or set search_path (currentSchema= in the URL)");
            }
            if (schema.equals("tandem")) {
                throw new ProxyException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "search_path starts with tandem's "
                        + "own schema \"tandem\"", null, "point search_path at the application's schema");
            }
            return schema;
        }
    }

    /** Each domain's base type: nested domains resolve all the way down. */
    private static Map<Long, Long> domains(Connection c) throws SQLException {
        Map<Long, Long> direct = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT oid, typbasetype FROM pg_type WHERE typtype = 'd'")) {
            while (rs.next()) {
                direct.put(rs.getLong(1), rs.getLong(2));
            }
        }
        Map<Long, Long> resolved = new HashMap<>();
        direct.forEach((domain, base) -> {
            long b = base;
            for (int depth = 0; direct.containsKey(b) && depth < 100; depth++) {
                b = direct.get(b);
            }
            resolved.put(domain, b);
        });
        return resolved;
    }

    /** Enum types and the array types of enums: oid to "e" or "a". */
    private static Map<Long, String> enums(Connection c) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT oid, typarray FROM pg_type "
                + "WHERE typtype = 'e'")) {
            while (rs.next()) {
                out.put(rs.getLong(1), "e");
                out.put(rs.getLong(2), "a");
            }
        }
        return out;
    }

    /** The type's place in tandem's value model, or null when it has none. */
    static PgType map(long oid, Map<Long, Long> domains, Map<Long, String> enums) {
        long base = domains.getOrDefault(oid, oid);
        String e = enums.get(base);
        if (e != null) {
            return e.equals("e") ? PgType.TEXT : PgType.TEXT_ARRAY;
        }
        PgType type = base > Integer.MAX_VALUE ? null : PgType.byOid((int) base);
        if (type == null) {
            return null;
        }
        PgType scalar = type.isArray() ? type.elementType() : type;
        return MAPPED.contains(scalar) ? type : null;
    }
}
