package tandem.core.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PendingRepairsTest {

    @Test
    void tablesAreFoundWhateverTheirCase() {
        PendingRepairs pending = new PendingRepairs();
        assertThat(pending.contains("users")).isFalse();
        pending.add("Users");
        assertThat(pending.contains("users")).isTrue();
        assertThat(pending.contains("USERS")).isTrue();
        assertThat(pending.contains("content")).isFalse();
    }

    @Test
    void theBacklogReplacesTheSetAndATableLeavesWhenItsLastEntryIsDrained() {
        PendingRepairs pending = new PendingRepairs();
        pending.addAll(List.of("users", "content"));
        long mark = pending.mark();
        pending.retainOnly(List.of("content", "analytics_events"), mark);
        assertThat(pending.tables()).containsExactlyInAnyOrder("content", "analytics_events");
        pending.retainOnly(List.of(), pending.mark());
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void aTableAddedWhileTheBacklogWasReadStaysUntilTheNextRead() {
        PendingRepairs pending = new PendingRepairs();
        long mark = pending.mark();
        // a sync fails after the drainer started reading a backlog that did not show its entries yet
        pending.add("users");
        pending.retainOnly(List.of(), mark);
        assertThat(pending.contains("users")).isTrue();
        pending.retainOnly(List.of(), pending.mark());
        assertThat(pending.contains("users")).isFalse();
    }
}
