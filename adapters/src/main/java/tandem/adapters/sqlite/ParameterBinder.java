package tandem.adapters.sqlite;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Binds a parameter, decoded by the type the client declared or tandem inferred, so that SQLite
 * stores what PostgreSQL would mean:
 * <ul>
 * <li>Boolean as 0 or 1; integers as INTEGER; floats as REAL, except NaN, which SQLite would turn
 *     into NULL, as the text {@code NaN}.
 * <li>BigDecimal as an INTEGER or REAL when one holds it exactly, so it compares as a number; else
 *     as its exact decimal text (REAL has 15 to 17 significant digits).
 * <li>uuid as lower-case text; bytea as a BLOB.
 * <li>date, time and timestamp as PostgreSQL's ISO text ({@code 2024-01-15 10:30:00.5}), which
 *     SQLite's date functions read and which sorts in time order; timestamptz as that text in UTC,
 *     without an offset, as SQLite's CURRENT_TIMESTAMP writes it.
 * </ul>
 */
final class ParameterBinder {

    private ParameterBinder() {
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        switch (value) {
            case null -> ps.setNull(index, Types.NULL);
            case Boolean b -> ps.setLong(index, b ? 1 : 0);
            case Short s -> ps.setLong(index, s);
            case Integer i -> ps.setLong(index, i);
            case Long l -> ps.setLong(index, l);
            case Float f -> floating(ps, index, f);
            case Double d -> floating(ps, index, d);
            case BigDecimal d -> decimal(ps, index, d);
            case String s -> ps.setString(index, s);
            case byte[] b -> ps.setBytes(index, b);
            case ByteBuffer b -> {
                byte[] bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                ps.setBytes(index, bytes);
            }
            case UUID u -> ps.setString(index, u.toString());
            case LocalDate d -> ps.setString(index, StorageFormat.date(d));
            case LocalTime t -> ps.setString(index, StorageFormat.time(t));
            case LocalDateTime t -> ps.setString(index, StorageFormat.timestamp(t));
            case OffsetDateTime t -> ps.setString(index, StorageFormat.timestamptz(t));
            case List<?> list -> throw Refusals.arrays("an array parameter");
            case Duration d -> throw Refusals.interval();
            default -> ps.setString(index, value.toString());
        }
    }

    private static void floating(PreparedStatement ps, int index, double d) throws SQLException {
        if (Double.isNaN(d)) {
            ps.setString(index, "NaN");
        } else {
            ps.setDouble(index, d);
        }
    }

    private static void decimal(PreparedStatement ps, int index, BigDecimal d) throws SQLException {
        if (d.scale() <= 0) {
            try {
                ps.setLong(index, d.longValueExact());
                return;
            } catch (ArithmeticException tooBig) {
                ps.setString(index, d.toPlainString());
                return;
            }
        }
        double x = d.doubleValue();
        if (!Double.isInfinite(x) && BigDecimal.valueOf(x).compareTo(d) == 0) {
            ps.setDouble(index, x);
        } else {
            ps.setString(index, d.toPlainString());
        }
    }
}
