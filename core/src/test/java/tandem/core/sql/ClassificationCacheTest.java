package tandem.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClassificationCacheTest {

    @Test
    void repeatedStatementIsAnsweredFromTheCache() {
        ClassificationCache cache = new ClassificationCache();
        Classification first = cache.classify("SELECT * FROM t WHERE id = $1");
        Classification second = cache.classify("SELECT * FROM t WHERE id = $1");
        assertThat(second).isSameAs(first);
        assertThat(cache.estimatedSize()).isEqualTo(1);
    }

    @Test
    void cachedAnswerEqualsTheClassifiersAnswer() {
        ClassificationCache cache = new ClassificationCache(100);
        String sql = "WITH d AS (DELETE FROM q RETURNING *) SELECT * FROM d";
        assertThat(cache.classify(sql)).isEqualTo(new StatementClassifier().classify(sql));
    }

    @Test
    void veryLongStatementsAreClassifiedButNotCached() {
        ClassificationCache cache = new ClassificationCache();
        StringBuilder sql = new StringBuilder("INSERT INTO t VALUES (0)");
        for (int i = 1; sql.length() <= ClassificationCache.MAXIMUM_CACHED_LENGTH; i++) {
            sql.append(", (").append(i).append(')');
        }
        Classification classification = cache.classify(sql.toString());
        assertThat(classification.kind()).isEqualTo(StatementKind.WRITE);
        assertThat(cache.estimatedSize()).isZero();
    }

    @Test
    void nonStandardStringSessionsBypassTheCache() {
        ClassificationCache cache = new ClassificationCache();
        String sql = "SELECT 'a\\'; DELETE FROM t; --'";
        assertThat(cache.classify(sql, false).kind()).isEqualTo(StatementKind.READ);
        assertThat(cache.estimatedSize()).isZero();
        assertThat(cache.classify(sql, true).kind()).isEqualTo(StatementKind.OTHER);
        assertThat(cache.estimatedSize()).isEqualTo(1);
    }

    @Test
    void rejectsNegativeSize() {
        assertThatThrownBy(() -> new ClassificationCache(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maximumSize: -1 (expected: >= 0)");
    }
}
