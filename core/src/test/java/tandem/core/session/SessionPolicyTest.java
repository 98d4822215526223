package tandem.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tandem.config.GuardConfig;
import tandem.core.lifecycle.Guard;
import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.mirror.WritePlan;
import tandem.core.mirror.WriteRewriter;
import tandem.core.route.ReadRouter;
import tandem.core.route.ReadShare;
import tandem.core.session.SessionPolicy.ReadRoute;
import tandem.core.sql.Classification;
import tandem.core.sql.ClassificationCache;
import tandem.core.store.StoreKind;
import tandem.core.type.PgType;
import tandem.core.verify.ShadowReads;

/** The decisions every client session follows, whichever store is primary; no network, no database. */
class SessionPolicyTest {

    private static final ClassificationCache CLASSIFIER = new ClassificationCache();
    private static final Table USERS = new Table("users", List.of(new Column("id", PgType.INT8, "bigint", false),
            new Column("name", PgType.TEXT, "text", true)), List.of("id"), List.of(), List.of());

    private final ReadShare share = new ReadShare(0);
    private final Set<String> pendingRepairs = new java.util.HashSet<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Counter refused = registry.counter("refused");
    private final Counter fallbacks = registry.counter("fallbacks");
    private final AdmissionGate gate = new AdmissionGate();
    private final Guard guard = new Guard(new GuardConfig(Duration.ofSeconds(60), 20, 0.05, Duration.ofMillis(100), 0.01, 0.01));
    private final SessionPolicy policy = new SessionPolicy(
            new ReadRouter(share, Set.of("users")::contains, pendingRepairs::contains, new SplittableRandom(7), now::get),
            null, new WriteRewriter(StoreKind.POSTGRES, Map.of("users", USERS)::get), (changes, replays) -> null,
            refused, fallbacks, gate, guard);

    @Test
    void theSecondarysReadOutcomesReachTheGuard() throws InterruptedException {
        java.util.concurrent.BlockingQueue<Guard.Trip> trips = new java.util.concurrent.LinkedBlockingQueue<>();
        guard.onTrip(trips::add);
        for (int i = 0; i < 19; i++) {
            policy.secondaryAnswered(1_000_000);
        }
        policy.secondaryFailed("connection refused", true);
        assertThat(trips.poll(5, java.util.concurrent.TimeUnit.SECONDS)).as("1 failure in 20 reads: 5 %, the threshold")
                .satisfies(t -> assertThat(t.signal()).isEqualTo("read error rate"));
        for (int i = 0; i < 20; i++) {
            policy.secondaryAnswered(i == 3 ? 200_000_000L : 1_000_000);
        }
        assertThat(trips.poll(5, java.util.concurrent.TimeUnit.SECONDS)).as("1 read in 20 over 100 ms")
                .satisfies(t -> assertThat(t.signal()).startsWith("read latency"));
    }

    private static List<Classification> batch(String... sql) {
        return java.util.Arrays.stream(sql).map(CLASSIFIER::classify).toList();
    }

    @Test
    void readsStayOnThePrimaryUntilAShareIsSet() {
        assertThat(policy.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.PRIMARY);
        share.set(100);
        assertThat(policy.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.SECONDARY);
    }

    @Test
    void aShareSendsAboutThatPartOfTheReadsToTheSecondary() {
        share.set(30);
        int secondary = 0;
        for (int i = 0; i < 10_000; i++) {
            secondary += policy.route(batch("SELECT name FROM users WHERE id = 1"), false) == ReadRoute.SECONDARY ? 1 : 0;
        }
        assertThat(secondary).isBetween(2_700, 3_300);
    }

    @Test
    void readsInsideATransactionWritesAndUnmirroredTablesStayOnThePrimary() {
        share.set(100);
        assertThat(policy.route(batch("SELECT * FROM users"), true)).isEqualTo(ReadRoute.PRIMARY);
        assertThat(policy.route(batch("UPDATE users SET name = 'x'"), false)).isEqualTo(ReadRoute.PRIMARY);
        assertThat(policy.route(batch("SELECT * FROM orders"), false)).isEqualTo(ReadRoute.PRIMARY);
        assertThat(policy.route(batch("SELECT * FROM users", "SELECT * FROM orders"), false)).isEqualTo(ReadRoute.PRIMARY);
        assertThat(policy.route(batch("SELECT * FROM users FOR UPDATE"), false)).isEqualTo(ReadRoute.PRIMARY);
    }

    @Test
    void readsOfATableWithRepairsPendingStayOnThePrimaryUntilTheyAreDrained() {
        share.set(100);
        pendingRepairs.add("users");
        assertThat(policy.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.PRIMARY);
        pendingRepairs.remove("users");
        assertThat(policy.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.SECONDARY);
    }

    @Test
    void anUnavailableSecondaryKeepsReadsOnThePrimaryForAPauseThenGetsThemBack() {
        share.set(100);
        policy.secondaryFailed("connection refused", true);
        assertThat(fallbacks.count()).isEqualTo(1);
        assertThat(policy.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.PRIMARY);
        now.addAndGet(ReadRouter.PAUSE_AFTER_FAILURE.minus(Duration.ofMillis(1)).toNanos());
        assertThat(policy.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.PRIMARY);
        now.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(policy.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.SECONDARY);
    }

    @Test
    void aQueryTheSecondaryFailsFallsBackAloneWithoutPausingTheRest() {
        share.set(100);
        policy.secondaryFailed("division by zero", false);
        assertThat(fallbacks.count()).isEqualTo(1);
        assertThat(policy.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.SECONDARY);
    }

    @Test
    void writesOnMirroredTablesAreCapturedOthersPassAndRefusalsAreCounted() {
        assertThat(plan("UPDATE users SET name = 'x' WHERE id = 1")).isInstanceOf(WritePlan.Capture.class);
        assertThat(plan("UPDATE orders SET total = 0")).isInstanceOf(WritePlan.Pass.class);
        assertThat(plan("SELECT * FROM users")).isInstanceOf(WritePlan.Pass.class);
        assertThat(plan("ALTER TABLE users ADD COLUMN age int")).isInstanceOf(WritePlan.Refuse.class);
        assertThat(refused.count()).isEqualTo(1);
    }

    @Test
    void aSingleEligibleReadThePrimaryServesIsSampledForAShadowComparison() {
        try (ShadowReads everyRead = new ShadowReads(1.0, null, null, registry, new SplittableRandom(1))) {
            SessionPolicy shadowing = new SessionPolicy(new ReadRouter(share, Set.of("users")::contains,
                    pendingRepairs::contains, new SplittableRandom(7), now::get), everyRead, null, null, refused,
                    fallbacks, gate, null);
            assertThat(shadowing.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.PRIMARY_AND_SHADOW);
            assertThat(shadowing.route(batch("SELECT * FROM users", "SELECT 1 FROM users"), false))
                    .as("a batch of several reads is not compared").isEqualTo(ReadRoute.PRIMARY);
            assertThat(shadowing.route(batch("SELECT * FROM users"), true)).isEqualTo(ReadRoute.PRIMARY);
            share.set(100);
            assertThat(shadowing.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.SECONDARY);
        }
    }

    @Test
    void aPassThroughRoutesNothingAndMirrorsNothing() {
        SessionPolicy passThrough = SessionPolicy.passThrough(gate);
        assertThat(passThrough.routesReads()).isFalse();
        assertThat(passThrough.mirrorsWrites()).isFalse();
        assertThat(passThrough.route(batch("SELECT * FROM users"), false)).isEqualTo(ReadRoute.PRIMARY);
        assertThat(passThrough.plan("ALTER TABLE users ADD COLUMN age int", CLASSIFIER.classify(
                "ALTER TABLE users ADD COLUMN age int"))).isInstanceOf(WritePlan.Pass.class);
    }

    private WritePlan plan(String sql) {
        return policy.plan(sql, CLASSIFIER.classify(sql));
    }
}
