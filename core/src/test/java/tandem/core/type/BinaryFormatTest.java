package tandem.core.type;

import static org.assertj.core.api.Assertions.assertThat;
import static tandem.core.type.TextOutputTest.assertState;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tandem.core.error.SqlState;

/** Binary format, each expected value as the type's PostgreSQL send function writes it. */
class BinaryFormatTest {

    private static final HexFormat HEX = HexFormat.of();

    private static String send(PgType type, Object value) {
        return HEX.formatHex(PgValues.encodeBinary(type, value));
    }

    private static Object recv(PgType type, String hex) {
        return PgValues.decodeBinary(type, HEX.parseHex(hex));
    }

    @Test
    void fixedSizeNumbersAreBigEndian() {
        assertThat(send(PgType.BOOL, true)).isEqualTo("01");
        assertThat(send(PgType.INT2, -2)).isEqualTo("fffe");
        assertThat(send(PgType.INT4, 0x01020304L)).isEqualTo("01020304");
        assertThat(send(PgType.INT8, -1)).isEqualTo("ffffffffffffffff");
        assertThat(send(PgType.OID, 4294967295L)).isEqualTo("ffffffff");
        assertThat(send(PgType.FLOAT8, 1.0)).isEqualTo("3ff0000000000000");
        assertThat(send(PgType.FLOAT8, Double.NaN)).isEqualTo("7ff8000000000000");
        assertThat(send(PgType.FLOAT4, -0.0f)).isEqualTo("80000000");
        assertThat(recv(PgType.INT2, "fffe")).isEqualTo((short) -2);
        assertThat(recv(PgType.INT4, "80000000")).isEqualTo(Integer.MIN_VALUE);
        assertThat(recv(PgType.OID, "ffffffff")).isEqualTo(4294967295L);
        assertThat(recv(PgType.BOOL, "02")).isEqualTo(true);
        assertThat(recv(PgType.FLOAT8, "3ff0000000000000")).isEqualTo(1.0);
    }

    @Test
    void numericIsWrittenAsNumericSendWritesIt() {
        // ndigits, weight, sign, dscale, then base-10000 digits; captured from numeric_send
        assertThat(send(PgType.NUMERIC, new BigDecimal("0.000"))).isEqualTo("0000000000000003");
        assertThat(send(PgType.NUMERIC, new BigDecimal("1.5000"))).isEqualTo("000200000000000400011388");
        assertThat(send(PgType.NUMERIC, new BigDecimal("-12345678.9"))).isEqualTo("000300014000000104d2162e2328");
        assertThat(send(PgType.NUMERIC, new BigDecimal("10000"))).isEqualTo("00010001000000000001");
        assertThat(send(PgType.NUMERIC, new BigDecimal("0.0001"))).isEqualTo("0001ffff000000040001");
        assertThat(send(PgType.NUMERIC, new BigDecimal("1E+8"))).isEqualTo("00010002000000000001");
        assertThat(send(PgType.NUMERIC, Double.NaN)).isEqualTo("00000000c0000000");
        assertThat(send(PgType.NUMERIC, Double.POSITIVE_INFINITY)).isEqualTo("00000000d0000020");
        assertThat(send(PgType.NUMERIC, Double.NEGATIVE_INFINITY)).isEqualTo("00000000f0000020");
        assertThat(send(PgType.NUMERIC, new BigDecimal("123456789012345678901234567890.5")))
                .isEqualTo("0009000700000001000c0d801ed204d2162e23340d801ed21388");
    }

    @Test
    void numericIsReadWithItsDisplayScaleAndExtraDigitsCutOff() {
        assertThat(recv(PgType.NUMERIC, "000300014000000104d2162e2328")).isEqualTo(new BigDecimal("-12345678.9"));
        assertThat(recv(PgType.NUMERIC, "0000000000000003")).isEqualTo(new BigDecimal("0.000"));
        assertThat(recv(PgType.NUMERIC, "00000000c0000000")).isEqualTo(Double.NaN);
        assertThat(recv(PgType.NUMERIC, "00000000d0000000")).isEqualTo(Double.POSITIVE_INFINITY);
        // unstripped leading and trailing zero digits, as some clients send them
        assertThat(recv(PgType.NUMERIC, "00040001000000040000000113880000")).isEqualTo(new BigDecimal("1.5000"));
        // 1.5678 with dscale 2 reads as numeric_recv truncates it: 1.56
        assertThat(recv(PgType.NUMERIC, "00020000000000020001162e")).isEqualTo(new BigDecimal("1.56"));
        assertState(() -> recv(PgType.NUMERIC, "0000000012340000"), SqlState.INVALID_BINARY_REPRESENTATION);
        assertState(() -> recv(PgType.NUMERIC, "00010000000000002710"), SqlState.INVALID_BINARY_REPRESENTATION);
        assertState(() -> recv(PgType.NUMERIC, "0001000000000000"), SqlState.INVALID_BINARY_REPRESENTATION);
    }

    @Test
    void datesAndTimesCountFromTwoThousand() {
        assertThat(send(PgType.DATE, LocalDate.of(2000, 1, 1))).isEqualTo("00000000");
        assertThat(send(PgType.DATE, LocalDate.of(1999, 12, 31))).isEqualTo("ffffffff");
        assertThat(send(PgType.DATE, LocalDate.MAX)).isEqualTo("7fffffff");
        assertThat(send(PgType.DATE, LocalDate.MIN)).isEqualTo("80000000");
        assertThat(send(PgType.TIME, LocalTime.of(0, 0, 1))).isEqualTo("00000000000f4240");
        assertThat(send(PgType.TIME, LocalTime.MAX)).isEqualTo("000000141dd76000");
        assertThat(send(PgType.TIMESTAMP, LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1000))).isEqualTo("0000000000000001");
        assertThat(send(PgType.TIMESTAMP, LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000)))
                .isEqualTo("ffffffffffffffff");
        assertThat(send(PgType.TIMESTAMP, LocalDateTime.MAX)).isEqualTo("7fffffffffffffff");
        assertThat(send(PgType.TIMESTAMPTZ, OffsetDateTime.of(2000, 1, 1, 5, 30, 0, 0, ZoneOffset.ofHoursMinutes(5, 30))))
                .isEqualTo("0000000000000000");
        assertThat(recv(PgType.DATE, "ffffffff")).isEqualTo(LocalDate.of(1999, 12, 31));
        assertThat(recv(PgType.DATE, "7fffffff")).isEqualTo(LocalDate.MAX);
        assertThat(recv(PgType.TIME, "000000141dd76000")).isEqualTo(LocalTime.MAX);
        assertThat(recv(PgType.TIMESTAMP, "ffffffffffffffff")).isEqualTo(LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000));
        assertThat(recv(PgType.TIMESTAMPTZ, "0000000000000000")).isEqualTo(OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertState(() -> recv(PgType.TIME, "000000141dd76001"), SqlState.INVALID_BINARY_REPRESENTATION);
        assertState(() -> recv(PgType.DATE, "000000"), SqlState.INVALID_BINARY_REPRESENTATION);
    }

    @Test
    void textLikeTypesAreRawUtf8AndJsonbHasAVersionByte() {
        assertThat(send(PgType.TEXT, "ü")).isEqualTo("c3bc");
        assertThat(send(PgType.JSON, "{}")).isEqualTo("7b7d");
        assertThat(send(PgType.JSONB, "{}")).isEqualTo("017b7d");
        assertThat(recv(PgType.JSONB, "017b7d")).isEqualTo("{}");
        assertThat(recv(PgType.VARCHAR, "c3bc")).isEqualTo("ü");
        assertThat(send(PgType.CHAR, "a")).isEqualTo("61");
        assertThat(recv(PgType.CHAR, "e9")).isEqualTo("\u00e9");
        assertState(() -> recv(PgType.JSONB, "027b7d"), SqlState.INVALID_BINARY_REPRESENTATION);
        assertState(() -> recv(PgType.TEXT, "c3"), SqlState.CHARACTER_NOT_IN_REPERTOIRE);
        assertState(() -> recv(PgType.TEXT, "00"), SqlState.CHARACTER_NOT_IN_REPERTOIRE);
    }

    @Test
    void byteaIsRawAndUuidIsSixteenBytes() {
        byte[] blob = {1, 2, 3};
        assertThat(PgValues.encodeBinary(PgType.BYTEA, blob)).isSameAs(blob);
        assertThat(send(PgType.UUID, UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")))
                .isEqualTo("a0eebc999c0b4ef8bb6d6bb9bd380a11");
        assertThat(recv(PgType.UUID, "a0eebc999c0b4ef8bb6d6bb9bd380a11"))
                .isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertState(() -> recv(PgType.UUID, "a0eebc99"), SqlState.INVALID_BINARY_REPRESENTATION);
    }

    @Test
    void intervalsTravelAsMicrosDaysMonths() {
        assertThat(send(PgType.INTERVAL, Duration.ofSeconds(1))).isEqualTo("00000000000f42400000000000000000");
        assertThat(recv(PgType.INTERVAL, "0000000ef2a4aaa0000000030000000e")).isEqualTo("1 year 2 mons 3 days 17:50:00.42");
        assertThat(recv(PgType.INTERVAL, "ffffffe52d8b8000fffffffe00000000")).isEqualTo("-2 days -32:00:00");
        assertState(() -> send(PgType.INTERVAL, "1 day"), SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void arraysAreWrittenAsArraySendWritesThem() {
        // ndim, has-nulls, element OID, size and lower bound per dimension, then length-prefixed elements
        assertThat(send(PgType.INT4_ARRAY, Arrays.asList(1, null, 3)))
                .isEqualTo("00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003");
        assertThat(send(PgType.INT4_ARRAY, List.of())).isEqualTo("000000000000000000000017");
        assertThat(send(PgType.TEXT_ARRAY, List.of(List.of("a"), List.of("b"))))
                .isEqualTo("0000000200000000000000190000000200000001000000010000000100000001610000000162");
        assertThat(recv(PgType.INT4_ARRAY,
                "00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003"))
                .isEqualTo(Arrays.asList(1, null, 3));
        assertThat(recv(PgType.TEXT_ARRAY, "0000000200000000000000190000000200000001000000010000000100000001610000000162"))
                .isEqualTo(List.of(List.of("a"), List.of("b")));
        assertThat(recv(PgType.INT4_ARRAY, "000000000000000000000017")).isEqualTo(List.of());
        assertState(() -> recv(PgType.INT4_ARRAY, "000000010000000000000019000000010000000100000001"),
                SqlState.DATATYPE_MISMATCH);
        assertState(() -> recv(PgType.INT4_ARRAY, "00000001000000000000001700000001000000000000000400000001"),
                SqlState.FEATURE_NOT_SUPPORTED);
        assertState(() -> recv(PgType.INT4_ARRAY, "00000001000000000000001700000002000000010000000400000001"),
                SqlState.INVALID_BINARY_REPRESENTATION);
    }
}
