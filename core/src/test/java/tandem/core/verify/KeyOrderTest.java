package tandem.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tandem.core.type.PgType;

/** Keys ordered as PostgreSQL orders them, from either store's form of them. */
class KeyOrderTest {

    private static List<Object> key(PgType type, Object... values) {
        List<Object> key = new ArrayList<>();
        for (Object v : values) {
            key.add(Equivalence.canonical(type, v));
        }
        return key;
    }

    @Test
    void uuidsOrderByTheirBytesAsTheirLowercaseTextDoes() {
        Random random = new Random(7);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(new UUID(random.nextLong(), random.nextLong()));
        }
        List<UUID> byText = new ArrayList<>(ids);
        byText.sort((a, b) -> a.toString().compareTo(b.toString()));
        List<UUID> byKeyOrder = new ArrayList<>(ids);
        byKeyOrder.sort((a, b) -> KeyOrder.compare(key(PgType.UUID, a), key(PgType.UUID, b.toString())));
        // java.util.UUID compares signed, which PostgreSQL does not
        assertThat(byKeyOrder).isEqualTo(byText);
    }

    @Test
    void textOrdersByCodePointAsUtf8BytesDo() {
        String bmp = "\uFF21";            // fullwidth A, above the surrogates in UTF-16
        String astral = "\uD83D\uDE00";   // an emoji, below them in UTF-16 but above in code points
        assertThat(KeyOrder.compare(key(PgType.TEXT, bmp), key(PgType.TEXT, astral))).isNegative();
        assertThat(KeyOrder.compare(key(PgType.TEXT, "B"), key(PgType.TEXT, "a"))).isNegative();
        assertThat(KeyOrder.compare(key(PgType.TEXT, "a"), key(PgType.TEXT, "ab"))).isNegative();
    }

    @Test
    void numbersOrderByValueWithNanAboveTheInfinities() {
        List<List<Object>> keys = new ArrayList<>(List.of(key(PgType.FLOAT8, Double.NaN),
                key(PgType.FLOAT8, Double.POSITIVE_INFINITY), key(PgType.NUMERIC, new BigDecimal("10.5")),
                key(PgType.INT8, 2L), key(PgType.INT4, "-3"), key(PgType.FLOAT8, "-Infinity")));
        List<List<Object>> expected = List.copyOf(keys.reversed());
        Collections.shuffle(keys, new Random(1));
        keys.sort(KeyOrder::compare);
        assertThat(keys).isEqualTo(expected);
    }

    @Test
    void compositeKeysCompareColumnByColumn() {
        List<Object> a = Arrays.asList(Equivalence.canonical(PgType.INT4, 1), Equivalence.canonical(PgType.TEXT, "b"));
        List<Object> b = Arrays.asList(Equivalence.canonical(PgType.INT4, "1"), Equivalence.canonical(PgType.TEXT, "c"));
        assertThat(KeyOrder.compare(a, b)).isNegative();
        assertThat(KeyOrder.compare(b, a)).isPositive();
        assertThat(KeyOrder.compare(a, a)).isZero();
    }

    @Test
    void valuesThatCannotBeOrderedAreRefused() {
        assertThatThrownBy(() -> KeyOrder.compare(key(PgType.UUID, "not a uuid"), key(PgType.UUID, UUID.randomUUID())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a uuid");
        assertThatThrownBy(() -> KeyOrder.compare(key(PgType.INT8, (Object) null), key(PgType.INT8, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
