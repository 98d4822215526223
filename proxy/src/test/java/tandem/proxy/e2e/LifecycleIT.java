package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tandem.adapters.testing.TcpForwarder;
import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.GuardConfig;
import tandem.config.MigrationConfig;
import tandem.config.PlanConfig;
import tandem.config.StoreConfig;
import tandem.config.TandemConfig;

/**
 * The migration's lifecycle through the admin API, against a running tandem in front of two
 * PostgreSQL stores: the plan refused until the backfill and a clean verification, then walking
 * its stages by itself; a restart coming back in the same state; rollback; refused commands with
 * their reasons; and the guard sending reads back when the new store starts failing them.
 */
class LifecycleIT {

    private TestDatabase oldDb;
    private TestDatabase newDb;
    private Proxy proxy;
    private Supplier<Proxy> restart;

    private TcpForwarder newStoreHop;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (newStoreHop != null) {
            newStoreHop.close();
        }
    }

    private void start(PlanConfig plan, GuardConfig guard) {
        start(plan, guard, false);
    }

    /** {@code throughHop}: tandem reaches the new store through {@link #newStoreHop}, which a test can slow down. */
    private void start(PlanConfig plan, GuardConfig guard, boolean throughHop) {
        oldDb = TestPostgres.shared().createDatabase("life_old");
        newDb = TestPostgres.shared().createDatabase("life_new");
        for (TestDatabase db : List.of(oldDb, newDb)) {
            db.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL)");
        }
        oldDb.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 200) g");
        StoreConfig oldStore = StoreConfig.postgres(oldDb.jdbcUrl(), oldDb.user(), blank(oldDb.password()));
        String newUrl = newDb.jdbcUrl();
        if (throughHop) {
            try {
                newStoreHop = new TcpForwarder(newDb.host(), newDb.port());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            newUrl = newStoreHop.jdbcUrl(newDb.name());
        }
        StoreConfig newStore = StoreConfig.postgres(newUrl, newDb.user(), blank(newDb.password()));
        MigrationConfig migration = MigrationConfig.defaults().withShadowSample(0).withPlan(plan).withGuard(guard);
        TandemConfig.Builder builder = TandemConfig.builder().database(oldDb.name()).oldStore(oldStore)
                .newStore(newStore).migration(migration);
        restart = () -> Proxy.start(builder, oldDb.name());
        proxy = restart.get();
    }

    @Test
    void thePlanWaitsForACleanCopyThenWalksItsStagesAndARestartComesBackThere() throws Exception {
        start(new PlanConfig(List.of(50, 100), Duration.ofSeconds(2)), GuardConfig.defaults());
        assertThat(status()).containsPattern("\"phase\" : \"syncing\"");

        HttpResponse<String> early = proxy.admin("POST", "/api/plan/start", null);
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("reads stay on the old store: the backfill has not copied every table yet")
                .contains("POST /api/backfill, then POST /api/verify");

        backfillAndVerify();
        HttpResponse<String> started = proxy.admin("POST", "/api/plan/start", null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(started.body()).contains("\"phase\" : \"switching\"").contains("\"readPercent\" : 50");
        HttpResponse<String> again = proxy.admin("POST", "/api/plan/start", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("the plan cannot start in phase switching (it is running)");

        awaitStatus("\"plan\" : \\{\\s*\"state\" : \"done\"", Duration.ofSeconds(15));
        assertThat(status()).contains("\"readPercent\" : 100");
        assertThat(events()).contains("plan started").contains("reads at 100%: stage 2 of 2").contains("ready for cutover");

        proxy.close();
        proxy = restart.get();
        assertThat(status()).as("the state is kept in the new store").contains("\"phase\" : \"switching\"")
                .contains("\"readPercent\" : 100").containsPattern("\"plan\" : \\{\\s*\"state\" : \"done\"");
        assertThat(readsServed()).as("reads at 100 % after the restart").isPositive();

        HttpResponse<String> back = proxy.admin("POST", "/api/rollback", "{\"reason\": \"testing rollback\"}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(back.body()).contains("\"phase\" : \"syncing\"").contains("\"readPercent\" : 0");
        assertThat(events()).contains("rolled back to syncing: reads on the old store again (were 100%): testing rollback");
        HttpResponse<String> nothing = proxy.admin("POST", "/api/rollback", null);
        assertThat(nothing.statusCode()).isEqualTo(409);
        assertThat(nothing.body()).contains("nothing to roll back");

        HttpResponse<String> bad = proxy.admin("GET", "/api/events?after=soon", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\\\"after\\\" must be a whole number");
        HttpResponse<String> paused = proxy.admin("POST", "/api/plan/pause", null);
        assertThat(paused.statusCode()).isEqualTo(409);
        assertThat(paused.body()).contains("the plan is not running (it is idle)").contains("POST /api/plan/start");
    }

    /** POST /api/backfill/start, /pause and /resume: a paused copy goes on from its checkpoints. */
    @Test
    void theBackfillPausesAndResumesFromItsCheckpoints() throws Exception {
        start(PlanConfig.defaults(), GuardConfig.defaults());
        HttpResponse<String> idle = proxy.admin("POST", "/api/backfill/pause", null);
        assertThat(idle.statusCode()).isEqualTo(409);
        assertThat(idle.body()).contains("no backfill is running here").contains("POST /api/backfill/start");
        HttpResponse<String> started = proxy.admin("POST", "/api/backfill/start",
                "{\"batchSize\": 10, \"maxRowsPerSecond\": 100}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        Thread.sleep(300);
        assertThat(proxy.admin("POST", "/api/backfill/pause", null).statusCode()).isEqualTo(200);
        awaitStatus("\"backfill\" : \\{\\s*\"running\" : false", Duration.ofSeconds(10));
        assertThat(status()).as("paused before the end").contains("\"complete\" : false");
        long copied = newRows();
        assertThat(copied).isBetween(1L, 199L);
        assertThat(proxy.admin("POST", "/api/backfill/resume", null).statusCode()).isEqualTo(202);
        awaitStatus("\"complete\" : true", Duration.ofSeconds(30));
        assertThat(newRows()).isEqualTo(200);
    }

    private long newRows() throws Exception {
        try (Connection c = newDb.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Two tandems in front of the same stores: a change made through one reaches the other; one leads, and another takes over when it goes. */
    @Test
    void twoTandemsShareTheStateAndOneLeadsThePlan() throws Exception {
        start(new PlanConfig(List.of(50, 100), Duration.ofSeconds(3)), GuardConfig.defaults());
        backfillAndVerify();
        Proxy other = restart.get();
        try {
            assertThat(other.admin("POST", "/api/plan/start", null).statusCode()).isEqualTo(200);
            awaitStatus(proxy, "\"readPercent\" : 50", Duration.ofSeconds(5));
            awaitStatus(proxy, "\"leader\" : (true|false)", Duration.ofSeconds(5));
            Thread.sleep(1500); // both ticked at least once since
            boolean firstLeads = status(proxy).contains("\"leader\" : true");
            boolean otherLeads = status(other).contains("\"leader\" : true");
            assertThat(firstLeads ^ otherLeads).as("exactly one leads").isTrue();

            awaitStatus(other, "\"readPercent\" : 100", Duration.ofSeconds(10));
            awaitStatus(proxy, "\"readPercent\" : 100", Duration.ofSeconds(5));
            assertThat(proxy.admin("POST", "/api/rollback", null).statusCode()).isEqualTo(200);
            awaitStatus(other, "\"phase\" : \"syncing\"", Duration.ofSeconds(5));
            assertThat(status(other)).contains("\"readPercent\" : 0");

            Proxy leader = firstLeads ? proxy : other;
            Proxy follower = firstLeads ? other : proxy;
            leader.close();
            awaitStatus(follower, "\"leader\" : true", Duration.ofSeconds(10));
            if (leader == proxy) {
                proxy = other;
                other = null;
            }
        } finally {
            if (other != null) {
                other.close();
            }
        }
    }

    /**
     * Backfill and verification run where the migration is led: a tandem that does not lead hands
     * them to the one that does and says so; its verification report and progress come from the new
     * store, so the command line may ask either.
     */
    @Test
    void aTandemThatDoesNotLeadHandsTheBackfillAndVerificationToTheLeader() throws Exception {
        start(PlanConfig.defaults(), GuardConfig.defaults());
        Proxy other = restart.get();
        try {
            Thread.sleep(1500); // both ticked: one leads
            boolean firstLeads = status(proxy).contains("\"leader\" : true");
            Proxy leader = firstLeads ? proxy : other;
            Proxy follower = firstLeads ? other : proxy;
            assertThat(status(follower)).contains("\"leader\" : false");

            HttpResponse<String> handed = follower.admin("POST", "/api/backfill", "{\"batchSize\": 50}");
            assertThat(handed.statusCode()).isEqualTo(202);
            assertThat(handed.body()).contains("\"forwarded\" : true").contains("the tandem that leads the migration");
            awaitStatus(follower, "\"complete\" : true", Duration.ofSeconds(30));
            assertThat(newRows()).isEqualTo(200);

            String admin = "--admin=http://127.0.0.1:" + follower.adminPort();
            Cli verified = cli("verify", admin);
            assertThat(verified.exit()).as(verified.err()).isZero();
            assertThat(verified.out()).contains("clean: the stores hold the same rows (200 rows compared");
            assertThat(leader.admin("GET", "/api/verify/latest", null).body()).contains("\"clean\" : true");
        } finally {
            if (other != null) {
                other.close();
            }
        }
    }

    /** bin/tandem status, plan, reads, rollback and events call the admin API and print what it said. */
    @Test
    void theCommandLineSteersTheMigrationThroughTheAdminApi() throws Exception {
        start(new PlanConfig(List.of(50, 100), Duration.ofMinutes(10)), GuardConfig.defaults());
        String admin = "--admin=http://127.0.0.1:" + proxy.adminPort();
        Cli refused = cli("plan", "start", admin);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("tandem: reads stay on the old store: the backfill has not copied every table yet")
                .contains("hint: finish the backfill and a clean verification first");
        assertThat(cli("plan", "start", "--force", admin).out()).isEqualTo("phase switching, reads 50%, plan running\n");
        assertThat(cli("status", admin).out()).contains("phase     switching").contains("reads     50% on the new store")
                .contains("plan      running, stages [50,100], at stage 1 since");
        assertThat(cli("reads", "20", "--force", admin).out()).isEqualTo("reads 20% on the new store (were 50%); phase switching\n");
        Cli gated = cli("plan", "resume", admin);
        assertThat(gated.exit()).isEqualTo(1);
        assertThat(gated.err()).contains("or send \"force\": true");
        assertThat(cli("plan", "resume", "--force", admin).out()).isEqualTo("phase switching, reads 50%, plan running\n");
        assertThat(cli("rollback", "--reason", "a test", admin).out()).isEqualTo("phase syncing, reads 0%, plan idle\n");
        assertThat(cli("events", admin).out()).contains("plan started (forced: the backfill has not copied every table yet")
                .contains("reads set to 20% by the operator (was 50%), forced; the plan paused")
                .contains("rolled back to syncing: reads on the old store again (were 50%): a test");
        assertThat(cli("status", "--json", admin).out()).contains("\"phase\" : \"syncing\"");
        Cli nobody = cli("status", "--admin=http://127.0.0.1:1");
        assertThat(nobody.exit()).isEqualTo(2);
        assertThat(nobody.err()).contains("tandem: cannot reach tandem's admin API at http://127.0.0.1:1")
                .contains("hint: is tandem running?");
    }

    /** bin/tandem backfill start|pause|resume and bin/tandem verify [--repair] without --config: the running tandem's. */
    @Test
    void theBackfillAndVerificationsRunInTheRunningTandemFromTheCommandLine() throws Exception {
        start(PlanConfig.defaults(), GuardConfig.defaults());
        String admin = "--admin=http://127.0.0.1:" + proxy.adminPort();
        Cli idle = cli("backfill", "pause", admin);
        assertThat(idle.exit()).isEqualTo(1);
        assertThat(idle.err()).contains("tandem: no backfill is running here");
        Cli local = cli("backfill", "start", "--from-scratch", admin);
        assertThat(local.exit()).isEqualTo(2);
        assertThat(local.err()).contains("--from-scratch and --no-snapshot are for a backfill run from here");
        Cli neither = cli("backfill", admin);
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("tandem backfill needs --config FILE");

        assertThat(cli("backfill", "start", "--batch-size", "50", admin).out())
                .isEqualTo("backfill running in tandem; tandem status shows how far it is\n");
        awaitStatus("\"complete\" : true", Duration.ofSeconds(30));
        assertThat(newRows()).isEqualTo(200);
        Cli clean = cli("verify", admin);
        assertThat(clean.exit()).as(clean.err()).isZero();
        assertThat(clean.out()).containsPattern("items +200 +200 +200 +0 +0 +0")
                .contains("items: compared by fingerprints of 1 key ranges").contains("clean: the stores hold the same rows");

        newDb.execute("UPDATE items SET name = 'changed' WHERE id = 7");
        Cli differs = cli("verify", admin);
        assertThat(differs.exit()).isEqualTo(1);
        assertThat(differs.out()).contains("items [7]: differs; name old 'item 7', new 'changed'").contains("the stores differ");
        Cli repaired = cli("verify", "--repair", admin);
        assertThat(repaired.exit()).as(repaired.out()).isZero();
        assertThat(repaired.out()).contains("items: 1 repaired, 0 still differ");
        assertThat(cli("verify", "--json", admin).out()).contains("\"clean\" : true");
    }

    /** GET /api/events/stream: the events so far, then each new one as it happens, as server-sent events. */
    @Test
    void theEventStreamSendsThePastThenEachNewEventAsItHappens() throws Exception {
        start(new PlanConfig(List.of(50, 100), Duration.ofMinutes(10)), GuardConfig.defaults());
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + proxy.adminPort() + "/api/events/stream")).build();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        Thread reader = Thread.ofVirtual().start(() -> response.body().forEach(lines::add));
        try {
            assertThat(lines.poll(10, TimeUnit.SECONDS)).as("the backlog").startsWith("data: {\"id\":1,").contains("migration started");
            assertThat(lines.poll(10, TimeUnit.SECONDS)).as("an event ends with a blank line").isEmpty();
            assertThat(proxy.admin("POST", "/api/plan/start", "{\"force\": true}").statusCode()).isEqualTo(200);
            assertThat(lines.poll(10, TimeUnit.SECONDS)).as("a new event, live").startsWith("data: {\"id\":2,")
                    .contains("\"kind\":\"plan\"").contains("plan started");
        } finally {
            reader.interrupt();
            http.close();
        }
    }

    private record Cli(int exit, String out, String err) {
    }

    private static Cli cli(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine line = tandem.proxy.Main.commandLine();
        line.setOut(new java.io.PrintWriter(out, true));
        line.setErr(new java.io.PrintWriter(err, true));
        int exit = line.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    /** Reads fail on the new store (its table renamed behind tandem's back): the guard sends them back, no client sees an error. */
    @Test
    void theGuardSendsReadsBackWhenTheNewStoreFailsThemAndSaysWhy() throws Exception {
        start(new PlanConfig(List.of(50, 100), Duration.ofMinutes(10)),
                new GuardConfig(Duration.ofSeconds(30), 20, 0.05, Duration.ofSeconds(5), 0.01, 0.01));
        backfillAndVerify();
        assertThat(proxy.admin("POST", "/api/plan/start", null).statusCode()).isEqualTo(200);
        assertThat(readsServed()).as("half the reads on the new store").isPositive();

        newDb.execute("ALTER TABLE items RENAME TO items_elsewhere");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection c = proxy.connect(); PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
            while (!status().contains("\"readPercent\" : 0") && System.nanoTime() < deadline) {
                for (int i = 0; i < 10; i++) {
                    ps.setLong(1, 1 + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).as("every read answered, by the old store").isTrue();
                    }
                }
            }
        }
        assertThat(status()).contains("\"readPercent\" : 0").containsPattern("\"plan\" : \\{\\s*\"state\" : \"paused\"");
        assertThat(events()).containsPattern("guard: read error rate [0-9.]+ % over the last 30 s \\(\\d+ calls\\), "
                + "above the threshold 5.00 %; reads back on the old store \\(were 50%\\)");
        String metrics = proxy.admin("GET", "/metrics", null).body();
        assertThat(metrics).containsPattern("tandem_guard_trips_total\\{signal=\"read error rate\"[^}]*} 1\\.0")
                .containsPattern("tandem_migration_phase\\{phase=\"switching\"[^}]*} 1\\.0")
                .containsPattern("tandem_migration_plan_stage(\\{[^}]*})? 1\\.0");
    }

    /**
     * The new store answers slowly (a TCP hop in front of it holds each answer 250 ms): its reads'
     * p99 passes the guard's limit, reads go back to the old store within the window, the event
     * names the threshold, and every client read is answered.
     */
    @Test
    void theGuardSendsReadsBackWhenTheNewStoreSlowsDown() throws Exception {
        start(new PlanConfig(List.of(50, 100), Duration.ofMinutes(10)),
                new GuardConfig(Duration.ofSeconds(30), 10, 0.05, Duration.ofMillis(100), 0.01, 0.5), true);
        backfillAndVerify();
        assertThat(proxy.admin("POST", "/api/plan/start", null).statusCode()).isEqualTo(200);

        newStoreHop.delay(Duration.ofMillis(250));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int answered = 0;
        try (Connection c = proxy.connect(); PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
            while (!status().contains("\"readPercent\" : 0") && System.nanoTime() < deadline) {
                ps.setLong(1, 1 + answered % 200);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("every read answered").isTrue();
                }
                answered++;
            }
        }
        newStoreHop.delay(Duration.ZERO);
        assertThat(status()).contains("\"readPercent\" : 0").containsPattern("\"plan\" : \\{\\s*\"state\" : \"paused\"");
        assertThat(events()).containsPattern("guard: read latency: share of reads slower than 100 ms [0-9.]+ % over the "
                + "last 30 s \\(\\d+ calls\\), above the threshold 1 % \\(a p99 above 100 ms\\); reads back on the old "
                + "store \\(were 50%\\)");
        assertThat(answered).isPositive();
    }

    /** Reads of rows only the new store has, through tandem: a read it served counts 1. */
    private long readsServed() throws Exception {
        newDb.execute("INSERT INTO items VALUES (100000, 'only in the new store') ON CONFLICT DO NOTHING");
        long served = 0;
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 40; i++) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM items WHERE id = 100000")) {
                    rs.next();
                    served += rs.getLong(1);
                }
            }
        }
        newDb.execute("DELETE FROM items WHERE id = 100000");
        return served;
    }

    private void backfillAndVerify() throws Exception {
        assertThat(proxy.admin("POST", "/api/backfill", "{}").statusCode()).isEqualTo(202);
        awaitStatus("\"complete\" : true", Duration.ofSeconds(30));
        assertThat(proxy.admin("POST", "/api/verify", "{}").statusCode()).isEqualTo(202);
        assertThat(proxy.awaitVerification()).contains("\"clean\" : true");
    }

    private void awaitStatus(String pattern, Duration within) throws InterruptedException {
        awaitStatus(proxy, pattern, within);
    }

    /** Waits until the status of {@code tandem} matches {@code pattern} (a regular expression found anywhere in it). */
    private static void awaitStatus(Proxy tandem, String pattern, Duration within) throws InterruptedException {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(pattern);
        long deadline = System.nanoTime() + within.toNanos();
        while (!p.matcher(status(tandem)).find() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(status(tandem)).containsPattern(p);
    }

    private static String status(Proxy tandem) {
        return tandem.admin("GET", "/api/status", null).body();
    }

    private String status() {
        return proxy.admin("GET", "/api/status", null).body();
    }

    private String events() {
        return proxy.admin("GET", "/api/events", null).body();
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
