package tandem.core.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tandem.core.error.ProxyException;
import tandem.core.type.PgType;

class ValueConverterTest {

    private static Object convert(PgType from, String declared, PgType to, Object value) {
        return ValueConverter.convert("t", new Column("c", from, declared, true), new Column("c", to, to.sqlName(), true),
                value);
    }

    @Test
    void sqliteTextUuidsBecomeUuids() {
        UUID id = UUID.randomUUID();
        assertThat(convert(PgType.TEXT, "TEXT", PgType.UUID, id.toString())).isEqualTo(id);
        assertThat(convert(PgType.TEXT, "TEXT", PgType.UUID, id.toString().toUpperCase())).isEqualTo(id);
    }

    @Test
    void integersNarrowOnlyWhenTheValueFits() {
        assertThat(convert(PgType.INT8, "INTEGER", PgType.INT4, 42L)).isEqualTo(42);
        assertThat(convert(PgType.INT8, "INTEGER", PgType.INT2, -3L)).isEqualTo((short) -3);
        assertThatThrownBy(() -> convert(PgType.INT8, "INTEGER", PgType.INT4, 3_000_000_000L))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.getMessage())
                        .contains("table t, column c").contains("3000000000").contains("INTEGER (bigint)")
                        .contains("integer"));
    }

    @Test
    void textBecomesJsonbAndTimestampsAsPostgresReadsThem() {
        assertThat(convert(PgType.JSON, "JSON", PgType.JSONB, "{\"a\": 1}")).isEqualTo("{\"a\": 1}");
        assertThat(convert(PgType.TEXT, "TEXT", PgType.TIMESTAMP, "2024-01-15 10:30:00.5"))
                .isEqualTo(LocalDateTime.of(2024, 1, 15, 10, 30, 0, 500_000_000));
        assertThat(convert(PgType.TEXT, "TEXT", PgType.DATE, "2024-01-15")).isEqualTo(LocalDate.of(2024, 1, 15));
    }

    @Test
    void zoneLessTimesAreUtcBetweenTimestampAndTimestamptz() {
        LocalDateTime local = LocalDateTime.of(2024, 1, 15, 10, 30);
        assertThat(convert(PgType.TIMESTAMP, "TIMESTAMP", PgType.TIMESTAMPTZ, local))
                .isEqualTo(OffsetDateTime.of(local, ZoneOffset.UTC));
        assertThat(convert(PgType.TIMESTAMPTZ, "TIMESTAMPTZ", PgType.TIMESTAMP,
                OffsetDateTime.of(2024, 1, 15, 12, 30, 0, 0, ZoneOffset.ofHours(2)))).isEqualTo(local);
    }

    @Test
    void floatsBecomeTheNumericOfTheirShortestDecimal() {
        assertThat(convert(PgType.FLOAT8, "REAL", PgType.NUMERIC, 0.1)).isEqualTo(new BigDecimal("0.1"));
        assertThat(convert(PgType.FLOAT8, "REAL", PgType.INT4, 3.0)).isEqualTo(3);
        assertThatThrownBy(() -> convert(PgType.FLOAT8, "REAL", PgType.INT4, 3.5)).isInstanceOf(ProxyException.class);
    }

    @Test
    void booleansStayBooleansAndZeroOrOneBecomeThem() {
        assertThat(convert(PgType.BOOL, "BOOLEAN", PgType.BOOL, true)).isEqualTo(true);
        assertThat(convert(PgType.INT8, "INTEGER", PgType.BOOL, 0L)).isEqualTo(false);
        assertThatThrownBy(() -> convert(PgType.INT8, "INTEGER", PgType.BOOL, 2L)).isInstanceOf(ProxyException.class);
    }

    @Test
    void textThatIsNotAValueOfTheTargetTypeIsAnErrorNotAGuess() {
        assertThatThrownBy(() -> convert(PgType.TEXT, "TEXT", PgType.UUID, "not-a-uuid"))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.getMessage())
                        .contains("\"not-a-uuid\"").contains("(text in the primary)").contains("as uuid"));
        assertThatThrownBy(() -> convert(PgType.TEXT, "TEXT", PgType.INT8, "12abc")).isInstanceOf(ProxyException.class);
    }

    @Test
    void untypedSqliteValuesAreJudgedByTheTargetType() {
        assertThat(convert(PgType.UNKNOWN, "", PgType.INT4, 7L)).isEqualTo(7);
        assertThat(convert(PgType.UNKNOWN, "", PgType.TEXT, 7L)).isEqualTo("7");
        assertThat(convert(PgType.UNKNOWN, "", PgType.FLOAT8, 1.5)).isEqualTo(1.5);
    }

    @Test
    void arraysConvertElementByElement() {
        assertThat(convert(PgType.INT8_ARRAY, "bigint[]", PgType.INT4_ARRAY, List.of(1L, 2L))).isEqualTo(List.of(1, 2));
        assertThat(convert(PgType.TEXT, "TEXT", PgType.INT4_ARRAY, "{1,2}")).isEqualTo(List.of(1, 2));
    }

    @Test
    void typesWithoutAnExactConversionAreRefusedUpFront() {
        assertThat(ValueConverter.incompatibility(PgType.TEXT, PgType.UUID)).isNull();
        assertThat(ValueConverter.incompatibility(PgType.INT8, PgType.INT4)).isNull();
        assertThat(ValueConverter.incompatibility(PgType.FLOAT8, PgType.NUMERIC)).isNull();
        assertThat(ValueConverter.incompatibility(PgType.BOOL, PgType.INT4)).contains("boolean").contains("integer");
        assertThat(ValueConverter.incompatibility(PgType.UUID, PgType.INT8)).isNotNull();
        assertThat(ValueConverter.incompatibility(PgType.TIMESTAMP, PgType.DATE)).isNotNull();
        assertThat(ValueConverter.incompatibility(PgType.INT4_ARRAY, PgType.INT4)).isNotNull();
    }
}
