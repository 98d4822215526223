package tandem.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tandem.core.mirror.Changes;
import tandem.core.mirror.Key;

class ChangedRowsTest {

    private Instant now = Instant.parse("2026-12-08T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private static Changes of(String table, long... ids) {
        Changes.Builder b = new Changes.Builder();
        for (long id : ids) {
            b.add(table, Key.of(id));
        }
        return b.build();
    }

    @Test
    void keepsTheKeysWrittenSinceAVerificationStartedLessAMargin() {
        ChangedRows rows = new ChangedRows(100, clock);
        rows.changed(of("items", 1, 2));
        now = now.plusSeconds(60);
        rows.changed(of("items", 3));
        rows.changed(of("users", 9));
        Instant verificationStart = now.plusSeconds(3);
        now = now.plusSeconds(10);
        rows.changed(of("items", 4));
        assertThat(rows.since(verificationStart)).as("from 5 s before the start: rows it may have read before their sync")
                .isEqualTo(Map.of("items", Set.of(Key.of(3L), Key.of(4L)), "users", Set.of(Key.of(9L))));
        rows.verified(verificationStart);
        assertThat(rows.size()).as("older ones are proven and forgotten").isEqualTo(3);
        assertThat(rows.since(Instant.EPOCH)).containsOnlyKeys("items", "users");
    }

    @Test
    void pastItsLimitItForgetsAndSaysFromWhenItKnowsAgain() {
        ChangedRows rows = new ChangedRows(3, clock);
        Instant started = now;
        assertThat(rows.knownSince()).isEqualTo(started);
        rows.changed(of("items", 1, 2, 3));
        rows.changed(of("items", 1)); // the same key again counts once
        assertThat(rows.knownSince()).isEqualTo(started);
        now = now.plus(Duration.ofMinutes(1));
        rows.changed(of("items", 4));
        assertThat(rows.knownSince()).isEqualTo(now);
        assertThat(rows.size()).isZero();
    }
}
