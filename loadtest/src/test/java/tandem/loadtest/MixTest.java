package tandem.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tandem.loadtest.Operation.Category;

class MixTest {

    @Test
    void theDefaultMixRunsEveryOperation() {
        assertThat(Mix.DEFAULT.operations()).containsExactlyInAnyOrder(Operation.values());
        assertThat(Mix.DEFAULT.toString()).isEqualTo("inserts=30,updates=25,deletes=5,transactions=10,rollbacks=5,reads=25");
    }

    @Test
    void picksOnlyCategoriesWithWeight() {
        Mix mix = Mix.parse(" reads = 3 , rollbacks=1, inserts=0");
        Random random = new Random(1);
        Set<Category> seen = EnumSet.noneOf(Category.class);
        for (int i = 0; i < 1_000; i++) {
            seen.add(mix.pick(random).category());
        }
        assertThat(seen).containsExactlyInAnyOrder(Category.READS, Category.ROLLBACKS);
    }

    @Test
    void badMixesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Mix.parse("inserts=1,writes=2")).hasMessageContaining("unknown category 'writes'")
                .hasMessageContaining("inserts, updates, deletes, transactions, rollbacks, reads");
        assertThatThrownBy(() -> Mix.parse("inserts")).hasMessageContaining("has no weight");
        assertThatThrownBy(() -> Mix.parse("inserts=x")).hasMessageContaining("is not a whole number");
        assertThatThrownBy(() -> Mix.parse("inserts=-1")).hasMessageContaining("(expected: >= 0)");
        assertThatThrownBy(() -> Mix.parse("inserts=0")).hasMessageContaining("no weight above 0");
    }
}
