package tandem.core.type;

/**
 * The PostgreSQL types tandem can describe and encode itself, with the catalogue facts a
 * RowDescription and a ParameterDescription need: the OID, {@code pg_type.typname}, and
 * {@code typlen} (-1 for varlena, -2 for the C-string {@code unknown}).
 *
 * <p>Every scalar type here has its array type listed too, because PostgreSQL gives each of them
 * one and clients (pgjdbc's {@code createArrayOf}, Drizzle's {@code = ANY($1)}) send them.
 */
public enum PgType {
    BOOL(16, "bool", 1, "boolean", 1000),
    BYTEA(17, "bytea", -1, "bytea", 1001),
    CHAR(18, "char", 1, "\"char\"", 1002),
    NAME(19, "name", 64, "name", 1003),
    INT8(20, "int8", 8, "bigint", 1016),
    INT2(21, "int2", 2, "smallint", 1005),
    INT4(23, "int4", 4, "integer", 1007),
    TEXT(25, "text", -1, "text", 1009),
    OID(26, "oid", 4, "oid", 1028),
    JSON(114, "json", -1, "json", 199),
    FLOAT4(700, "float4", 4, "real", 1021),
    FLOAT8(701, "float8", 8, "double precision", 1022),
    UNKNOWN(705, "unknown", -2, "unknown", 0),
    BPCHAR(1042, "bpchar", -1, "character", 1014),
    VARCHAR(1043, "varchar", -1, "character varying", 1015),
    DATE(1082, "date", 4, "date", 1182),
    TIME(1083, "time", 8, "time without time zone", 1183),
    TIMESTAMP(1114, "timestamp", 8, "timestamp without time zone", 1115),
    TIMESTAMPTZ(1184, "timestamptz", 8, "timestamp with time zone", 1185),
    INTERVAL(1186, "interval", 16, "interval", 1187),
    NUMERIC(1700, "numeric", -1, "numeric", 1231),
    UUID(2950, "uuid", 16, "uuid", 2951),
    JSONB(3802, "jsonb", -1, "jsonb", 3807),

    BOOL_ARRAY(1000, BOOL),
    BYTEA_ARRAY(1001, BYTEA),
    CHAR_ARRAY(1002, CHAR),
    NAME_ARRAY(1003, NAME),
    INT8_ARRAY(1016, INT8),
    INT2_ARRAY(1005, INT2),
    INT4_ARRAY(1007, INT4),
    TEXT_ARRAY(1009, TEXT),
    OID_ARRAY(1028, OID),
    JSON_ARRAY(199, JSON),
    FLOAT4_ARRAY(1021, FLOAT4),
    FLOAT8_ARRAY(1022, FLOAT8),
    BPCHAR_ARRAY(1014, BPCHAR),
    VARCHAR_ARRAY(1015, VARCHAR),
    DATE_ARRAY(1182, DATE),
    TIME_ARRAY(1183, TIME),
    TIMESTAMP_ARRAY(1115, TIMESTAMP),
    TIMESTAMPTZ_ARRAY(1185, TIMESTAMPTZ),
    INTERVAL_ARRAY(1187, INTERVAL),
    NUMERIC_ARRAY(1231, NUMERIC),
    UUID_ARRAY(2951, UUID),
    JSONB_ARRAY(3807, JSONB);

    // OIDs of the types above all sit below this, so lookup is one array index
    private static final int MAX_OID = 4096;
    private static final PgType[] BY_OID = new PgType[MAX_OID];

    static {
        for (PgType t : values()) {
            if (BY_OID[t.oid] != null) {
                throw new AssertionError("OID " + t.oid + " listed twice");
            }
            BY_OID[t.oid] = t;
        }
    }

    private final int oid;
    private final String typname;
    private final int typlen;
    private final String sqlName;
    private final int arrayOid;
    private final PgType element;

    PgType(int oid, String typname, int typlen, String sqlName, int arrayOid) {
        this.oid = oid;
        this.typname = typname;
        this.typlen = typlen;
        this.sqlName = sqlName;
        this.arrayOid = arrayOid;
        this.element = null;
    }

    /** An array type: PostgreSQL names it after its element with a leading underscore. */
    PgType(int oid, PgType element) {
        this.oid = oid;
        this.typname = "_" + element.typname;
        this.typlen = -1;
        this.sqlName = element.sqlName + "[]";
        this.arrayOid = 0;
        this.element = element;
    }

    public int oid() {
        return oid;
    }

    /** The name as in {@code pg_type.typname}, e.g. {@code int4}, {@code _text}. */
    public String typname() {
        return typname;
    }

    /** {@code pg_type.typlen}, as RowDescription reports it: a fixed size, or -1 for varlena. */
    public int typlen() {
        return typlen;
    }

    /** The name PostgreSQL's error messages use, e.g. {@code integer}, {@code double precision}. */
    public String sqlName() {
        return sqlName;
    }

    public boolean isArray() {
        return element != null;
    }

    /** An array type's element type; null for others. */
    public PgType element() {
        return element;
    }

    /** The OID of the array type of this type ({@code pg_type.typarray}); 0 for an array or none. */
    public int arrayOid() {
        return arrayOid;
    }

    /** The element type of an array type, or null for a scalar. */
    public PgType elementType() {
        return element;
    }

    /** The array type whose elements are this type, or null (arrays of arrays are the same type). */
    public PgType arrayType() {
        return arrayOid == 0 ? null : BY_OID[arrayOid];
    }

    /**
     * The type named so in {@code pg_type.typname} (JDBC's column type name; serial names mean
     * their integer type), or null when tandem does not handle it.
     */
    public static PgType byTypname(String typname) {
        String name = switch (typname) {
            case "serial" -> "int4";
            case "bigserial" -> "int8";
            case "smallserial" -> "int2";
            default -> typname;
        };
        for (PgType type : values()) {
            if (type.typname.equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** The type PostgreSQL's format_type names so ({@code integer}, {@code double precision}), or null. */
    public static PgType bySqlName(String sqlName) {
        for (PgType type : values()) {
            if (type.sqlName.equals(sqlName)) {
                return type;
            }
        }
        return null;
    }

    /** The type with this OID, or null when tandem does not handle it. */
    public static PgType byOid(int oid) {
        return oid > 0 && oid < MAX_OID ? BY_OID[oid] : null;
    }
}
