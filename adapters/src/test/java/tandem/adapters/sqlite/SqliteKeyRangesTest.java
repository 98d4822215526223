package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tandem.core.error.ProxyException;
import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.mirror.ValueConverter;
import tandem.core.type.PgType;
import tandem.core.verify.RowFingerprint;

/**
 * The SQLite store's own fingerprint of a key range, which hashes most values straight from what
 * SQLite stores, against the same rows read, converted and hashed the slow way (the way the
 * row-by-row comparison sees them): equal for every value, one row per range, whatever the value's
 * storage class, and for several new-store types of each column. Where converting a value fails,
 * the fast way must not call the row equal to anything the new store could hold.
 */
class SqliteKeyRangesTest {

    @TempDir
    Path dir;

    /** A row every target type below holds: i (INTEGER), f (REAL), s (TEXT), j (JSON), t (TIMESTAMP), u (no type). */
    private static final Object[] BASE = {5L, 2.5, "text", "{\"a\": 1}", "2024-01-15 10:30:00", 3L};

    /** Each value replaces its column's value in {@link #BASE}, one row each: what the store has, whatever its storage class. */
    private static final Object[][] COLUMNS = {
        {0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 2_147_483_648L, 32_768L, -32_769L, "42", "not a number", 1.0, 2.5,
            new byte[] {1}, null},
        {0.0, -0.0, 1e300, Double.NaN, Double.POSITIVE_INFINITY, 1.5, 3L, "1.5", "x", null},
        {"", "plain", "é and 漢字 and 😀", "tab\tnew\nline", "42", 42L, 1.25, new byte[] {104, 105}, null},
        {"{}", "{\"b\": 1, \"a\": [1, 2.50, \"x\"]}", "[]", "\"just a string\"", "{\"a\":1,\"a\":2}", "not json",
            "  {\"spaced\" : true}  ", 12L, "[1,]", "{\"a\":\"\\u00e9\\n\"}",
            "{\"deep\": {\"er\": [null, false, true, -0.0, 1e2]}}", null},
        {"2024-01-15T10:30:00", "2024-01-15 10:30:00.5", "2024-01-15 10:30:00.123456", "1999-12-31 23:59:59.999999",
            "2024-02-29 00:00:00", "2024-02-30 00:00:00", "2024-01-15 10:30:00+02", "2024-01-15 24:00:00",
            "0001-01-01 00:00:00", "2024-1-5 1:2:3", "2024-01-15 10:30:00.1234567", "2024-01-15 10:30", 1_700_000_000L,
            "1970-01-01 00:00:00", null},
        {7L, 2.5, "text", new byte[] {1, 2}, null},
    };

    @Test
    void theStoresOwnFingerprintOfEachRowMatchesTheRowConvertedAndHashed() throws Exception {
        try (SqliteFixture f = SqliteFixture.create(dir,
                "CREATE TABLE t (k INTEGER PRIMARY KEY, i INTEGER, f REAL, s TEXT, j JSON, t TIMESTAMP, u)")) {
            int rows = 0;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f.file);
                    PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int col = 0; col < COLUMNS.length; col++) {
                    for (Object value : COLUMNS[col]) {
                        ps.setLong(1, ++rows);
                        for (int other = 0; other < BASE.length; other++) {
                            ps.setObject(other + 2, other == col ? value : BASE[other]);
                        }
                        ps.executeUpdate();
                    }
                }
            }
            Table table = f.store.schema().table("t");
            SqliteKeyRanges ranges = new SqliteKeyRanges(f.store);
            List<List<PgType>> targets = List.of(
                    List.of(PgType.INT8, PgType.INT8, PgType.FLOAT8, PgType.TEXT, PgType.JSON, PgType.TIMESTAMP, PgType.TEXT),
                    List.of(PgType.INT8, PgType.INT4, PgType.FLOAT8, PgType.VARCHAR, PgType.JSONB, PgType.TIMESTAMPTZ,
                            PgType.TEXT),
                    List.of(PgType.INT8, PgType.INT2, PgType.NUMERIC, PgType.JSONB, PgType.TEXT, PgType.TEXT, PgType.TEXT),
                    List.of(PgType.INT8, PgType.FLOAT8, PgType.TEXT, PgType.TEXT, PgType.JSONB, PgType.TIMESTAMP,
                            PgType.FLOAT8));
            int compared = 0;
            int failedBothWays = 0;
            for (List<PgType> types : targets) {
                Table as = retyped(table, types);
                for (int row = 1; row <= rows; row++) {
                    long k = row;
                    long fast = hashOrFailure(() -> ranges.fingerprint(table, as, k - 1, k).orElseThrow());
                    long slow = hashOrFailure(() -> slowWay(ranges, table, as, k));
                    assertThat(fast).as("row %d as %s", k, types).isEqualTo(slow);
                    compared++;
                    failedBothWays += fast == FAILED ? 1 : 0;
                }
            }
            assertThat(compared).isEqualTo(targets.size() * rows);
            assertThat(failedBothWays).as("rows a conversion refuses, both ways").isPositive()
                    .isLessThan(compared / 4);
        }
    }

    @Test
    void timestampsInTheUsualIsoFormAreReadWithoutTheParser() {
        assertThat(StoredValueHash.timestampMicros("2000-01-01 00:00:00".getBytes())).isZero();
        assertThat(StoredValueHash.timestampMicros("2000-01-01T00:00:01.5".getBytes())).isEqualTo(1_500_000);
        assertThat(StoredValueHash.timestampMicros("1999-12-31 23:59:59.999999".getBytes())).isEqualTo(-1);
        for (String other : List.of("2000-01-01 00:00:00+00", "2000-01-01 24:00:00", "2000-02-30 00:00:00",
                "2000-01-01 00:00:00.", "0000-01-01 00:00:00", "2000-01-01 00:00", "2000-01-01 00:00:60")) {
            assertThat(StoredValueHash.timestampMicros(other.getBytes())).as(other).isEqualTo(Long.MIN_VALUE);
        }
    }

    private static final long FAILED = 0x7fff_ffff_dead_beefL;

    private interface Hashing {
        RowFingerprint.Fingerprint get();
    }

    private static long hashOrFailure(Hashing hashing) {
        try {
            RowFingerprint.Fingerprint fp = hashing.get();
            assertThat(fp.rows()).isEqualTo(1);
            return fp.sum();
        } catch (ProxyException e) {
            return FAILED;
        }
    }

    /** Row {@code k} read as the row-by-row comparison reads it, converted and hashed column by column. */
    private static RowFingerprint.Fingerprint slowWay(SqliteKeyRanges ranges, Table table, Table as, long k) {
        List<Object[]> rows = ranges.rows(table, k - 1, k);
        long sum = 0;
        for (Object[] row : rows) {
            long h = 0;
            for (int i = 0; i < row.length; i++) {
                Column target = as.columns().get(i);
                Object v = ValueConverter.convert(table.name(), table.columns().get(i), target, row[i]);
                h = RowFingerprint.chain(h, RowFingerprint.hash(target.type(), v));
            }
            sum += h;
        }
        return new RowFingerprint.Fingerprint(rows.size(), sum);
    }

    private static Table retyped(Table table, List<PgType> types) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            Column c = table.columns().get(i);
            columns.add(new Column(c.name(), types.get(i), types.get(i).sqlName(), c.nullable()));
        }
        return new Table(table.name(), columns, table.key(), table.uniqueKeys(), table.foreignKeys());
    }
}
