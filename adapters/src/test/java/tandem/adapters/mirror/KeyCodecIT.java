package tandem.adapters.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.core.mirror.Column;
import tandem.core.mirror.Key;
import tandem.core.mirror.KeyCodec;
import tandem.core.type.PgType;

/**
 * The repair log's keys against real PostgreSQL: what {@code jsonb_build_array(key columns)}
 * prints (the rewriter's entries on a PostgreSQL primary) decodes to the key's values, and what
 * {@link KeyCodec#encode} writes (the SQLite emulation's entries) is that same text.
 */
@ExtendWith(PostgresExtension.class)
class KeyCodecIT {

    private static Connection c;

    @BeforeAll
    static void connect(TestDatabase db) throws SQLException {
        c = db.connect();
    }

    @AfterAll
    static void close() throws SQLException {
        c.close();
    }

    private record Case(String literal, PgType type, Object value) {
    }

    private static final List<Case> CASES = List.of(
            new Case("-7::int2", PgType.INT2, (short) -7),
            new Case("(-2147483648)::int4", PgType.INT4, Integer.MIN_VALUE),
            new Case("9223372036854775807::int8", PgType.INT8, Long.MAX_VALUE),
            new Case("12345678901234567890.0500::numeric", PgType.NUMERIC, new BigDecimal("12345678901234567890.0500")),
            new Case("1.50::numeric(5,2)", PgType.NUMERIC, new BigDecimal("1.50")),
            new Case("(-0.001)::numeric", PgType.NUMERIC, new BigDecimal("-0.001")),
            new Case("0.1::float8", PgType.FLOAT8, 0.1),
            new Case("1e20::float8", PgType.FLOAT8, 1e20),
            new Case("1e-7::float8", PgType.FLOAT8, 1e-7),
            new Case("123456789012345680::float8", PgType.FLOAT8, 123456789012345680.0),
            new Case("'NaN'::float8", PgType.FLOAT8, Double.NaN),
            new Case("'-Infinity'::float8", PgType.FLOAT8, Double.NEGATIVE_INFINITY),
            new Case("0.1::float4", PgType.FLOAT4, 0.1f),
            new Case("E'a\"b\\\\c\\n\\x01\u00e9/ \\t'::text", PgType.TEXT, "a\"b\\c\n\u0001\u00e9/ \t"),
            new Case("'user-1'::varchar(20)", PgType.VARCHAR, "user-1"),
            new Case("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", PgType.UUID,
                    UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
            new Case("'2024-01-15'::date", PgType.DATE, LocalDate.of(2024, 1, 15)),
            new Case("'0044-03-15 BC'::date", PgType.DATE, LocalDate.of(-43, 3, 15)),
            new Case("'infinity'::date", PgType.DATE, LocalDate.MAX),
            new Case("'10:30:00.25'::time", PgType.TIME, LocalTime.of(10, 30, 0, 250_000_000)),
            new Case("'24:00'::time", PgType.TIME, LocalTime.MAX),
            new Case("'2024-01-15 10:30:00'::timestamp", PgType.TIMESTAMP, LocalDateTime.of(2024, 1, 15, 10, 30)),
            new Case("'2024-01-15 10:30:00.12345'::timestamp", PgType.TIMESTAMP,
                    LocalDateTime.of(2024, 1, 15, 10, 30, 0, 123_450_000)),
            new Case("'0044-03-15 12:00:00 BC'::timestamp", PgType.TIMESTAMP, LocalDateTime.of(-43, 3, 15, 12, 0)),
            new Case("'-infinity'::timestamp", PgType.TIMESTAMP, LocalDateTime.MIN),
            new Case("'2024-01-15 10:30:00.5+00'::timestamptz", PgType.TIMESTAMPTZ,
                    OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 500_000_000, ZoneOffset.UTC)),
            new Case("'infinity'::timestamptz", PgType.TIMESTAMPTZ, OffsetDateTime.MAX),
            new Case("true", PgType.BOOL, true),
            new Case("'\\x0102ff'::bytea", PgType.BYTEA, new byte[] {1, 2, (byte) 0xff}),
            new Case("''::bytea", PgType.BYTEA, new byte[0]));

    private static String pg(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void decodesWhatPostgresWritesForEveryKeyTypeAndEncodesTheSameText() throws SQLException {
        pg("SELECT set_config('TimeZone', 'UTC', false)");
        for (Case k : CASES) {
            String printed = pg("SELECT jsonb_build_array(" + k.literal() + ")::text");
            Key decoded = KeyCodec.decode(printed, List.of(new Column("k", k.type(), k.type().typname(), false)));
            if (k.value() instanceof byte[] bytes) {
                assertThat((byte[]) decoded.values().get(0)).as(printed).isEqualTo(bytes);
            } else {
                assertThat(decoded).as(k.literal() + " printed as " + printed).isEqualTo(Key.of(k.value()));
            }
            assertThat(KeyCodec.encode(Key.of(k.value()))).as(k.literal()).isEqualTo(printed);
        }
    }

    @Test
    void timestamptzKeysWrittenInAnySessionZoneDecodeToTheSameInstant() throws SQLException {
        pg("SELECT set_config('TimeZone', 'Asia/Kolkata', false)");
        try {
            String printed = pg("SELECT jsonb_build_array('2024-01-15 10:30:00+00'::timestamptz, "
                    + "'1900-01-01 00:00:00+00'::timestamptz)::text");
            assertThat(printed).contains("+05:30").contains("+05:21:10");
            Column tz = new Column("k", PgType.TIMESTAMPTZ, "timestamptz", false);
            assertThat(KeyCodec.decode(printed, List.of(tz, tz)).values()).containsExactly(
                    OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 0, ZoneOffset.UTC),
                    OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        } finally {
            pg("SELECT set_config('TimeZone', 'UTC', false)");
        }
    }

    @Test
    void compositeKeysOfATableDecodeAsTheRewriterWritesThem() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE memberships (org uuid, member int8, since timestamp, PRIMARY KEY (org, member, since))");
            s.execute("INSERT INTO memberships VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 42, '2024-01-15 10:30:00.000001')");
        }
        String printed = pg("SELECT jsonb_build_array(org, member, since)::text FROM memberships");
        List<Column> key = List.of(new Column("org", PgType.UUID, "uuid", false),
                new Column("member", PgType.INT8, "bigint", false), new Column("since", PgType.TIMESTAMP, "timestamp", false));
        assertThat(KeyCodec.decode(printed, key)).isEqualTo(Key.of(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                42L, LocalDateTime.of(2024, 1, 15, 10, 30, 0, 1000)));
    }
}
