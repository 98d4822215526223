package tandem.core.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tandem.core.metrics.MetricNames;

class MirrorTest {

    @Test
    void theSyncIsTimedWithTheGivenClock() {
        AtomicLong clock = new AtomicLong(1_000);
        // a replay only: no keys, no token, so neither the primary nor the repair log is asked
        RowWriter secondary = (keys, images, statements) -> clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(7));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Mirror mirror = new Mirror(new RowSync(null, secondary, null), null, new PendingRepairs(),
                Duration.ofSeconds(5), registry, clock::get)) {
            Mirror.Outcome outcome = mirror.committed(new Changes(null, Map.of()),
                    List.of(new RowWriter.Replay("insert into log values (1)", List.of()))).join();

            assertThat(outcome).isEqualTo(Mirror.Outcome.SYNCED);
            assertThat(registry.get(MetricNames.MIRROR_TIME).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7);
            assertThat(registry.get(MetricNames.MIRROR).tag("outcome", "synced").counter().count()).isEqualTo(1);
        }
    }
}
