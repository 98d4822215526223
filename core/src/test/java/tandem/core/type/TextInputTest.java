package tandem.core.type;

import static org.assertj.core.api.Assertions.assertThat;
import static tandem.core.type.TextOutputTest.assertState;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tandem.core.error.SqlState;

/** Text input as clients send it, read as PostgreSQL's input functions read it. */
class TextInputTest {

    private static final PgSessionSettings S = PgSessionSettings.DEFAULT;

    private static Object read(PgType type, String text) {
        return read(type, text, S);
    }

    private static Object read(PgType type, String text, PgSessionSettings s) {
        return PgValues.decodeText(type, text.getBytes(StandardCharsets.UTF_8), s);
    }

    private static OffsetDateTime utc(int y, int mo, int d, int h, int mi) {
        return OffsetDateTime.of(y, mo, d, h, mi, 0, 0, ZoneOffset.UTC);
    }

    @Test
    void booleansTakeEveryUniquePrefixInAnyCase() {
        for (String t : List.of("t", "TRUE", " tru ", "yes", "Y", "on", "1")) {
            assertThat(read(PgType.BOOL, t)).as(t).isEqualTo(true);
        }
        for (String f : List.of("f", "false", "FA", "no", "N", "off", "OF", "0")) {
            assertThat(read(PgType.BOOL, f)).as(f).isEqualTo(false);
        }
        for (String bad : List.of("o", "", "2", "tru e", "yess")) {
            assertState(() -> read(PgType.BOOL, bad), SqlState.INVALID_TEXT_REPRESENTATION);
        }
    }

    @Test
    void integersAreRangeCheckedAndTakePostgres16Literals() {
        assertThat(read(PgType.INT4, " -42 ")).isEqualTo(-42);
        assertThat(read(PgType.INT2, "32767")).isEqualTo((short) 32767);
        assertThat(read(PgType.INT8, "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(read(PgType.INT4, "1_000_000")).isEqualTo(1_000_000);
        assertThat(read(PgType.INT4, "0x7FFFFFFF")).isEqualTo(Integer.MAX_VALUE);
        assertThat(read(PgType.INT4, "-0b101")).isEqualTo(-5);
        assertThat(read(PgType.OID, "-1")).isEqualTo(4294967295L);
        assertState(() -> read(PgType.INT4, "2147483648"), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertState(() -> read(PgType.INT8, "9223372036854775808"), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertState(() -> read(PgType.INT2, "-32769"), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        for (String bad : List.of("", " ", "1.0", "1e3", "_1", "1_", "1__0", "١٢", "+", "0x")) {
            assertState(() -> read(PgType.INT4, bad), SqlState.INVALID_TEXT_REPRESENTATION);
        }
    }

    @Test
    void floatsTakeSpecialValuesAndRefuseOverflowAndUnderflow() {
        assertThat(read(PgType.FLOAT8, " Infinity ")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(read(PgType.FLOAT8, "-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat((Double) read(PgType.FLOAT8, "NaN")).isNaN();
        assertThat(read(PgType.FLOAT8, "1e-310")).isEqualTo(1e-310);
        assertThat(read(PgType.FLOAT8, ".5")).isEqualTo(0.5);
        assertThat(read(PgType.FLOAT8, "0x10")).isEqualTo(16.0);
        assertThat(Double.doubleToRawLongBits((Double) read(PgType.FLOAT8, "-0"))).isEqualTo(Long.MIN_VALUE);
        assertThat(read(PgType.FLOAT4, "0.1")).isEqualTo(0.1f);
        assertState(() -> read(PgType.FLOAT8, "1e400"), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertState(() -> read(PgType.FLOAT8, "1e-400"), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertState(() -> read(PgType.FLOAT4, "1e39"), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertState(() -> read(PgType.FLOAT8, "1d"), SqlState.INVALID_TEXT_REPRESENTATION);
        assertState(() -> read(PgType.FLOAT8, "Infinit"), SqlState.INVALID_TEXT_REPRESENTATION);
    }

    @Test
    void numericKeepsTheScaleWrittenAndAdjustsItForExponents() {
        assertThat(read(PgType.NUMERIC, " 1.50 ")).isEqualTo(new BigDecimal("1.50"));
        assertThat(read(PgType.NUMERIC, "1e5")).isEqualTo(new BigDecimal("100000"));
        assertThat(read(PgType.NUMERIC, "1.5e-3")).isEqualTo(new BigDecimal("0.0015"));
        assertThat(read(PgType.NUMERIC, "1_000.000_1")).isEqualTo(new BigDecimal("1000.0001"));
        assertThat(read(PgType.NUMERIC, "0x1F")).isEqualTo(new BigDecimal("31"));
        assertThat(read(PgType.NUMERIC, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat((Double) read(PgType.NUMERIC, "nan")).isNaN();
        for (String bad : List.of("abc", "1e", "1..2", "--1", "1_", ".", "1 2")) {
            assertState(() -> read(PgType.NUMERIC, bad), SqlState.INVALID_TEXT_REPRESENTATION);
        }
    }

    @Test
    void datesTakeIsoUsAndCompactFormsUnderDateStyleIsoMdy() {
        LocalDate jan15 = LocalDate.of(2024, 1, 15);
        for (String d : List.of("2024-01-15", " 2024-1-15 ", "01/15/2024", "1/15/24", "20240115", "2024-01-15 10:30:00",
                "2024-01-15T10:30:00Z", "2024-01-15 +02")) {
            assertThat(read(PgType.DATE, d)).as(d).isEqualTo(jan15);
        }
        assertThat(read(PgType.DATE, "0044-03-15 BC")).isEqualTo(LocalDate.of(-43, 3, 15));
        assertThat(read(PgType.DATE, "1/2/70")).isEqualTo(LocalDate.of(1970, 1, 2));
        assertThat(read(PgType.DATE, "infinity")).isEqualTo(LocalDate.MAX);
        assertThat(read(PgType.DATE, "epoch")).isEqualTo(LocalDate.of(1970, 1, 1));
        assertState(() -> read(PgType.DATE, "2024-02-30"), SqlState.DATETIME_FIELD_OVERFLOW);
        assertState(() -> read(PgType.DATE, "0000-01-01"), SqlState.DATETIME_FIELD_OVERFLOW);
        assertState(() -> read(PgType.DATE, "4714-11-23 BC"), SqlState.DATETIME_FIELD_OVERFLOW);
        assertState(() -> read(PgType.DATE, "January 15"), SqlState.INVALID_DATETIME_FORMAT);
        assertState(() -> read(PgType.DATE, "today"), SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void timesRoundFractionsPastMicrosecondsAndAllowMidnightAtTheEnd() {
        assertThat(read(PgType.TIME, "10:30")).isEqualTo(LocalTime.of(10, 30));
        assertThat(read(PgType.TIME, "10:30:00.5")).isEqualTo(LocalTime.of(10, 30, 0, 500_000_000));
        assertThat(read(PgType.TIME, "10:30:00.9999996")).isEqualTo(LocalTime.of(10, 30, 1));
        assertThat(read(PgType.TIME, "24:00:00")).isEqualTo(LocalTime.MAX);
        assertThat(read(PgType.TIME, "10:30:00+05")).isEqualTo(LocalTime.of(10, 30));
        assertState(() -> read(PgType.TIME, "24:00:01"), SqlState.DATETIME_FIELD_OVERFLOW);
        assertState(() -> read(PgType.TIME, "10:60"), SqlState.DATETIME_FIELD_OVERFLOW);
        assertState(() -> read(PgType.TIME, "10h30"), SqlState.INVALID_DATETIME_FORMAT);
    }

    @Test
    void timestampsTakeTOrSpaceAndIgnoreAZone() {
        LocalDateTime t = LocalDateTime.of(2024, 1, 15, 10, 30);
        for (String s : List.of("2024-01-15 10:30:00", "2024-01-15T10:30", "2024-01-15 10:30:00+05:30", "2024-01-15T10:30:00Z",
                "2024-01-15   10:30:00.000")) {
            assertThat(read(PgType.TIMESTAMP, s)).as(s).isEqualTo(t);
        }
        assertThat(read(PgType.TIMESTAMP, "2024-01-15 10:30:00.123456789")).isEqualTo(t.withNano(123_457_000));
        assertThat(read(PgType.TIMESTAMP, "0044-03-15 10:30:00 BC")).isEqualTo(LocalDateTime.of(-43, 3, 15, 10, 30));
        assertThat(read(PgType.TIMESTAMP, "-infinity")).isEqualTo(LocalDateTime.MIN);
        assertState(() -> read(PgType.TIMESTAMP, "294277-01-01 00:00"), SqlState.DATETIME_FIELD_OVERFLOW);
    }

    @Test
    void timestamptzReadsOffsetsZonesAndTheSessionZone() {
        OffsetDateTime t = utc(2024, 1, 15, 10, 30);
        assertThat(read(PgType.TIMESTAMPTZ, "2024-01-15 10:30:00+00")).isEqualTo(t);
        assertThat(read(PgType.TIMESTAMPTZ, "2024-01-15T10:30:00Z")).isEqualTo(t);
        assertThat(read(PgType.TIMESTAMPTZ, "2024-01-15 16:00:00+05:30")).isEqualTo(t);
        assertThat(read(PgType.TIMESTAMPTZ, "2024-01-15 16:00:00 +0530")).isEqualTo(t);
        assertThat(read(PgType.TIMESTAMPTZ, "2024-01-15 07:30:00-03")).isEqualTo(t);
        assertThat(read(PgType.TIMESTAMPTZ, "2024-01-15 11:30 Europe/Paris")).isEqualTo(t);
        assertThat(read(PgType.TIMESTAMPTZ, "2024-01-15 16:00:00", S.withTimeZone(ZoneId.of("Asia/Kolkata")))).isEqualTo(t);
        assertState(() -> read(PgType.TIMESTAMPTZ, "2024-01-15 10:30:00+16"), SqlState.INVALID_TIME_ZONE_DISPLACEMENT_VALUE);
        assertState(() -> read(PgType.TIMESTAMPTZ, "2024-01-15 10:30:00 Mars/Olympus"), SqlState.INVALID_DATETIME_FORMAT);
    }

    @Test
    void localTimesThatDaylightSavingSkipsOrRepeatsResolveAsPostgresResolvesThem() {
        PgSessionSettings ny = S.withTimeZone(ZoneId.of("America/New_York"));
        // 02:30 does not exist on 2024-03-10: read with the offset before the change (EST), so 07:30Z
        assertThat(read(PgType.TIMESTAMPTZ, "2024-03-10 02:30", ny)).isEqualTo(utc(2024, 3, 10, 7, 30));
        // 01:30 happens twice on 2024-11-03: the later one (EST), so 06:30Z
        assertThat(read(PgType.TIMESTAMPTZ, "2024-11-03 01:30", ny)).isEqualTo(utc(2024, 11, 3, 6, 30));
    }

    @Test
    void uuidsTakeCaseBracesAndDashesAfterAnyFourDigits() {
        UUID u = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        for (String s : List.of("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
                "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11")) {
            assertThat(read(PgType.UUID, s)).as(s).isEqualTo(u);
        }
        for (String bad : List.of(" a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
                "{a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", "a0e-ebc999c0b4ef8bb6d6bb9bd380a11")) {
            assertState(() -> read(PgType.UUID, bad), SqlState.INVALID_TEXT_REPRESENTATION);
        }
    }

    @Test
    void byteaTakesHexWithSpacesAndTheEscapeFormat() {
        assertThat((byte[]) read(PgType.BYTEA, "\\x0A0b")).containsExactly(10, 11);
        assertThat((byte[]) read(PgType.BYTEA, "\\x 0a 0b")).containsExactly(10, 11);
        assertThat((byte[]) read(PgType.BYTEA, "a\\\\b\\001\\377")).containsExactly('a', '\\', 'b', 1, 0xFF);
        assertThat((byte[]) read(PgType.BYTEA, "")).isEmpty();
        assertState(() -> read(PgType.BYTEA, "\\x0"), SqlState.INVALID_PARAMETER_VALUE);
        assertState(() -> read(PgType.BYTEA, "\\xzz"), SqlState.INVALID_PARAMETER_VALUE);
        assertState(() -> read(PgType.BYTEA, "a\\b"), SqlState.INVALID_TEXT_REPRESENTATION);
    }

    @Test
    void arraysReadQuotesEscapesNullsAndDimensions() {
        assertThat(read(PgType.INT4_ARRAY, " { 1 , NULL , 3 } ")).isEqualTo(Arrays.asList(1, null, 3));
        assertThat(read(PgType.INT4_ARRAY, "{{1,2},{3,4}}")).isEqualTo(List.of(List.of(1, 2), List.of(3, 4)));
        assertThat(read(PgType.INT4_ARRAY, "[1:2]={5,6}")).isEqualTo(List.of(5, 6));
        assertThat(read(PgType.INT4_ARRAY, "{}")).isEqualTo(List.of());
        assertThat(read(PgType.TEXT_ARRAY, "{a,\"b c\",\"\",NULL,\"NULL\",\\N, a\\,b ,\"q\\\"\"}"))
                .isEqualTo(Arrays.asList("a", "b c", "", null, "NULL", "N", "a,b", "q\""));
        assertState(() -> read(PgType.INT4_ARRAY, "{1,2"), SqlState.INVALID_TEXT_REPRESENTATION);
        assertState(() -> read(PgType.INT4_ARRAY, "{{1},{2,3}}"), SqlState.INVALID_TEXT_REPRESENTATION);
        assertState(() -> read(PgType.INT4_ARRAY, "{1}}"), SqlState.INVALID_TEXT_REPRESENTATION);
        assertState(() -> read(PgType.INT4_ARRAY, "[0:1]={1,2}"), SqlState.FEATURE_NOT_SUPPORTED);
        assertState(() -> read(PgType.INT4_ARRAY, "{a}"), SqlState.INVALID_TEXT_REPRESENTATION);
    }

    @Test
    void textMustBeValidUtf8() {
        assertThat(PgValues.decodeText(PgType.TEXT, new byte[] {(byte) 0xC3, (byte) 0xBC}, S)).isEqualTo("ü");
        assertState(() -> PgValues.decodeText(PgType.TEXT, new byte[] {(byte) 0xC0, (byte) 0x80}, S),
                SqlState.CHARACTER_NOT_IN_REPERTOIRE);
        assertState(() -> PgValues.decodeText(PgType.TEXT, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, S),
                SqlState.CHARACTER_NOT_IN_REPERTOIRE);
        assertThat(PgValues.decodeText(PgType.TEXT, (byte[]) null, S)).isNull();
    }
}
