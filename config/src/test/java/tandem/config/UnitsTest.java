package tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "2s, PT2S",
        "1m, PT1M",
        "10min, PT10M",
        "1h, PT1H",
        "0, PT0S",
        "0s, PT0S",
        "5S, PT5S",
        "'30 s', PT30S",
    })
    void parsesDurationsWithUnits(String text, Duration expected) {
        assertThat(Units.parseDuration(text)).isEqualTo(expected);
    }

    @Test
    void aBareNumberOtherThanZeroIsNotADuration() {
        assertThatThrownBy(() -> Units.parseDuration("30"))
                .hasMessage("'30' has no unit; durations take ms, s, m or h (e.g. 500ms, 5s, 10m)");
    }

    @Test
    void anUnknownDurationUnitIsNamed() {
        assertThatThrownBy(() -> Units.parseDuration("3d"))
                .hasMessage("'3d' has an unknown unit 'd'; durations take ms, s, m or h");
    }

    @Test
    void negativeAndFractionalDurationsAreRejected() {
        assertThatThrownBy(() -> Units.parseDuration("-5s"))
                .hasMessage("'-5s' is not a duration; write a whole number with ms, s, m or h (e.g. 500ms, 5s, 10m, 1h), or 0");
        assertThatThrownBy(() -> Units.parseDuration("1.5s")).hasMessageStartingWith("'1.5s' is not a duration");
    }

    @Test
    void hugeDurationsAreRejectedRatherThanOverflowing() {
        assertThatThrownBy(() -> Units.parseDuration("99999999999999999999h")).hasMessage("'99999999999999999999h' is too large a number");
        assertThatThrownBy(() -> Units.parseDuration("9999999999999999h")).hasMessage("'9999999999999999h' is too long a duration");
    }

    @ParameterizedTest
    @CsvSource({
        "100B, 100",
        "1kB, 1024",
        "1KB, 1024",
        "64MB, 67108864",
        "64mb, 67108864",
        "1GB, 1073741824",
        "0, 0",
    })
    void parsesSizesInPostgresUnits(String text, long expected) {
        assertThat(Units.parseSize(text)).isEqualTo(expected);
    }

    @Test
    void aBareNumberOtherThanZeroIsNotASize() {
        assertThatThrownBy(() -> Units.parseSize("65536"))
                .hasMessage("'65536' has no unit; sizes take B, kB, MB or GB (e.g. 64MB)");
    }

    @Test
    void anUnknownSizeUnitIsNamed() {
        assertThatThrownBy(() -> Units.parseSize("64MiB"))
                .hasMessage("'64MiB' has an unknown unit 'MiB'; sizes take B, kB, MB or GB (1kB = 1024B, as in PostgreSQL)");
    }

    @Test
    void hugeSizesAreRejectedRatherThanOverflowing() {
        assertThatThrownBy(() -> Units.parseSize("99999999999GB")).hasMessage("'99999999999GB' is too large a size");
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertThat(Units.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Units.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Units.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Units.format(Duration.ZERO)).isEqualTo("0");
        assertThat(Units.formatSize(64L * 1024 * 1024)).isEqualTo("64MB");
        assertThat(Units.formatSize(1536)).isEqualTo("1536B");
        assertThat(Units.formatSize(2L * 1024 * 1024 * 1024)).isEqualTo("2GB");
    }
}
