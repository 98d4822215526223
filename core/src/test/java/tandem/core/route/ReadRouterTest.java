package tandem.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tandem.core.sql.ClassificationCache;
import tandem.core.sql.Classification;

class ReadRouterTest {

    private static final ClassificationCache CLASSIFIER = new ClassificationCache();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ReadShare share = new ReadShare(100);
    private final ReadRouter router = new ReadRouter(share, Set.of("users", "content")::contains, pending::contains,
            new SplittableRandom(7));

    private static List<Classification> batch(String... statements) {
        return java.util.Arrays.stream(statements).map(CLASSIFIER::classify).toList();
    }

    @Test
    void plainReadsOfMirroredTablesGoToTheSecondaryAtAFullShare() {
        assertThat(router.route(batch("SELECT * FROM users WHERE id = $1"), false)).isEqualTo(Route.SECONDARY);
        assertThat(router.route(batch("SELECT u.email, c.title FROM users u JOIN content c ON c.user_id = u.id"), false))
                .isEqualTo(Route.SECONDARY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO users (email) VALUES ('a')",
        "UPDATE users SET email = 'b'",
        "SELECT * FROM users FOR UPDATE",
        "SELECT nextval('users_id_seq')",
        "BEGIN",
        "SET search_path TO app",
        "CREATE TABLE x (a int)",
        "SELECT * FROM sessions",
        "SELECT 1",
        "SELECT * FROM pg_catalog.pg_class",
        "SELECT * FROM other.users",
        "SELECT pg_advisory_lock(1)",
    })
    void everythingButPlainReadsOfMirroredTablesStaysOnThePrimary(String sql) {
        assertThat(router.route(batch(sql), false)).isEqualTo(Route.PRIMARY);
    }

    @Test
    void aBatchWithOneWriteStaysOnThePrimary() {
        assertThat(router.route(batch("SELECT * FROM users", "DELETE FROM content WHERE id = 1"), false))
                .isEqualTo(Route.PRIMARY);
    }

    @Test
    void readsInsideATransactionStayOnThePrimary() {
        assertThat(router.route(batch("SELECT * FROM users"), true)).isEqualTo(Route.PRIMARY);
    }

    @Test
    void tablesWithPendingRepairsAreReadFromThePrimaryUntilDrained() {
        pending.add("content");
        assertThat(router.route(batch("SELECT * FROM content"), false)).isEqualTo(Route.PRIMARY);
        assertThat(router.route(batch("SELECT * FROM users"), false)).isEqualTo(Route.SECONDARY);
        pending.remove("content");
        assertThat(router.route(batch("SELECT * FROM content"), false)).isEqualTo(Route.SECONDARY);
    }

    @Test
    void theShareDecidesHowManyEligibleReadsMove() {
        share.set(25);
        int secondary = 0;
        for (int i = 0; i < 10_000; i++) {
            if (router.route(batch("SELECT * FROM users"), false) == Route.SECONDARY) {
                secondary++;
            }
        }
        assertThat(secondary).isBetween(2_250, 2_750);
        share.set(0);
        assertThat(router.route(batch("SELECT * FROM users"), false)).isEqualTo(Route.PRIMARY);
    }

    @Test
    void aShareOutsideZeroToHundredIsRefused() {
        assertThatThrownBy(() -> share.set(101)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: 0 to 100");
        assertThat(share.percent()).isEqualTo(100);
    }

    @Test
    void aSecondaryThatFailedKeepsReadsOnThePrimaryForAWhileAndOnlyTheFirstFailureSaysSo() {
        assertThat(router.pauseAfterFailure()).as("starts a pause").isTrue();
        assertThat(router.pauseAfterFailure()).as("extends it").isFalse();
        assertThat(router.route(batch("SELECT * FROM users"), false)).isEqualTo(Route.PRIMARY);
        assertThat(router.eligible(batch("SELECT * FROM users"), false)).as("still eligible for shadow reads").isTrue();
    }
}
