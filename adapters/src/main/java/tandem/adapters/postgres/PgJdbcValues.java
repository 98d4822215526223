package tandem.adapters.postgres;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import tandem.core.mirror.Table;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * Values between pgjdbc and tandem's Java value model ({@link PgValues}' class comment): what a
 * column of each {@link PgType} reads as, and how a value is bound so that the server receives
 * exactly it. Statements cast every parameter to its column's type, so a binding only has to
 * carry the value; numbers and times go typed, and what has no exact JDBC form (numeric NaN,
 * json, intervals, enums, arrays) goes as PostgreSQL text.
 */
final class PgJdbcValues {

    /** Text forms for arrays: UTC, shortest exact floats, hex bytea: what PostgreSQL's input functions read back exactly. */
    private static final PgSessionSettings TEXT = PgSessionSettings.DEFAULT;

    private PgJdbcValues() {
    }

    /** The current row of {@code rs}, whose first columns are {@code table}'s, in the value model. */
    static Object[] row(ResultSet rs, Table table) throws SQLException {
        Object[] row = new Object[table.columns().size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = read(rs, i + 1, table.columns().get(i).type());
        }
        return row;
    }

    static Object read(ResultSet rs, int i, PgType type) throws SQLException {
        Object v = switch (type) {
            case BOOL -> rs.getBoolean(i);
            case INT2 -> rs.getShort(i);
            case INT4 -> rs.getInt(i);
            case INT8 -> rs.getLong(i);
            case FLOAT4 -> rs.getFloat(i);
            case FLOAT8 -> rs.getDouble(i);
            case NUMERIC -> {
                String s = rs.getString(i);
                yield s == null ? null : PgValues.decodeText(PgType.NUMERIC, s, TEXT);
            }
            case BYTEA -> rs.getBytes(i);
            case UUID -> rs.getObject(i, UUID.class);
            case DATE -> rs.getObject(i, LocalDate.class);
            case TIME -> rs.getObject(i, LocalTime.class);
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMPTZ -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                yield t == null || t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN) ? t
                        : t.withOffsetSameInstant(ZoneOffset.UTC);
            }
            default -> {
                String s = rs.getString(i);
                // arrays print with their elements' output functions; pgjdbc's session (DateStyle ISO,
                // extra_float_digits 3, offsets on timestamptz) keeps that text exact
                yield s == null || !type.isArray() ? s : PgValues.decodeText(type, s, TEXT);
            }
        };
        return rs.wasNull() ? null : v;
    }

    static void bind(PreparedStatement ps, int i, PgType type, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.OTHER);
            return;
        }
        switch (type) {
            case BOOL -> ps.setBoolean(i, (Boolean) v);
            case INT2, INT4, INT8 -> ps.setLong(i, ((Number) v).longValue());
            case FLOAT4 -> ps.setFloat(i, ((Number) v).floatValue());
            case FLOAT8 -> ps.setDouble(i, ((Number) v).doubleValue());
            case NUMERIC -> {
                if (v instanceof BigDecimal d) {
                    ps.setBigDecimal(i, d);
                } else {
                    ps.setString(i, text(type, v)); // NaN, Infinity
                }
            }
            case BYTEA -> ps.setBytes(i, (byte[]) v);
            case UUID -> ps.setObject(i, v);
            case DATE, TIME, TIMESTAMP, TIMESTAMPTZ -> ps.setObject(i, v);
            case TEXT, VARCHAR, BPCHAR, JSON, JSONB, INTERVAL -> ps.setString(i, (String) v);
            default -> ps.setString(i, text(type, v));
        }
    }

    /** The value as PostgreSQL's output function prints it: what its input function reads back. */
    static String text(PgType type, Object v) {
        return new String(PgValues.encodeText(type, v, TEXT), StandardCharsets.UTF_8);
    }
}
