package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.adapters.sqlite.SqliteFixture.one;
import static tandem.adapters.sqlite.SqliteFixture.query;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import tandem.config.SqliteConfig;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.session.TransactionStatus;
import tandem.core.store.SqlSession;

@Timeout(60)
class SqliteConcurrencyTest {

    /** Counts to a billion: minutes of work for SQLite, so only an interrupt ends it. */
    private static final String ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            + "WHERE i < 1000000000) SELECT count(*) FROM n";

    @TempDir
    Path dir;

    private SqliteFixture fixture;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        fixture = SqliteFixture.create(dir, new SqliteConfig(Duration.ofMillis(300), 2), Clock.systemUTC(),
                "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                "INSERT INTO counter VALUES (1, 0)");
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        fixture.close();
    }

    private static void assertState(Throwable e, SqlState state) {
        assertThat(e).isInstanceOfSatisfying(ProxyException.class, p -> assertThat(p.state()).isEqualTo(state));
    }

    @Test
    void readersReadWhileAWriterHoldsItsTransaction() {
        try (SqlSession writer = fixture.session(); SqlSession reader = fixture.session()) {
            query(writer, "BEGIN", "UPDATE counter SET n = 1");
            long started = System.nanoTime();
            assertThat(one(reader, "SELECT n FROM counter").value()).isEqualTo("0"); // committed data, no waiting
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
            query(writer, "COMMIT");
            assertThat(one(reader, "SELECT n FROM counter").value()).isEqualTo("1");
        }
    }

    @Test
    void aReadTransactionKeepsItsSnapshot() {
        try (SqlSession writer = fixture.session(); SqlSession reader = fixture.session()) {
            query(reader, "BEGIN", "SELECT n FROM counter");
            one(writer, "UPDATE counter SET n = 5");
            assertThat(query(reader, "SELECT n FROM counter").get(0).value()).isEqualTo("0");
            query(reader, "COMMIT");
            assertThat(one(reader, "SELECT n FROM counter").value()).isEqualTo("5");
        }
    }

    @Test
    void aWriterWaitingForAnotherWriterFailsClearlyAfterTheBusyTimeout() {
        try (SqlSession first = fixture.session(); SqlSession second = fixture.session()) {
            query(first, "BEGIN", "UPDATE counter SET n = n + 1");
            long started = System.nanoTime();
            assertThatThrownBy(() -> one(second, "UPDATE counter SET n = n + 10"))
                    .satisfies(e -> assertState(e, SqlState.LOCK_NOT_AVAILABLE))
                    .hasMessageContaining("the SQLite store's writer is busy")
                    .hasMessageContaining("busy_timeout (300 ms)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250),
                    Duration.ofSeconds(5));
            assertThat(second.status()).isEqualTo(TransactionStatus.IDLE);
            query(first, "COMMIT");
            one(second, "UPDATE counter SET n = n + 10");
            assertThat(one(second, "SELECT n FROM counter").value()).isEqualTo("11");
        }
    }

    @Test
    void manySessionsTakeTurnsOnTheOneWriter() throws Exception {
        int sessions = 8;
        int increments = 25;
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            done.add(threads.submit(() -> {
                try (SqlSession session = fixture.session()) {
                    for (int i = 0; i < increments; i++) {
                        retryWhileBusy(() -> one(session, "UPDATE counter SET n = n + 1"));
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        try (SqlSession session = fixture.session()) {
            assertThat(one(session, "SELECT n FROM counter").value()).isEqualTo(Integer.toString(sessions * increments));
        }
    }

    private static void retryWhileBusy(Runnable write) {
        while (true) {
            try {
                write.run();
                return;
            } catch (ProxyException e) {
                if (e.state() != SqlState.LOCK_NOT_AVAILABLE) {
                    throw e;
                }
            }
        }
    }

    @Test
    void cancelFromAnotherThreadInterruptsARunningQuery() throws Exception {
        try (SqlSession session = fixture.session()) {
            SqlSession.PreparedSql endless = session.prepare(ENDLESS, List.of());
            CountDownLatch started = new CountDownLatch(1);
            Future<Throwable> outcome = threads.submit(() -> {
                session.beginBatch(false);
                started.countDown();
                try (SqlSession.Cursor cursor = session.execute(endless, List.of())) {
                    cursor.next();
                    return null;
                } catch (Throwable t) {
                    return t;
                } finally {
                    session.endBatch(true);
                }
            });
            started.await();
            Thread.sleep(300); // let SQLite get well into the count
            long canceled = System.nanoTime();
            session.cancel();
            Throwable e = outcome.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - canceled)).isLessThan(Duration.ofSeconds(5));
            assertState(e, SqlState.QUERY_CANCELED);
            assertThat(e).hasMessage("canceling statement due to user request");
            assertThat(one(session, "SELECT n FROM counter").value()).isEqualTo("0"); // the session still works
        }
    }

    @Test
    void cancelOfAnIdleSessionDoesNothing() {
        try (SqlSession session = fixture.session()) {
            session.cancel();
            assertThat(one(session, "SELECT 1").value()).isEqualTo("1");
        }
    }

    @Test
    void statementTimeoutCancelsALongQuery() {
        try (SqlSession session = fixture.session()) {
            query(session, "SET statement_timeout = '200ms'");
            long started = System.nanoTime();
            assertThatThrownBy(() -> one(session, ENDLESS))
                    .satisfies(e -> assertState(e, SqlState.QUERY_CANCELED))
                    .hasMessage("canceling statement due to statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(one(session, "SELECT 2").value()).isEqualTo("2");
        }
    }

    @Test
    void cancelEndsAWaitForTheWriter() throws Exception {
        try (SqlSession holder = fixture.session(); SqlSession waiter = fixture.session()) {
            query(holder, "BEGIN", "UPDATE counter SET n = 1");
            CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    one(waiter, "UPDATE counter SET n = 2");
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }, threads);
            Thread.sleep(100);
            waiter.cancel();
            Throwable e = outcome.get(10, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(ProxyException.class);
            assertThat(((ProxyException) e).state()).isIn(SqlState.QUERY_CANCELED, SqlState.LOCK_NOT_AVAILABLE);
            query(holder, "ROLLBACK");
        }
    }

    @Test
    void aBlockThatReadsThenWritesMovesToTheWriterAndSeesCommittedData() {
        try (SqlSession a = fixture.session(); SqlSession b = fixture.session()) {
            query(a, "BEGIN", "SELECT n FROM counter");
            one(b, "UPDATE counter SET n = 100");
            // READ COMMITTED: the write sees what committed meanwhile
            query(a, "UPDATE counter SET n = n + 1", "COMMIT");
            assertThat(one(b, "SELECT n FROM counter").value()).isEqualTo("101");
        }
    }

    @Test
    void selectForUpdateTakesTheWriterSoTheReadAndTheWriteAgree() {
        try (SqlSession a = fixture.session(); SqlSession b = fixture.session()) {
            query(a, "BEGIN", "SELECT n FROM counter WHERE id = 1 FOR UPDATE");
            assertThatThrownBy(() -> one(b, "UPDATE counter SET n = 7"))
                    .satisfies(e -> assertState(e, SqlState.LOCK_NOT_AVAILABLE));
            query(a, "UPDATE counter SET n = 1", "COMMIT");
            assertThat(one(b, "SELECT n FROM counter").value()).isEqualTo("1");
        }
    }
}
