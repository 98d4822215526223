package tandem.core.type;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/** Text output, each expected string as PostgreSQL 18 prints it. */
class TextOutputTest {

    private static final PgSessionSettings S = PgSessionSettings.DEFAULT;

    private static String text(PgType type, Object value) {
        return text(type, value, S);
    }

    private static String text(PgType type, Object value, PgSessionSettings s) {
        return new String(PgValues.encodeText(type, value, s), StandardCharsets.UTF_8);
    }

    @Test
    void booleansPrintAsTAndF() {
        assertThat(text(PgType.BOOL, true)).isEqualTo("t");
        assertThat(text(PgType.BOOL, false)).isEqualTo("f");
        assertThat(text(PgType.BOOL, 1L)).isEqualTo("t");
        assertThat(text(PgType.BOOL, "off")).isEqualTo("f");
    }

    @Test
    void nullEncodesToNull() {
        assertThat(PgValues.encodeText(PgType.INT4, null, S)).isNull();
        assertThat(PgValues.encodeBinary(PgType.INT4, null)).isNull();
    }

    @Test
    void integersTakeAnyIntegralValueThatFits() {
        assertThat(text(PgType.INT4, 42)).isEqualTo("42");
        assertThat(text(PgType.INT4, 42L)).isEqualTo("42");
        assertThat(text(PgType.INT4, Integer.MIN_VALUE)).isEqualTo("-2147483648");
        assertThat(text(PgType.INT8, 7)).isEqualTo("7");
        assertThat(text(PgType.INT8, Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        assertThat(text(PgType.INT2, (short) -32768)).isEqualTo("-32768");
        assertThat(text(PgType.INT4, new BigDecimal("12.000"))).isEqualTo("12");
        assertThat(text(PgType.INT4, 3.0)).isEqualTo("3");
        assertThat(text(PgType.INT8, " 0x10 ")).isEqualTo("16");
        assertThat(text(PgType.OID, 4294967295L)).isEqualTo("4294967295");
    }

    @Test
    void integersThatDoNotFitAreRefusedNotWrapped() {
        assertState(() -> text(PgType.INT4, 2147483648L), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertState(() -> text(PgType.INT2, 40000), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertState(() -> text(PgType.INT8, BigInteger.ONE.shiftLeft(63)), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertState(() -> text(PgType.INT4, 1.5), SqlState.DATATYPE_MISMATCH);
        assertState(() -> text(PgType.INT4, new BigDecimal("1.5")), SqlState.DATATYPE_MISMATCH);
        assertState(() -> text(PgType.INT4, true), SqlState.DATATYPE_MISMATCH);
        assertState(() -> text(PgType.INT4, "12abc"), SqlState.INVALID_TEXT_REPRESENTATION);
        assertState(() -> text(PgType.OID, -1L), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
        assertState(() -> text(PgType.BOOL, 2), SqlState.DATATYPE_MISMATCH);
    }

    @Test
    void doublesPrintShortestDigitsInPostgresLayout() {
        assertThat(text(PgType.FLOAT8, 1.0)).isEqualTo("1");
        assertThat(text(PgType.FLOAT8, 0.1)).isEqualTo("0.1");
        assertThat(text(PgType.FLOAT8, 0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(text(PgType.FLOAT8, 1e20)).isEqualTo("1e+20");
        assertThat(text(PgType.FLOAT8, 1.5e-7)).isEqualTo("1.5e-07");
        assertThat(text(PgType.FLOAT8, 1e-4)).isEqualTo("0.0001");
        assertThat(text(PgType.FLOAT8, 1e-5)).isEqualTo("1e-05");
        assertThat(text(PgType.FLOAT8, 1e14)).isEqualTo("100000000000000");
        assertThat(text(PgType.FLOAT8, 1e15)).isEqualTo("1e+15");
        assertThat(text(PgType.FLOAT8, 1e16)).isEqualTo("1e+16");
        assertThat(text(PgType.FLOAT8, 123456789012345.6)).isEqualTo("123456789012345.6");
        assertThat(text(PgType.FLOAT8, 123456789012345680.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(text(PgType.FLOAT8, -0.0)).isEqualTo("-0");
        assertThat(text(PgType.FLOAT8, 0.0)).isEqualTo("0");
        assertThat(text(PgType.FLOAT8, Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(text(PgType.FLOAT8, Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(text(PgType.FLOAT8, Double.NaN)).isEqualTo("NaN");
        assertThat(text(PgType.FLOAT8, Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(text(PgType.FLOAT8, Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(text(PgType.FLOAT8, Double.MIN_NORMAL)).isEqualTo("2.2250738585072014e-308");
    }

    @Test
    void doublesNeverPrintAnExactMidpointAsPostgresRyuIsBuilt() {
        // the JDK prints 1.0E23 and 9.1259E20: both lie exactly halfway between two doubles
        assertThat(text(PgType.FLOAT8, 1e23)).isEqualTo("9.999999999999999e+22");
        assertThat(text(PgType.FLOAT8, 9.1259e20)).isEqualTo("9.125900000000001e+20");
    }

    @Test
    void realsPrintShortestDigitsWithTheirOwnSwitchOver() {
        assertThat(text(PgType.FLOAT4, 0.1f)).isEqualTo("0.1");
        assertThat(text(PgType.FLOAT4, 100000f)).isEqualTo("100000");
        assertThat(text(PgType.FLOAT4, 1e6f)).isEqualTo("1e+06");
        assertThat(text(PgType.FLOAT4, 1234567f)).isEqualTo("1.234567e+06");
        assertThat(text(PgType.FLOAT4, Float.MIN_VALUE)).isEqualTo("1e-45");
        assertThat(text(PgType.FLOAT4, Float.MAX_VALUE)).isEqualTo("3.4028235e+38");
        assertThat(text(PgType.FLOAT4, 0.1)).isEqualTo("0.1");
    }

    @Test
    void extraFloatDigitsZeroOrBelowRoundsAsPrintfG() {
        PgSessionSettings zero = S.withExtraFloatDigits(0);
        assertThat(text(PgType.FLOAT8, 0.1 + 0.2, zero)).isEqualTo("0.3");
        assertThat(text(PgType.FLOAT8, Math.PI, zero)).isEqualTo("3.14159265358979");
        assertThat(text(PgType.FLOAT8, 1e15, zero)).isEqualTo("1e+15");
        assertThat(text(PgType.FLOAT8, 123456789012345.0, zero)).isEqualTo("123456789012345");
        assertThat(text(PgType.FLOAT8, 1e-5, zero)).isEqualTo("1e-05");
        assertThat(text(PgType.FLOAT8, -0.0, zero)).isEqualTo("-0");
        assertThat(text(PgType.FLOAT4, 123456.789f, zero)).isEqualTo("123457");
        assertThat(text(PgType.FLOAT8, Math.PI, S.withExtraFloatDigits(-14))).isEqualTo("3");
        assertThat(text(PgType.FLOAT8, 2.5, S.withExtraFloatDigits(-14))).isEqualTo("2");
    }

    @Test
    void numericKeepsItsScaleAndPrintsSpecialValues() {
        assertThat(text(PgType.NUMERIC, new BigDecimal("1.500"))).isEqualTo("1.500");
        assertThat(text(PgType.NUMERIC, new BigDecimal("-0.00"))).isEqualTo("0.00");
        assertThat(text(PgType.NUMERIC, new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(text(PgType.NUMERIC, new BigDecimal("1E-12"))).isEqualTo("0.000000000001");
        assertThat(text(PgType.NUMERIC, 42L)).isEqualTo("42");
        assertThat(text(PgType.NUMERIC, 0.1)).isEqualTo("0.1");
        assertThat(text(PgType.NUMERIC, "  1.50e2 ")).isEqualTo("150");
        assertThat(text(PgType.NUMERIC, Double.NaN)).isEqualTo("NaN");
        assertThat(text(PgType.NUMERIC, Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(text(PgType.NUMERIC, "-inf")).isEqualTo("-Infinity");
        assertState(() -> text(PgType.NUMERIC, new BigDecimal("1E-20000")), SqlState.NUMERIC_VALUE_OUT_OF_RANGE);
    }

    @Test
    void textPassesThroughAndOtherValuesPrintAsTheirCastToText() {
        assertThat(text(PgType.TEXT, "ünï ✓ 🎉")).isEqualTo("ünï ✓ 🎉");
        assertThat(text(PgType.VARCHAR, 42)).isEqualTo("42");
        assertThat(text(PgType.TEXT, true)).isEqualTo("true");
        assertThat(text(PgType.TEXT, 1.5e-7)).isEqualTo("1.5e-07");
        assertThat(text(PgType.TEXT, LocalDate.of(2024, 1, 15))).isEqualTo("2024-01-15");
        assertThat(text(PgType.JSON, "{\"b\":  1, \"a\": 2}")).isEqualTo("{\"b\":  1, \"a\": 2}");
        assertThat(text(PgType.JSONB, "{\"b\":  1, \"a\": 2}")).isEqualTo("{\"a\": 2, \"b\": 1}"); // as jsonb prints
        assertState(() -> text(PgType.TEXT, "a\u0000b"), SqlState.CHARACTER_NOT_IN_REPERTOIRE);
        assertState(() -> text(PgType.TEXT, "lone \uD800 surrogate"), SqlState.CHARACTER_NOT_IN_REPERTOIRE);
        assertState(() -> text(PgType.TEXT, new byte[] {(byte) 0xC3}), SqlState.CHARACTER_NOT_IN_REPERTOIRE);
        assertState(() -> text(PgType.JSON, 5), SqlState.DATATYPE_MISMATCH);
    }

    @Test
    void byteaPrintsHexOrEscape() {
        byte[] b = {0x0a, 0x0b, (byte) 0xff, '\\', 'a', 0};
        assertThat(text(PgType.BYTEA, b)).isEqualTo("\\x0a0bff5c6100");
        assertThat(text(PgType.BYTEA, new byte[0])).isEqualTo("\\x");
        assertThat(text(PgType.BYTEA, b, S.withByteaOutput(PgSessionSettings.ByteaOutput.ESCAPE)))
                .isEqualTo("\\012\\013\\377\\\\a\\000");
    }

    @Test
    void uuidsPrintLowerCaseWithDashes() {
        UUID u = UUID.fromString("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11");
        assertThat(text(PgType.UUID, u)).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(text(PgType.UUID, "{A0EEBC999C0B4EF8BB6D6BB9BD380A11}")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    }

    @Test
    void datesPrintIsoWithBcYearsAndInfinity() {
        assertThat(text(PgType.DATE, LocalDate.of(2024, 1, 15))).isEqualTo("2024-01-15");
        assertThat(text(PgType.DATE, LocalDate.of(1, 1, 1))).isEqualTo("0001-01-01");
        assertThat(text(PgType.DATE, LocalDate.of(0, 12, 31))).isEqualTo("0001-12-31 BC");
        assertThat(text(PgType.DATE, LocalDate.of(-43, 3, 15))).isEqualTo("0044-03-15 BC");
        assertThat(text(PgType.DATE, LocalDate.of(12345, 6, 7))).isEqualTo("12345-06-07");
        assertThat(text(PgType.DATE, LocalDate.MAX)).isEqualTo("infinity");
        assertThat(text(PgType.DATE, LocalDate.MIN)).isEqualTo("-infinity");
        assertState(() -> text(PgType.DATE, LocalDate.of(-4713, 11, 23)), SqlState.DATETIME_FIELD_OVERFLOW);
    }

    @Test
    void timesAndTimestampsTrimTrailingFractionZeros() {
        assertThat(text(PgType.TIME, LocalTime.of(10, 30))).isEqualTo("10:30:00");
        assertThat(text(PgType.TIME, LocalTime.of(10, 30, 0, 500_000_000))).isEqualTo("10:30:00.5");
        assertThat(text(PgType.TIME, LocalTime.MAX)).isEqualTo("24:00:00");
        assertThat(text(PgType.TIME, LocalTime.of(23, 59, 59, 999_999_400))).isEqualTo("23:59:59.999999");
        assertThat(text(PgType.TIMESTAMP, LocalDateTime.of(2024, 1, 15, 10, 30))).isEqualTo("2024-01-15 10:30:00");
        assertThat(text(PgType.TIMESTAMP, LocalDateTime.of(2024, 1, 15, 10, 30, 0, 123_000_000)))
                .isEqualTo("2024-01-15 10:30:00.123");
        assertThat(text(PgType.TIMESTAMP, LocalDateTime.of(1999, 12, 31, 23, 59, 59, 123_456_000)))
                .isEqualTo("1999-12-31 23:59:59.123456");
        assertThat(text(PgType.TIMESTAMP, LocalDateTime.of(-43, 3, 15, 10, 30))).isEqualTo("0044-03-15 10:30:00 BC");
        assertThat(text(PgType.TIMESTAMP, LocalDateTime.MAX)).isEqualTo("infinity");
        assertThat(text(PgType.TIMESTAMP, "2024-01-15T10:30:00.5Z")).isEqualTo("2024-01-15 10:30:00.5");
        assertThat(text(PgType.TIMESTAMP, LocalDate.of(2024, 1, 15))).isEqualTo("2024-01-15 00:00:00");
    }

    @Test
    void timestamptzPrintsInTheSessionZoneWithPostgresOffsets() {
        OffsetDateTime t = OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 0, ZoneOffset.UTC);
        assertThat(text(PgType.TIMESTAMPTZ, t)).isEqualTo("2024-01-15 10:30:00+00");
        assertThat(text(PgType.TIMESTAMPTZ, t, S.withTimeZone(ZoneId.of("Asia/Kolkata"))))
                .isEqualTo("2024-01-15 16:00:00+05:30");
        assertThat(text(PgType.TIMESTAMPTZ, t, S.withTimeZone(ZoneId.of("America/Sao_Paulo"))))
                .isEqualTo("2024-01-15 07:30:00-03");
        assertThat(text(PgType.TIMESTAMPTZ, t.toInstant(), S.withTimeZone(ZoneId.of("Asia/Kathmandu"))))
                .isEqualTo("2024-01-15 16:15:00+05:45");
        // before standard time, local mean time: offsets with seconds print them
        assertThat(text(PgType.TIMESTAMPTZ, Instant.parse("1850-01-01T00:00:00Z"), S.withTimeZone(ZoneId.of("Asia/Kolkata"))))
                .isEqualTo("1850-01-01 05:53:28+05:53:28");
        assertThat(text(PgType.TIMESTAMPTZ, OffsetDateTime.of(-43, 3, 15, 10, 30, 0, 0, ZoneOffset.UTC))).isEqualTo("0044-03-15 10:30:00+00 BC");
        assertThat(text(PgType.TIMESTAMPTZ, OffsetDateTime.MIN)).isEqualTo("-infinity");
        assertThat(text(PgType.TIMESTAMPTZ, "2024-01-15 10:30:00", S.withTimeZone(ZoneId.of("Asia/Kolkata"))))
                .isEqualTo("2024-01-15 10:30:00+05:30");
    }

    @Test
    void intervalsPassThroughOrPrintFromADuration() {
        assertThat(text(PgType.INTERVAL, "1 day 02:00:00")).isEqualTo("1 day 02:00:00");
        assertThat(text(PgType.INTERVAL, Duration.ofHours(100).plusMillis(500))).isEqualTo("100:00:00.5");
        assertThat(text(PgType.INTERVAL, Duration.ofSeconds(-1))).isEqualTo("-00:00:01");
        assertThat(text(PgType.INTERVAL, Duration.ZERO)).isEqualTo("00:00:00");
    }

    @Test
    void arraysQuoteAsArrayOutDoes() {
        assertThat(text(PgType.INT4_ARRAY, Arrays.asList(1, 2, null))).isEqualTo("{1,2,NULL}");
        assertThat(text(PgType.INT4_ARRAY, List.of())).isEqualTo("{}");
        assertThat(text(PgType.INT4_ARRAY, new int[] {5, 6})).isEqualTo("{5,6}");
        assertThat(text(PgType.INT8_ARRAY, List.of(List.of(1, 2), List.of(3, 4)))).isEqualTo("{{1,2},{3,4}}");
        assertThat(text(PgType.TEXT_ARRAY, Arrays.asList("", "NULL", "null", "a b", "a\"b", "a\\b", "x,y", "{", "ok", null)))
                .isEqualTo("{\"\",\"NULL\",\"null\",\"a b\",\"a\\\"b\",\"a\\\\b\",\"x,y\",\"{\",ok,NULL}");
        assertThat(text(PgType.FLOAT8_ARRAY, List.of(1.5, Double.NaN, 1e20))).isEqualTo("{1.5,NaN,1e+20}");
        assertThat(text(PgType.BOOL_ARRAY, List.of(true, false))).isEqualTo("{t,f}");
        assertThat(text(PgType.TIMESTAMP_ARRAY, List.of(LocalDateTime.of(2024, 1, 15, 10, 30))))
                .isEqualTo("{\"2024-01-15 10:30:00\"}");
        assertThat(text(PgType.BYTEA_ARRAY, List.of(new byte[] {10}))).isEqualTo("{\"\\\\x0a\"}");
        assertState(() -> text(PgType.INT4_ARRAY, List.of(List.of(1), List.of(2, 3))), SqlState.INVALID_TEXT_REPRESENTATION);
        assertState(() -> text(PgType.INT4_ARRAY, 5), SqlState.DATATYPE_MISMATCH);
    }

    static void assertState(Runnable r, SqlState state) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ProxyException.class,
                e -> assertThat(e.state()).as(e.getMessage()).isEqualTo(state));
    }
}
