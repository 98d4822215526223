package tandem.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tandem.core.type.PgType;

/** Values, rows and result sets from two stores compared by meaning. */
class EquivalenceTest {

    private static final UUID ID = UUID.fromString("0b6f3c1e-9a2d-4f5e-8c7b-1d2e3f4a5b6c");
    private static final LocalDateTime TEN = LocalDateTime.of(2024, 1, 1, 10, 0);

    /** One case: the type the values are compared as (null: none), the two values, and whether they are the same. */
    private static Arguments same(PgType type, Object left, Object right) {
        return Arguments.of(type, left, right, true);
    }

    private static Arguments differ(PgType type, Object left, Object right) {
        return Arguments.of(type, left, right, false);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // numbers: every width and kind by value
                same(null, 1, 1L),
                same(null, 1, 1.0),
                same(null, 1, new BigDecimal("1.00")),
                same(null, (short) 7, BigInteger.valueOf(7)),
                same(null, 1L, "1.0"),
                same(PgType.INT8, "42", 42),
                same(PgType.NUMERIC, new BigDecimal("12.340"), 12.34),
                same(PgType.NUMERIC, 0.0, new BigDecimal("0.000")),
                same(PgType.NUMERIC, -0.0, 0),
                differ(null, 1, 2),
                differ(PgType.INT4, 1, 1.5),
                differ(null, 1, "one"),
                // floats: shortest decimal, then exact; rounded to the column's float type when given
                same(null, 0.1, new BigDecimal("0.1")),
                same(null, 0.1f, 0.1),
                differ(null, 0.1, new BigDecimal("0.1000000000000000055511151231257827")),
                differ(null, 12.34, new BigDecimal("12.340000000000001")),
                differ(null, 0.1 + 0.2, 0.3),
                same(PgType.FLOAT8, 0.1, "0.1"),
                same(PgType.FLOAT8, 1e-5, "1.0E-5"),
                same(PgType.FLOAT4, 0.1, 0.1f),
                differ(PgType.FLOAT8, 0.1, 0.1f + 1e-7f),
                same(null, Double.NaN, "NaN"),
                same(PgType.NUMERIC, Double.NaN, "nan"),
                same(PgType.FLOAT8, Double.POSITIVE_INFINITY, "Infinity"),
                differ(null, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
                // booleans: 0/1 and boolin's words
                same(null, true, 1),
                same(null, false, 0L),
                same(null, true, "t"),
                same(null, false, "f"),
                same(null, true, "true"),
                same(PgType.BOOL, 1, "yes"),
                same(PgType.BOOL, 0, false),
                differ(null, true, 2),
                differ(null, true, "f"),
                differ(PgType.BOOL, 1, 0),
                // timestamps: local date-times by value, text as PostgreSQL reads it, instants by instant
                same(null, TEN, "2024-01-01 10:00:00"),
                same(null, "2024-01-01T10:00:00", TEN),
                same(PgType.TIMESTAMP, "2024-01-01 10:00:00", "2024-01-01T10:00:00"),
                same(PgType.TIMESTAMP, "2024-01-01 10:00:00", "2024-01-01 10:00:00.000000"),
                same(PgType.TIMESTAMP, "2024-01-01 10:00:00.5", TEN.plusNanos(500_000_000)),
                same(PgType.TIMESTAMP, "2024-01-01 10:00", TEN),
                differ(PgType.TIMESTAMP, "2024-01-01 10:00:00.5", TEN),
                differ(null, TEN, TEN.plusSeconds(1)),
                same(null, TEN, OffsetDateTime.of(TEN, ZoneOffset.UTC)),
                same(null, OffsetDateTime.of(TEN, ZoneOffset.ofHours(2)), Instant.parse("2024-01-01T08:00:00Z")),
                same(PgType.TIMESTAMPTZ, "2024-01-01 12:00:00+02", OffsetDateTime.of(TEN, ZoneOffset.UTC)),
                same(PgType.TIMESTAMPTZ, "2024-01-01 10:00:00", Instant.parse("2024-01-01T10:00:00Z")),
                differ(null, OffsetDateTime.of(TEN, ZoneOffset.ofHours(2)), TEN),
                same(null, LocalDate.of(2024, 1, 1), LocalDateTime.of(2024, 1, 1, 0, 0)),
                same(PgType.DATE, "2024-01-01", LocalDate.of(2024, 1, 1)),
                same(PgType.TIME, "10:00", LocalTime.of(10, 0)),
                differ(null, LocalDate.of(2024, 1, 1), TEN),
                // uuid: text in either case, dashes optional
                same(null, ID, ID.toString()),
                same(null, ID.toString().toUpperCase(), ID),
                same(PgType.UUID, ID.toString(), ID.toString().replace("-", "")),
                same(PgType.UUID, ID.toString(), "{" + ID + "}"),
                differ(null, ID, UUID.randomUUID()),
                differ(PgType.UUID, ID, "not a uuid"),
                // json: by parsed value
                same(PgType.JSONB, "{\"a\": 1, \"b\": [true, null]}", "{\"b\":[true,null],\"a\":1}"),
                same(PgType.JSON, "{\"n\": 1.0}", "{\"n\": 1}"),
                same(PgType.JSONB, "{\"a\": 1, \"a\": 2}", "{\"a\": 2}"),
                same(PgType.JSONB, "[1, {\"x\": \"y\"}]", " [ 1 , { \"x\" : \"y\" } ] "),
                same(null, Map.of("a", 1), "{\"a\": 1.0}"),
                differ(PgType.JSONB, "[1, 2]", "[2, 1]"),
                differ(PgType.JSONB, "{\"a\": null}", "{}"),
                differ(PgType.JSONB, "{\"a\": \"1\"}", "{\"a\": 1}"),
                differ(null, "{\"a\": 1}", "{\"a\":1}"),
                differ(PgType.JSONB, "", "null"),
                differ(PgType.JSON, "{} x", "{}"),
                // bytea: bytes by content, text as hex
                same(null, new byte[] {1, (byte) 0xAB}, new byte[] {1, (byte) 0xAB}),
                same(null, new byte[] {1, (byte) 0xAB}, "\\x01ab"),
                same(PgType.BYTEA, "01AB", new byte[] {1, (byte) 0xAB}),
                same(PgType.BYTEA, new byte[0], "\\x"),
                differ(null, new byte[] {1}, new byte[] {1, 0}),
                differ(PgType.BYTEA, "\\x01", "\\x02"),
                // text: exact, except char(n)'s padding
                same(null, "abc", "abc"),
                differ(null, "abc", "ABC"),
                differ(PgType.TEXT, "abc", "abc "),
                same(PgType.BPCHAR, "abc", "abc   "),
                same(PgType.TEXT, "5", 5L),
                // arrays element by element
                same(PgType.INT4_ARRAY, "{1,2,NULL}", Arrays.asList(1L, 2.0, null)),
                same(null, List.of(1, "x"), new Object[] {1.0, "x"}),
                differ(PgType.TEXT_ARRAY, "{a,b}", List.of("b", "a")),
                // null only equals null
                same(null, null, null),
                same(PgType.INT4, null, null),
                differ(null, null, 0),
                differ(PgType.TEXT, "", null),
                differ(PgType.BOOL, null, false),
                // classes it does not know are compared by their text
                same(null, new StringBuilder("2024-01-01 10:00:00.0"), TEN),
                // values that cannot meet
                differ(null, ID, 1),
                differ(null, true, TEN),
                differ(null, new byte[] {'a'}, "a".getBytes(StandardCharsets.UTF_8).length));
    }

    @ParameterizedTest(name = "{0}: {1} vs {2} -> {3}")
    @MethodSource("cases")
    void comparesValuesByMeaning(PgType type, Object left, Object right, boolean expected) {
        assertThat(Equivalence.same(type, left, right)).isEqualTo(expected);
        assertThat(Equivalence.same(type, right, left)).as("symmetric").isEqualTo(expected);
        Object a = Equivalence.canonical(type, left);
        Object b = Equivalence.canonical(type, right);
        if (expected && type != null && !(a instanceof Equivalence.Unreadable) && !(b instanceof Equivalence.Unreadable)) {
            assertThat(a).as("canonical forms").isEqualTo(b);
        }
    }

    @Test
    void canonicalFormsOfEquivalentValuesHashAlike() {
        assertThat(Equivalence.canonical(PgType.NUMERIC, new BigDecimal("1.50")).hashCode())
                .isEqualTo(Equivalence.canonical(PgType.NUMERIC, 1.5).hashCode());
        assertThat(Equivalence.canonical(PgType.JSONB, "{\"b\":1,\"a\":2}").hashCode())
                .isEqualTo(Equivalence.canonical(PgType.JSONB, "{\"a\": 2, \"b\": 1.0}").hashCode());
        assertThat(Equivalence.canonical(PgType.UUID, "not a uuid")).isInstanceOf(Equivalence.Unreadable.class);
    }

    @Test
    void rowsDifferInTheColumnsThatDiffer() {
        List<PgType> types = List.of(PgType.UUID, PgType.BOOL, PgType.TIMESTAMP, PgType.FLOAT8);
        Object[] sqlite = {ID.toString(), 1, "2024-01-01 10:00:00", 2.5};
        Object[] postgres = {ID, true, TEN, 2.75};
        assertThat(Equivalence.differingColumns(types, sqlite, postgres)).containsExactly(3);
        assertThat(Equivalence.differingColumns(null, sqlite, postgres)).containsExactly(3);
        assertThat(Equivalence.differingColumns(types, new Object[] {ID}, new Object[] {ID, true})).containsExactly(1);
    }

    @Test
    void resultsInOrderReportTheFirstDifferingRowsAndColumns() {
        List<String> columns = List.of("id", "title", "published");
        List<Object[]> sqlite = List.of(row(1, "a", 1), row(2, "b", 0), row(3, "c", 1));
        List<Object[]> postgres = List.of(row(1L, "a", true), row(2L, "B", true), row(3L, "c", true), row(4L, "d", false));

        ResultComparison diff = Equivalence.compareInOrder(columns, null, sqlite, postgres);

        assertThat(diff.same()).isFalse();
        assertThat(diff.differenceCount()).isEqualTo(2);
        assertThat(diff.differences().get(0)).isInstanceOfSatisfying(ResultComparison.Changed.class,
                c -> assertThat(c.columns()).containsExactly(1, 2));
        assertThat(diff.describe()).isEqualTo("""
                left 3 rows, right 4 rows: 2 differences
                  row 2: title: left 'b', right 'B'; published: left 0 (Integer), right true (Boolean)
                  row 4 only on the right: (id=4 (Long), title='d', published=false (Boolean))""");
    }

    @Test
    void resultsInOrderDifferWhenTheOrderDiffers() {
        List<Object[]> a = List.of(row(1), row(2));
        List<Object[]> b = List.of(row(2), row(1));
        assertThat(Equivalence.compareInOrder(List.of("n"), null, a, b).differenceCount()).isEqualTo(2);
        assertThat(Equivalence.compareInAnyOrder(List.of("n"), null, a, b).same()).isTrue();
    }

    @Test
    void resultsInAnyOrderMatchRowsAsAMultiset() {
        List<String> columns = List.of("user_id", "n", "data");
        List<Object[]> sqlite = List.of(row(ID.toString(), 1, "{\"a\": 1}"), row("x", 2.0, null),
                row("x", 2.0, null), row("y", 3, "{}"));
        List<Object[]> postgres = List.of(row("y", 3L, "{}"), row("x", new BigDecimal("2"), null),
                row(ID, 1L, "{\"a\":1}"), row("x", 2, null));
        // user_id is inferred as uuid; "x" and "y" do not read as one, so they match only themselves
        List<PgType> types = Arrays.asList(null, PgType.INT8, PgType.JSONB);
        assertThat(Equivalence.compareInAnyOrder(columns, types, sqlite, postgres).same()).isTrue();
    }

    @Test
    void resultsInAnyOrderCountRepeatedRowsAndPairLeftoversByTheirFirstColumn() {
        List<Object[]> twice = List.of(row(1, "a"), row(1, "a"));
        List<Object[]> once = List.of(row(1L, "a"), row(1L, "b"));

        ResultComparison diff = Equivalence.compareInAnyOrder(List.of("id", "v"), null, twice, once);

        assertThat(diff.describe()).isEqualTo("""
                left 2 rows, right 2 rows: 1 difference
                  row 2: v: left 'a', right 'b'""");
    }

    @Test
    void resultsInAnyOrderReportRowsOnlyOnOneSide() {
        List<Object[]> left = List.of(row("a", 1), row("b", 2));
        List<Object[]> right = List.of(row("b", 2L), row("c", 3L));

        ResultComparison diff = Equivalence.compareInAnyOrder(List.of("k", "v"), null, left, right);

        assertThat(diff.differences()).hasSize(2);
        assertThat(diff.describe()).contains("row 2 only on the right: (k='c', v=3 (Long))")
                .contains("row 1 only on the left: (k='a', v=1 (Integer))");
    }

    @Test
    void aReportKeepsTheFirstDifferencesAndCountsTheRest() {
        List<Object[]> left = Stream.iterate(0, i -> i + 1).limit(25).map(i -> row(i)).toList();
        List<Object[]> right = Stream.iterate(100, i -> i + 1).limit(25).map(i -> row(i)).toList();

        ResultComparison diff = Equivalence.compareInOrder(List.of("n"), null, left, right);

        assertThat(diff.differenceCount()).isEqualTo(25);
        assertThat(diff.differences()).hasSize(ResultComparison.MAX_REPORTED);
        assertThat(diff.describe()).endsWith("... and 15 more");
    }

    private static Object[] row(Object... values) {
        return values;
    }
}
