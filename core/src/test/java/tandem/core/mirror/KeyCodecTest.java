package tandem.core.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tandem.core.error.ProxyException;
import tandem.core.type.PgType;

class KeyCodecTest {

    private static Column column(PgType type) {
        return new Column("k", type, type.typname(), false);
    }

    private static void roundTrips(PgType type, Object value) {
        Key key = Key.of(value);
        String json = KeyCodec.encode(key);
        Key back = KeyCodec.decode(json, List.of(column(type)));
        if (value instanceof byte[] b) {
            assertThat((byte[]) back.values().get(0)).as(json).isEqualTo(b);
        } else {
            assertThat(back).as(json).isEqualTo(key);
        }
    }

    @Test
    void everyKeyTypeRoundTripsThroughItsJson() {
        roundTrips(PgType.INT2, (short) -7);
        roundTrips(PgType.INT4, Integer.MIN_VALUE);
        roundTrips(PgType.INT8, Long.MAX_VALUE);
        roundTrips(PgType.NUMERIC, new BigDecimal("12345678901234567890.0500"));
        roundTrips(PgType.FLOAT8, 0.1);
        roundTrips(PgType.FLOAT8, 1e20);
        roundTrips(PgType.FLOAT8, Double.NaN);
        roundTrips(PgType.FLOAT4, 0.1f);
        roundTrips(PgType.TEXT, "a\"b\\c\n\u0001é\t/");
        roundTrips(PgType.VARCHAR, "");
        roundTrips(PgType.UUID, UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        roundTrips(PgType.DATE, LocalDate.of(2024, 1, 15));
        roundTrips(PgType.DATE, LocalDate.of(-43, 3, 15));
        roundTrips(PgType.DATE, LocalDate.MAX);
        roundTrips(PgType.TIME, LocalTime.of(10, 30, 0, 250_000_000));
        roundTrips(PgType.TIME, LocalTime.MAX);
        roundTrips(PgType.TIMESTAMP, LocalDateTime.of(2024, 1, 15, 10, 30));
        roundTrips(PgType.TIMESTAMP, LocalDateTime.of(2024, 1, 15, 10, 30, 0, 123_450_000));
        roundTrips(PgType.TIMESTAMP, LocalDateTime.of(-43, 3, 15, 0, 0));
        roundTrips(PgType.TIMESTAMP, LocalDateTime.MIN);
        roundTrips(PgType.TIMESTAMPTZ, OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 500_000_000, ZoneOffset.UTC));
        roundTrips(PgType.TIMESTAMPTZ, OffsetDateTime.MAX);
        roundTrips(PgType.BOOL, true);
        roundTrips(PgType.BYTEA, new byte[] {1, 2, (byte) 0xff});
        roundTrips(PgType.BYTEA, new byte[0]);
    }

    @Test
    void encodesAsPostgresPrintsJsonbBuildArray() {
        assertThat(KeyCodec.encode(Key.of(1L, "a", true))).isEqualTo("[1, \"a\", true]");
        assertThat(KeyCodec.encode(Key.of(LocalDateTime.of(2024, 1, 15, 10, 30))))
                .isEqualTo("[\"2024-01-15T10:30:00\"]");
        assertThat(KeyCodec.encode(Key.of(OffsetDateTime.of(2024, 1, 15, 5, 0, 0, 500_000_000, ZoneOffset.UTC))))
                .isEqualTo("[\"2024-01-15T05:00:00.5+00:00\"]");
        assertThat(KeyCodec.encode(Key.of(new byte[] {1, 2, (byte) 0xff}))).isEqualTo("[\"\\\\x0102ff\"]");
        assertThat(KeyCodec.encode(Key.of(1e20, 1e-7, new BigDecimal("1.50")))).isEqualTo("[100000000000000000000, 0.0000001, 1.50]");
    }

    @Test
    void decodesTimestamptzInAnySessionZoneToTheSameInstantInUtc() {
        Key key = KeyCodec.decode("[\"2024-01-15T16:00:00+05:30\", \"1900-01-01T05:21:10+05:21:10\"]",
                List.of(column(PgType.TIMESTAMPTZ), column(PgType.TIMESTAMPTZ)));
        assertThat(key.values()).containsExactly(OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void compositeKeysDecodeEachElementByItsColumnType() {
        Key key = KeyCodec.decode(" [ 42 ,\"x\" , 3.10 ] ", List.of(column(PgType.INT4), column(PgType.TEXT),
                column(PgType.NUMERIC)));
        assertThat(key.values()).containsExactly(42, "x", new BigDecimal("3.10"));
    }

    @Test
    void untypedSqliteKeysKeepIntegersAsLongAndTextAsString() {
        assertThat(KeyCodec.decode("[7, \"7\", 1.5]", List.of(column(PgType.UNKNOWN), column(PgType.UNKNOWN),
                column(PgType.UNKNOWN))).values()).containsExactly(7L, "7", 1.5);
    }

    @Test
    void aKeyOfTheWrongShapeIsAnErrorNamingTheColumn() {
        assertThatThrownBy(() -> KeyCodec.decode("[1, 2]", List.of(column(PgType.INT8))))
                .isInstanceOf(ProxyException.class).hasMessageContaining("2 elements for 1 key columns");
        assertThatThrownBy(() -> KeyCodec.decode("[\"abc\"]", List.of(new Column("id", PgType.INT8, "bigint", false))))
                .isInstanceOf(ProxyException.class).hasMessageContaining("key column \"id\"");
        assertThatThrownBy(() -> KeyCodec.decode("[2147483648]", List.of(column(PgType.INT4))))
                .isInstanceOf(ProxyException.class);
        assertThatThrownBy(() -> KeyCodec.decode("{\"a\": 1}", List.of(column(PgType.INT4))))
                .isInstanceOf(ProxyException.class).hasMessageContaining("not a JSON array");
        assertThatThrownBy(() -> KeyCodec.decode("[1] x", List.of(column(PgType.INT4))))
                .isInstanceOf(ProxyException.class);
        assertThatThrownBy(() -> KeyCodec.decode("[null]", List.of(column(PgType.INT4))))
                .isInstanceOf(ProxyException.class).hasMessageContaining("null");
    }

    @Test
    void canonicalTextIsTheSameWhicheverJavaFormTheKeyCameIn() {
        List<Column> ints = List.of(column(PgType.INT8));
        assertThat(KeyCodec.canonical(ints, Key.of(5))).isEqualTo(KeyCodec.canonical(ints, Key.of(5L)));
        List<Column> numeric = List.of(column(PgType.NUMERIC));
        assertThat(KeyCodec.canonical(numeric, Key.of(new BigDecimal("1.50"))))
                .isEqualTo(KeyCodec.canonical(numeric, Key.of(new BigDecimal("1.5"))));
        List<Column> tz = List.of(column(PgType.TIMESTAMPTZ));
        assertThat(KeyCodec.canonical(tz, Key.of(OffsetDateTime.of(2024, 1, 15, 16, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)))))
                .isEqualTo(KeyCodec.canonical(tz, Key.of(OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 0, ZoneOffset.UTC))));
        List<Column> uuid = List.of(column(PgType.UUID));
        UUID u = UUID.randomUUID();
        assertThat(KeyCodec.canonical(uuid, Key.of(u.toString().toUpperCase()))).isEqualTo(KeyCodec.canonical(uuid, Key.of(u)));
    }
}
