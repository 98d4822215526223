package tandem.core.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionEffectsTest {

    private static final ClassificationCache CLASSIFIER = new ClassificationCache();

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT abalance FROM pgbench_accounts WHERE aid = 84120;",
        "UPDATE pgbench_accounts SET abalance = abalance + -2677 WHERE aid = 84120;",
        "insert into pgbench_history (tid, bid, aid, delta, mtime) values (3, 1, 4, 5, CURRENT_TIMESTAMP);",
        "  -- a comment\n  delete from t where id = $1",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "VALUES (1), (2)",
        "TABLE accounts",
    })
    void plainStatementsAreCertainlyWithoutSessionEffects(String sql) {
        assertThat(SessionEffects.certainlyNone(sql)).isTrue();
        Classification c = CLASSIFIER.classify(sql);
        assertThat(c.sessionFeatures()).isEmpty();
        assertThat(c.set()).isNull();
        assertThat(c.transaction()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SET search_path TO app",
        "RESET ALL",
        "BEGIN",
        "COMMIT",
        "END;",
        "DISCARD ALL",
        "LISTEN channel",
        "SELECT pg_advisory_lock(1)",
        "SELECT set_config('a.b', 'c', false)",
        "SELECT * INTO TEMP t FROM x",
        "SELECT * INTO t FROM x",
        "CREATE TEMP TABLE t (a int)",
        "SELECT 1; SET x = 1",
        "SELECT 1; SELECT 2",
        "/* SET x = 1 */ SELECT 1",
        "(SELECT 1)",
        "SELECT $$; SET x = 1; $$",
        "SELECT lo_create(0)",
        "DEALLOCATE ALL",
        "-- only a comment",
        "",
        "PREPARE p AS SELECT 1",
    })
    void anythingThatCouldTouchTheSessionIsLeftToTheClassifier(String sql) {
        assertThat(SessionEffects.certainlyNone(sql)).isFalse();
    }
}
