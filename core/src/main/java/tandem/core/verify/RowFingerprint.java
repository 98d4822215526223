package tandem.core.verify;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.type.PgType;

/**
 * A fingerprint of a run of rows that PostgreSQL computes in SQL and tandem computes in Java from
 * another store's rows, equal when the rows are: the count, and the sum (modulo 2^64) of one
 * 64-bit hash per row. A row's hash chains its columns' hashes through {@code hashint8extended},
 * each column's hash seeded with the hash so far, so that it depends on every value and on its
 * column; a plain XOR or sum of column hashes would let two changes cancel out (two rows swapping
 * a value, two booleans flipped). Each column's hash is PostgreSQL's own hash of the value
 * ({@code hashint8}, {@code hashtext}, {@code jsonb_hash}...; {@link PgHash} computes them here).
 * Values hash by meaning as the server holds them: jsonb by its keys and values whatever their
 * order and spacing in the text, numbers by value; a SQLite 1 in a boolean column hashes as true
 * once converted.
 *
 * <p>The SQL and the Java side are written next to each other on purpose: they must agree for every
 * type {@link #supports} names. Types outside that list (bytea, arrays, intervals, char(n)...) leave
 * their table to the row-by-row comparison. A sum does not depend on the order rows are read in,
 * so each store may read a key range in its own order.
 *
 * <p>What a fingerprint cannot see: values PostgreSQL's hash treats as one (0.0 and -0.0, and a
 * numeric's scale, 1.0 and 1.00 — which the row-by-row comparison holds equal too; numeric NaN and
 * Infinity; the sign of a number inside jsonb; text equal under a nondeterministic collation), and
 * a collision of a column's 32-bit hash, about one in four billion per differing value.
 */
public final class RowFingerprint {

    private static final Set<PgType> SUPPORTED = EnumSet.of(PgType.BOOL, PgType.INT2, PgType.INT4, PgType.INT8,
            PgType.FLOAT4, PgType.FLOAT8, PgType.NUMERIC, PgType.TEXT, PgType.VARCHAR, PgType.JSON, PgType.JSONB,
            PgType.UUID, PgType.DATE, PgType.TIME, PgType.TIMESTAMP, PgType.TIMESTAMPTZ);
    /** A NULL's hash: any constant, one a value rarely hashes to. */
    public static final int NULL_HASH = 791_621_423;
    /** XORed into a negative numeric's hash, which PostgreSQL's hash_numeric leaves out. */
    private static final int NEGATIVE = 0x55555555;
    private static final long EPOCH_2000 = 946_684_800L;
    private static final long DAYS_TO_2000 = LocalDate.of(2000, 1, 1).toEpochDay();

    /** A run of rows: how many and their hashes' sum (modulo 2^64). */
    public record Fingerprint(long rows, long sum) {
    }

    private RowFingerprint() {
    }

    /** Whether every column is of a type the fingerprint covers. */
    public static boolean supports(Table table) {
        return table.columns().stream().allMatch(c -> SUPPORTED.contains(c.type()));
    }

    /** PostgreSQL's expression for a row's hash, over {@code table}'s columns by name. */
    public static String sql(Table table, java.util.function.UnaryOperator<String> quote) {
        String row = "0::int8";
        for (Column c : table.columns()) {
            row = "hashint8extended(coalesce(" + hashSql(c.type(), quote.apply(c.name())) + ", " + NULL_HASH + ")::int8, "
                    + row + ")";
        }
        return row;
    }

    private static String hashSql(PgType type, String c) {
        return switch (type) {
            case BOOL -> "CASE WHEN " + c + " THEN 2 WHEN NOT " + c + " THEN 1 END";
            case INT2 -> "hashint2(" + c + ")";
            case INT4 -> "hashint4(" + c + ")";
            case INT8 -> "hashint8(" + c + ")";
            case FLOAT4 -> "hashfloat4(" + c + ")";
            case FLOAT8 -> "hashfloat8(" + c + ")";
            case NUMERIC -> "(hash_numeric(" + c + ") # CASE WHEN " + c + " < 0 THEN " + NEGATIVE + " ELSE 0 END)";
            case TEXT, VARCHAR -> "hashtext(" + c + ")";
            case JSON -> "hashtext(" + c + "::text)";
            case JSONB -> "jsonb_hash(" + c + ")";
            case UUID -> "uuid_hash(" + c + ")";
            case DATE -> "CASE WHEN " + c + " = 'infinity' THEN 3 WHEN " + c + " = '-infinity' THEN 5 ELSE hashint4("
                    + c + " - date '2000-01-01') END";
            case TIME -> "time_hash(" + c + ")";
            case TIMESTAMP -> "timestamp_hash(" + c + ")";
            case TIMESTAMPTZ -> "timestamptz_hash(" + c + ")";
            default -> throw new IllegalArgumentException("no fingerprint for " + type);
        };
    }

    /** The sum of {@code rows}' hashes, each row in tandem's value model aligned with {@code types}. */
    public static Fingerprint of(List<PgType> types, Iterable<Object[]> rows) {
        long count = 0;
        long sum = 0;
        for (Object[] row : rows) {
            count++;
            sum += rowHash(types, row);
        }
        return new Fingerprint(count, sum);
    }

    static long rowHash(List<PgType> types, Object[] row) {
        long h = 0;
        for (int i = 0; i < row.length; i++) {
            h = chain(h, hash(types.get(i), row[i]));
        }
        return h;
    }

    /**
     * A row's hash so far, {@code row} (0 before the first column), with the next column's hash
     * added: for a store that hashes its values itself, in the table's column order.
     */
    public static long chain(long row, int columnHash) {
        return PgHash.int8Extended(columnHash, row);
    }

    /** A column's hash of value {@code v} (null included) of type {@code type}, in tandem's value model. */
    public static int hash(PgType type, Object v) {
        if (v == null) {
            return NULL_HASH;
        }
        try {
            return switch (type) {
                case BOOL -> (Boolean) v ? 2 : 1;
                case INT2, INT4, INT8 -> PgHash.int8(((Number) v).longValue());
                case FLOAT4, FLOAT8 -> PgHash.float8(((Number) v).doubleValue());
                case NUMERIC -> numeric(v);
                case TEXT, VARCHAR, JSON -> PgHash.text((String) v);
                case JSONB -> PgHash.jsonb((String) v);
                case UUID -> uuid((UUID) v);
                case DATE -> date((LocalDate) v);
                case TIME -> PgHash.int8(v.equals(LocalTime.MAX) ? 86_400_000_000L : ((LocalTime) v).toNanoOfDay() / 1000);
                case TIMESTAMP -> timestamp((LocalDateTime) v);
                case TIMESTAMPTZ -> instant((OffsetDateTime) v);
                default -> throw new IllegalArgumentException("no fingerprint for " + type);
            };
        } catch (IllegalArgumentException | ClassCastException e) {
            // a value the new store could not hold as it is (bad JSON, a string in a number column):
            // the chunk differs, and the row-by-row comparison names it
            return 0x6b43a9b5 ^ String.valueOf(v).hashCode();
        }
    }

    private static int numeric(Object v) {
        if (v instanceof BigDecimal d) {
            return PgHash.numeric(d) ^ (d.signum() < 0 ? NEGATIVE : 0);
        }
        double d = ((Number) v).doubleValue(); // NaN and the infinities: the server hashes them as 0
        return d == Double.NEGATIVE_INFINITY ? NEGATIVE : 0;
    }

    private static int uuid(UUID u) {
        byte[] b = new byte[16];
        long msb = u.getMostSignificantBits();
        long lsb = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (msb >>> (56 - 8 * i));
            b[8 + i] = (byte) (lsb >>> (56 - 8 * i));
        }
        return PgHash.bytes(b);
    }

    private static int date(LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return 3;
        }
        if (d.equals(LocalDate.MIN)) {
            return 5;
        }
        return PgHash.int8(d.toEpochDay() - DAYS_TO_2000);
    }

    private static int timestamp(LocalDateTime t) {
        if (t.equals(LocalDateTime.MAX)) {
            return PgHash.int8(Long.MAX_VALUE);
        }
        if (t.equals(LocalDateTime.MIN)) {
            return PgHash.int8(Long.MIN_VALUE);
        }
        return timestamp(micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano()));
    }

    /** A timestamp's or timestamptz's hash, from its microseconds since 2000-01-01 00:00 (UTC for a timestamptz). */
    public static int timestamp(long microsSince2000) {
        return PgHash.int8(microsSince2000);
    }

    private static int instant(OffsetDateTime t) {
        if (t.equals(OffsetDateTime.MAX)) {
            return PgHash.int8(Long.MAX_VALUE);
        }
        if (t.equals(OffsetDateTime.MIN)) {
            return PgHash.int8(Long.MIN_VALUE);
        }
        Instant i = t.toInstant();
        return PgHash.int8(micros(i.getEpochSecond(), i.getNano()));
    }

    private static long micros(long epochSecond, int nano) {
        return (epochSecond - EPOCH_2000) * 1_000_000L + nano / 1000;
    }

}
