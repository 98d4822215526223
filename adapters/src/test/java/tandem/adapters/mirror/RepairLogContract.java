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
        assertThat(log().due(100, Duration.ZERO)).anySatisfy(e -> {
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
        assertThat(log().due(100, NOT_YET)).noneMatch(e -> e.token().equals(token));
        assertThat(log().due(100, Duration.ZERO)).anyMatch(e -> e.token().equals(token));

        log().markFailed(token, "secondary down");
        RepairLog.Entry entry = log().due(100, NOT_YET).stream().filter(e -> e.token().equals(token)).findFirst()
                .orElseThrow();
        assertThat(entry.key()).isEqualTo(key);
        assertThat(entry.table()).isEqualTo("items");
        assertThat(entry.attempts()).isZero();
        assertThat(entry.enqueuedAt()).isNotNull();

        log().recordAttempt(List.of(entry.id()), "still down");
        log().recordAttempt(List.of(entry.id()), "still down");
        assertThat(log().due(100, NOT_YET)).filteredOn(e -> e.id() == entry.id()).singleElement()
                .extracting(RepairLog.Entry::attempts).isEqualTo(2);

        log().remove(List.of(entry.id()));
        assertThat(log().due(100, Duration.ZERO)).noneMatch(e -> e.id() == entry.id());
    }

    @Test
    void compositeKeysAreDecodedWithTheStoresSchemaAndTheBacklogCountsEveryTable() {
        log().ensureCreated();
        String token = writePair("acme", 42);
        RepairLog.Entry entry = log().due(100, Duration.ZERO).stream().filter(e -> e.token().equals(token))
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
        assertThat(log().due(100, Duration.ZERO)).filteredOn(e -> e.table().equals("gone")).singleElement()
                .satisfies(e -> assertThat(e.key()).isNull());
    }
}
