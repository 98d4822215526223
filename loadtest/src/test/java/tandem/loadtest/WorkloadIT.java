package tandem.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;

/** The workload against a real PostgreSQL directly, over the demo schema. */
@ExtendWith(PostgresExtension.class)
class WorkloadIT {

    private static TestDatabase db;

    @BeforeAll
    static void setUp(TestDatabase database) throws SQLException {
        db = database;
        try (Connection c = database.connect()) {
            DemoSchema.createPostgres(c);
        }
    }

    private static WorkloadOptions options(String url) {
        return WorkloadOptions.of(url, db.user(), db.password());
    }

    @Test
    void fourClientsPerformEveryKindOfOperationWithoutUnexpectedErrors() throws Exception {
        // a count rather than a duration, so the run does the same amount of work on a slow machine
        WorkloadResult result = new Workload(options(db.jdbcUrl()).withClients(4).withOperations(6_000)
                .withDuration(Duration.ofMinutes(5))).run();

        assertThat(result.unexpectedErrors()).as(result.describe()).isEmpty();
        assertThat(result.anomalies()).as(result.describe()).isEmpty();
        assertThat(result.clean()).isTrue();
        assertThat(result.totalOperations()).isEqualTo(6_000);
        assertThat(result.operations().keySet()).as(result.describe()).containsExactlyInAnyOrder(Operation.values());
        // every deliberate unique violation was seen, and counted as expected
        long violations = result.operations().get(Operation.ROLLBACK_ON_UNIQUE_VIOLATION).succeeded();
        assertThat(violations).isPositive();
        assertThat(result.expectedErrors()).containsExactly(java.util.Map.entry(SqlStates.UNIQUE_VIOLATION, violations));
        assertThat(result.latency().p50()).isPositive();
        assertThat(result.describe()).contains("rollback_on_unique_violation").contains("expected errors: 23505 x");

        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM users WHERE email LIKE 'lt-%'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("users the workload committed").isPositive();
        }
    }

    @Test
    void aTimedRunStopsByItself() throws Exception {
        WorkloadResult result = new Workload(options(db.jdbcUrl()).withClients(2)
                .withDuration(Duration.ofSeconds(1)).withMix(Mix.parse("reads=3,updates=1"))).run();

        assertThat(result.clean()).as(result.describe()).isTrue();
        assertThat(result.totalOperations()).isPositive();
        assertThat(result.operations().keySet()).allMatch(op -> op.category() == Operation.Category.READS
                || op.category() == Operation.Category.UPDATES || op == Operation.INSERT_CONTENT);
    }

    @Test
    void unexpectedErrorsAreCountedBySqlStateAndFailTheCommand() throws Exception {
        db.execute("CREATE SCHEMA strict");
        String url = db.jdbcUrl() + "?currentSchema=strict";
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password()); Statement s = c.createStatement()) {
            DemoSchema.createPostgres(c);
            // a rule the workload does not know: some of its inserts now fail with 23514
            s.execute("ALTER TABLE content ADD CONSTRAINT no_videos CHECK (content_type <> 'video')");
        }

        WorkloadResult result = new Workload(options(url).withClients(2).withOperations(400)
                .withMix(Mix.parse("inserts=1"))).run();

        assertThat(result.unexpectedErrors()).containsOnlyKeys("23514");
        assertThat(result.errorMessages().get("23514")).startsWith("insert_content: ").contains("no_videos");
        assertThat(result.operations().get(Operation.INSERT_CONTENT).failed())
                .isEqualTo(result.unexpectedErrorCount());
        assertThat(result.clean()).isFalse();
        assertThat(Main.execute("run", "--url", url, "--user", db.user(), "--password", db.password(), "--clients", "1",
                "--operations", "100", "--mix", "inserts=1")).isEqualTo(1);
    }

    @Test
    void theCommandLineRunsAndExitsZeroWhenClean() {
        assertThat(Main.execute("run", "--url", db.jdbcUrl(), "--user", db.user(), "--password", db.password(),
                "--clients", "2", "--operations", "200", "--seed", "7")).isZero();
        assertThat(Main.execute("run", "--url", db.jdbcUrl(), "--mix", "inserts=1,writes=2")).isEqualTo(2);
    }
}
