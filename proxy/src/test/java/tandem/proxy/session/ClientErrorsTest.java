package tandem.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.backend.ServerError;
import tandem.proxy.wire.backend.ErrorResponse;

/** What a client is told for each kind of failure. */
class ClientErrorsTest {

    @Test
    void tandemsOwnErrorKeepsItsCodeMessageDetailAndHint() {
        ErrorResponse r = ClientErrors.response(new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "no", "why", "do this"),
                false);
        assertThat(r.severity()).isEqualTo("ERROR");
        assertThat(r.code()).isEqualTo("0A000");
        assertThat(r.message()).isEqualTo("no");
        assertThat(r.field('D')).isEqualTo("why");
        assertThat(r.field('H')).isEqualTo("do this");
    }

    @Test
    void anErrorThatEndsTheSessionIsFatalWhateverItWasRaisedAs() {
        assertThat(ClientErrors.response(new ProxyException(SqlState.CONNECTION_FAILURE, "lost"), true).severity())
                .isEqualTo("FATAL");
        assertThat(ClientErrors.exception(ProxyException.fatal(SqlState.PROTOCOL_VIOLATION, "bad", null), false)
                .isFatal()).isFalse();
    }

    @Test
    void aStoresOwnErrorReachesTheClientAsTheStoreSentIt() {
        ErrorResponse fromServer = ErrorResponse.of("ERROR", SqlState.UNIQUE_VIOLATION, "duplicate key", "Key (id)=(1)", null);
        assertThat(ClientErrors.response(new ServerError(fromServer), false)).isSameAs(fromServer);
    }

    @Test
    void anythingElseIsAnInternalErrorNamingWhatFailed() {
        ErrorResponse r = ClientErrors.response(new IllegalStateException("a bug"), true);
        assertThat(r.code()).isEqualTo("XX000");
        assertThat(r.severity()).isEqualTo("FATAL");
        assertThat(r.message()).contains("tandem failed").contains("a bug");
    }
}
