package tandem.loadtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: drives the demo workload against a PostgreSQL endpoint and prints what it did. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Drive a PostgreSQL-protocol endpoint (tandem, or PostgreSQL directly) with concurrent clients "
                + "over the demo schema. Exits 1 when an unexpected error or an anomaly was seen.")
final class RunCommand implements Callable<Integer> {

    // clients finish the operation they are in; a statement stuck longer than this is not waited for
    private static final int REPORT_WAIT_SECONDS = 30;

    @Option(names = "--url", required = true, description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:6432/app")
    String url;

    @Option(names = "--user", defaultValue = "postgres", description = "user (default: ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--password", description = "password (default: $PGPASSWORD, else none)")
    String password;

    @Option(names = "--clients", defaultValue = "8", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "how long to run: 500ms, 30s, 5m, 1h (default: 30s unless --operations is given)")
    Duration duration;

    @Option(names = "--operations", defaultValue = "0", description = "stop after this many operations in all")
    long operations;

    @Option(names = "--mix", description = "weights, e.g. inserts=30,updates=25,deletes=5,transactions=10,rollbacks=5,"
            + "reads=25 (the default); a category left out does not run")
    String mix;

    @Option(names = "--seed", defaultValue = "42", description = "seeds the clients' choices (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--hot-rows", defaultValue = "8", description = "rows every client updates (default: ${DEFAULT-VALUE})")
    int hotRows;

    @Option(names = "--create-schema", description = "create the demo tables first where missing (PostgreSQL only)")
    boolean createSchema;

    @Override
    public Integer call() throws Exception {
        String pass = password != null ? password : System.getenv("PGPASSWORD");
        Duration limit = duration != null ? duration : operations > 0 ? null : Duration.ofSeconds(30);
        WorkloadOptions options = new WorkloadOptions(url, user, pass, clients, limit, operations,
                mix == null ? Mix.DEFAULT : Mix.parse(mix), seed, hotRows);
        if (createSchema) {
            try (Connection c = DriverManager.getConnection(url, user, pass)) {
                DemoSchema.createPostgres(c);
            }
        }
        Workload workload = new Workload(options);
        // Ctrl-C ends the run early and still prints what it did: the JVM exits once its hooks
        // return, so the hook waits for the report
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            workload.stop();
            try {
                reported.await(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "workload-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            WorkloadResult result = workload.run();
            System.out.print(result.describe());
            System.out.flush();
            return result.clean() ? 0 : 1;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the report is out
            }
        }
    }
}
