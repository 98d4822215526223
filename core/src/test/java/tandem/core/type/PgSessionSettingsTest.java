package tandem.core.type;

import static org.assertj.core.api.Assertions.assertThat;
import static tandem.core.type.TextOutputTest.assertState;

import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import tandem.core.error.SqlState;

class PgSessionSettingsTest {

    private static final PgSessionSettings S = PgSessionSettings.DEFAULT;

    @Test
    void defaultsAreThoseOfAFreshPostgresSessionInUtc() {
        assertThat(S.timeZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(S.extraFloatDigits()).isEqualTo(1);
        assertThat(S.byteaOutput()).isEqualTo(PgSessionSettings.ByteaOutput.HEX);
        assertThat(S.dateStyle()).isEqualTo("ISO, MDY");
        assertThat(S.intervalStyle()).isEqualTo("postgres");
    }

    @Test
    void timeZoneTakesNamesInAnyCaseHoursEastAndPosixOffsetsWest() {
        assertThat(S.with("TimeZone", "Europe/Berlin").timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(S.with("timezone", "america/new_york").timeZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(S.with("TimeZone", "utc").timeZone().getRules().getOffset(java.time.Instant.EPOCH)).isEqualTo(ZoneOffset.UTC);
        assertThat(S.with("TimeZone", "5.5").timeZone()).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
        assertThat(S.with("TimeZone", "-3").timeZone()).isEqualTo(ZoneOffset.ofHours(-3));
        // POSIX counts hours west of Greenwich: PostgreSQL prints '+05:30' as -05:30
        assertThat(S.with("TimeZone", "+05:30").timeZone()).isEqualTo(ZoneOffset.ofHoursMinutes(-5, -30));
        assertThat(S.with("TimeZone", "UTC+3").timeZone()).isEqualTo(ZoneOffset.ofHours(-3));
        assertState(() -> S.with("TimeZone", "Mars/Olympus"), SqlState.INVALID_PARAMETER_VALUE);
    }

    @Test
    void dateStyleIsoWithMdyIsAcceptedAndEveryOtherStyleRefused() {
        assertThat(S.with("DateStyle", "ISO, MDY")).isEqualTo(S);
        assertThat(S.with("datestyle", "iso")).isEqualTo(S);
        assertThat(S.with("DateStyle", "MDY")).isEqualTo(S);
        assertState(() -> S.with("DateStyle", "SQL, DMY"), SqlState.FEATURE_NOT_SUPPORTED);
        assertState(() -> S.with("DateStyle", "ISO, DMY"), SqlState.FEATURE_NOT_SUPPORTED);
        assertState(() -> S.with("DateStyle", "German"), SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void extraFloatDigitsByteaOutputAndIntervalStyleAreChecked() {
        assertThat(S.with("extra_float_digits", "3").extraFloatDigits()).isEqualTo(3);
        assertThat(S.with("extra_float_digits", "-15").extraFloatDigits()).isEqualTo(-15);
        assertState(() -> S.with("extra_float_digits", "4"), SqlState.INVALID_PARAMETER_VALUE);
        assertState(() -> S.with("extra_float_digits", "x"), SqlState.INVALID_PARAMETER_VALUE);
        assertThat(S.with("bytea_output", "ESCAPE").byteaOutput()).isEqualTo(PgSessionSettings.ByteaOutput.ESCAPE);
        assertState(() -> S.with("bytea_output", "base64"), SqlState.INVALID_PARAMETER_VALUE);
        assertThat(S.with("IntervalStyle", "postgres")).isEqualTo(S);
        assertState(() -> S.with("IntervalStyle", "iso_8601"), SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void otherParametersLeaveTheSettingsAlone() {
        assertThat(S.with("application_name", "x")).isSameAs(S);
        assertThat(PgSessionSettings.tracks("TimeZone")).isTrue();
        assertThat(PgSessionSettings.tracks("search_path")).isFalse();
    }

    @Test
    void showsValuesAsParameterStatusReportsThem() {
        PgSessionSettings s = S.with("TimeZone", "Asia/Kolkata").with("bytea_output", "escape");
        assertThat(s.show("TimeZone")).isEqualTo("Asia/Kolkata");
        assertThat(s.show("DateStyle")).isEqualTo("ISO, MDY");
        assertThat(s.show("extra_float_digits")).isEqualTo("1");
        assertThat(s.show("bytea_output")).isEqualTo("escape");
        assertThat(s.show("IntervalStyle")).isEqualTo("postgres");
    }
}
