package tandem.core.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

class SyncFailureTest {

    private static SyncFailure of(SqlState state) {
        return SyncFailure.of(new IllegalStateException("wrapped", new ProxyException(state, "store new: ...")));
    }

    @Test
    void theSqlStateSaysWhetherAnOperatorShouldLook() {
        assertThat(of(SqlState.FOREIGN_KEY_VIOLATION)).isEqualTo(SyncFailure.FOREIGN_KEY);
        assertThat(of(SqlState.CONNECTION_FAILURE)).isEqualTo(SyncFailure.UNAVAILABLE);
        assertThat(of(SqlState.DEADLOCK_DETECTED)).isEqualTo(SyncFailure.TRANSIENT);
        assertThat(of(SqlState.SERIALIZATION_FAILURE)).isEqualTo(SyncFailure.TRANSIENT);
        assertThat(of(SqlState.UNIQUE_VIOLATION)).isEqualTo(SyncFailure.CONSTRAINT);
        assertThat(of(SqlState.INVALID_TEXT_REPRESENTATION)).isEqualTo(SyncFailure.DATA);
        assertThat(of(SqlState.SYNTAX_ERROR)).isEqualTo(SyncFailure.OTHER);
        assertThat(SyncFailure.of(new IllegalStateException("no store's answer at all"))).as("counted against the store")
                .isEqualTo(SyncFailure.UNAVAILABLE);
        assertThat(SyncFailure.TRANSIENT.expected()).isTrue();
        assertThat(SyncFailure.CONSTRAINT.expected()).isFalse();
        assertThat(SyncFailure.UNREADABLE_KEY.label()).isEqualTo("unreadable_key");
    }
}
