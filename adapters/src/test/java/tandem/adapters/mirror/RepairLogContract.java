package tandem.adapters.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import tandem.core.mirror.Key;
import tandem.core.mirror.RepairLog;
import tandem.core.store.Store;

/**
 * What every store's repair log does, run against each ({@link PostgresRepairLogIT},
 * {@link SqliteRepairLogTest}). Entries are written the way the write path writes them: in the
 * transaction of the row they are for, beside that row.
 */
abstract class RepairLogContract {

    /** The store, with tables {@code items (id uuid-or-text PK, label)} and {@code pairs (org, member, PK both)}. */
    abstract Store store();

    /** Writes a row of {@code items} and its entry in one transaction, commits it or rolls it back; returns the token. */
    abstract String writeItem(Key key, boolean commit);

    /** Writes a row of {@code pairs} and its entry, committed; returns the token. */
    abstract String writePair(String org, int member);

    /** An item key as the store's value model has it. */
    abstract Key itemKey();

    /** Writes an entry naming a table the store does not have. */
    abstract void writeEntryOfDroppedTable();

    RepairLog log() {
        return store().repairLog();
    }

    private static final Duration NOT_YET = Duration.ofHours(1);
    private static final Instant CLASS_STARTED = Instant.now();

    @Test
    void ensureCreatedIsIdempotentAndSafeUnderConcurrentCallers() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(threads.submit(() -> log().ensureCreated()));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            threads.shutdown();
        }
        log().ensureCreated();
        assertThat(store().schema().tables().keySet()).as("tandem's own table is not one of the application's")
                .containsExactlyInAnyOrder("items", "pairs");
    }

    @Test
    void entriesOfATransactionThatRolledBackVanishWithIt() {
        log().ensureCreated();
        long before = log().backlog().rows();
        writeItem(itemKey(), false);
        assertThat(log().backlog().rows()).isEqualTo(before);
        Key committed = itemKey();
        String token = writeItem(committed, true);
        assertThat(log().backlog().rows()).isEqualTo(before + 1);
        assertThat(log().backlog().pendingTables()).contains("items");
        assertThat(log().due(100, Duration.ZERO, Instant.now())).anySatisfy(e -> {
            assertThat(e.token()).isEqualTo(token);
            assertThat(e.key()).isEqualTo(committed);
        });
        log().removeToken(token);
    }

    @Test
    void youngEntriesAreDueOnlyOnceFailedOrOldAndRemovalRetiresThem() {
        log().ensureCreated();
        Key key = itemKey();
        String token = writeItem(key, true);
        // the store's clock is this machine's, and the backlog's oldest entry is one this class wrote
        assertThat(log().backlog().oldest()).isBetween(CLASS_STARTED.minusSeconds(5), Instant.now().plusSeconds(5));
        assertThat(log().due(100, NOT_YET, Instant.now())).noneMatch(e -> e.token().equals(token));
        assertThat(log().due(100, Duration.ZERO, Instant.now())).anyMatch(e -> e.token().equals(token));

        log().markFailed(token, "secondary down");
        RepairLog.Entry entry = log().due(100, NOT_YET, Instant.now()).stream().filter(e -> e.token().equals(token)).findFirst()
                .orElseThrow();
        assertThat(entry.key()).isEqualTo(key);
        assertThat(entry.table()).isEqualTo("items");
        assertThat(entry.attempts()).isZero();
        assertThat(entry.enqueuedAt()).isNotNull();

        log().recordAttempt(List.of(entry.id()), "still down", Instant.now());
        log().recordAttempt(List.of(entry.id()), "still down", Instant.now());
        assertThat(log().due(100, NOT_YET, Instant.now())).filteredOn(e -> e.id() == entry.id()).singleElement()
                .extracting(RepairLog.Entry::attempts).isEqualTo(2);

        log().remove(List.of(entry.id()));
        assertThat(log().due(100, Duration.ZERO, Instant.now())).noneMatch(e -> e.id() == entry.id());
    }

    @Test
    void compositeKeysAreDecodedWithTheStoresSchemaAndTheBacklogCountsEveryTable() {
        log().ensureCreated();
        String token = writePair("acme", 42);
        RepairLog.Entry entry = log().due(100, Duration.ZERO, Instant.now()).stream().filter(e -> e.token().equals(token))
                .findFirst().orElseThrow();
        assertThat(entry.key().values()).hasSize(2).first().isEqualTo("acme");
        assertThat(((Number) entry.key().values().get(1)).longValue()).isEqualTo(42);
        RepairLog.Backlog backlog = log().backlog();
        assertThat(backlog.pendingTables()).contains("pairs");
        assertThat(backlog.oldest()).isNotNull();
        log().removeToken(token);
        assertThat(log().backlog().pendingTables()).doesNotContain("pairs");
    }

    @Test
    void anEntryWhoseKeyTheSchemaCannotReadComesWithoutAKey() {
        log().ensureCreated();
        writeEntryOfDroppedTable();
        assertThat(log().due(100, Duration.ZERO, Instant.now())).filteredOn(e -> e.table().equals("gone")).singleElement()
                .satisfies(e -> assertThat(e.key()).isNull());
    }

    /** Removes every entry, so that a test can count what is due. */
    private void clear() {
        log().remove(log().due(100_000, Duration.ZERO, Instant.now().plus(Duration.ofDays(3650))).stream()
                .map(RepairLog.Entry::id).toList());
        assertThat(log().backlog()).isEqualTo(RepairLog.Backlog.EMPTY);
    }

    private List<Long> idsOf(String token) {
        return log().due(100_000, Duration.ZERO, Instant.now().plus(Duration.ofDays(3650))).stream()
                .filter(e -> e.token().equals(token)).map(RepairLog.Entry::id).toList();
    }

    /** The drainer once took the oldest entries whatever their back-off, and 500 waiting ones hid all others. */
    @Test
    void anEntryThatBacksOffIsNotDueBeforeItsTimeAndHidesNoOther() {
        log().ensureCreated();
        clear();
        Instant now = Instant.now();
        String failing = writeItem(itemKey(), true);
        log().markFailed(failing, "secondary down");
        log().recordAttempt(idsOf(failing), "parent missing", now.plusSeconds(60));
        String healthy = writeItem(itemKey(), true);

        assertThat(log().due(1, Duration.ZERO, now)).singleElement().extracting(RepairLog.Entry::token)
                .isEqualTo(healthy);
        assertThat(log().due(10, NOT_YET, now.plusSeconds(59))).noneMatch(e -> e.token().equals(failing));
        assertThat(log().due(10, NOT_YET, now.plusSeconds(60))).singleElement().extracting(RepairLog.Entry::token)
                .isEqualTo(failing);
        log().markFailed(failing, "failed again in a live sync");
        assertThat(log().due(10, NOT_YET, now)).as("a failed live sync makes it due at once")
                .anyMatch(e -> e.token().equals(failing));
        clear();
    }

    @Test
    void tablesTakeTurnsSoThatOneTablesBacklogDoesNotHoldUpAnothers() {
        log().ensureCreated();
        clear();
        for (int i = 0; i < 5; i++) {
            writeItem(itemKey(), true);
        }
        writePair("turns", 1);
        assertThat(log().due(2, Duration.ZERO, Instant.now())).extracting(RepairLog.Entry::table)
                .as("the pair is younger than every item, yet its table's turn comes second")
                .containsExactly("items", "pairs");
        clear();
    }

    @Test
    void theBacklogSaysPerTableWhatWaitsHowOftenItWasTriedAndWhy() {
        log().ensureCreated();
        clear();
        writeItem(itemKey(), true);
        writeItem(itemKey(), true);
        String pair = writePair("why", 7);
        log().recordAttempt(idsOf(pair), "no parent yet", Instant.now());
        log().recordAttempt(idsOf(pair), "no parent still", Instant.now());

        RepairLog.Backlog backlog = log().backlog();
        assertThat(backlog.rows()).isEqualTo(3);
        assertThat(backlog.tables()).extracting(RepairLog.TableBacklog::table).containsExactly("items", "pairs");
        assertThat(backlog.tables().get(0)).satisfies(t -> {
            assertThat(t.rows()).isEqualTo(2);
            assertThat(t.attempts()).isZero();
            assertThat(t.lastError()).isNull();
            assertThat(t.oldest()).isBetween(CLASS_STARTED.minusSeconds(5), Instant.now().plusSeconds(5));
        });
        assertThat(backlog.tables().get(1)).satisfies(t -> {
            assertThat(t.rows()).isEqualTo(1);
            assertThat(t.attempts()).isEqualTo(2);
            assertThat(t.lastError()).isEqualTo("no parent still");
        });
        clear();
    }
}
