package tandem.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.backend.Authentication;
import tandem.proxy.wire.frontend.AuthenticationResponse;

class BackendAuthenticatorTest {

    @Test
    void hashesMd5AsPostgresDoes() {
        // md5("postgres" + "postgres") = 3175bce1..., the hash PostgreSQL stores for that user and password
        assertThat(BackendAuthenticator.md5("postgres", "postgres", new byte[] {1, 2, 3, 4}))
                .isEqualTo("md568be9ed08db75f318087ab337aaea044");
        assertThat(BackendAuthenticator.md5("jürgen", "pässwort", new byte[] {(byte) 0xff, 0, (byte) 0x80, 7}))
                .isEqualTo("md5a8e56006189bda62c233a7d964bca104");
    }

    @Test
    void answersMd5AndCleartextRequests() {
        var auth = new BackendAuthenticator("postgres", "postgres");
        assertThat(auth.respond(new Authentication.MD5Password(new byte[] {1, 2, 3, 4})).orElseThrow().readPassword())
                .isEqualTo("md568be9ed08db75f318087ab337aaea044");
        assertThat(auth.respond(Authentication.CleartextPassword.INSTANCE).orElseThrow().readPassword()).isEqualTo("postgres");
        assertThat(auth.respond(Authentication.Ok.INSTANCE)).isEmpty();
    }

    @Test
    void runsScramAgainstTheServerSide() {
        var server = new ScramCredentials(Map.of("tandem", "s3cret")).newServer("tandem");
        var auth = new BackendAuthenticator("tandem", "s3cret");

        AuthenticationResponse initial = auth.respond(new Authentication.SASL(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")))
                .orElseThrow();
        var sasl = initial.readSASLInitialResponse();
        assertThat(sasl.mechanism()).isEqualTo("SCRAM-SHA-256");
        byte[] serverFirst = server.serverFirstMessage(sasl.mechanism(), sasl.data());
        AuthenticationResponse last = auth.respond(new Authentication.SASLContinue(serverFirst)).orElseThrow();
        var outcome = server.serverFinalMessage(last.readSASLResponse());
        assertThat(outcome.authenticated()).isTrue();
        assertThat(auth.respond(new Authentication.SASLFinal(outcome.serverFinalMessage()))).isEmpty();
        assertThat(auth.respond(Authentication.Ok.INSTANCE)).isEmpty();
    }

    @Test
    void refusesAuthenticationOkBeforeTheServerProvedItself() {
        var auth = new BackendAuthenticator("tandem", "s3cret");
        auth.respond(new Authentication.SASL(List.of("SCRAM-SHA-256")));
        assertThatThrownBy(() -> auth.respond(Authentication.Ok.INSTANCE)).isInstanceOf(ProtocolException.class)
                .hasMessage("the server ended SCRAM authentication before proving that it knows the password");
    }

    @Test
    void refusesSaslWithoutScramSha256() {
        assertThatThrownBy(() -> new BackendAuthenticator("u", "p").respond(new Authentication.SASL(List.of("SCRAM-SHA-256-PLUS"))))
                .isInstanceOf(ProxyException.class)
                .hasMessage("the server offers SASL mechanisms [SCRAM-SHA-256-PLUS] and tandem speaks only SCRAM-SHA-256");
    }

    @Test
    void refusesSaslContinueOutOfTheBlue() {
        assertThatThrownBy(() -> new BackendAuthenticator("u", "p").respond(new Authentication.SASLContinue(new byte[] {1})))
                .isInstanceOf(ProtocolException.class).hasMessage("the server continued a SASL exchange that it never started");
    }

    @Test
    void failsWhenAPasswordIsAskedAndNoneIsConfigured() {
        assertThatThrownBy(() -> new BackendAuthenticator("u", null).respond(Authentication.CleartextPassword.INSTANCE))
                .isInstanceOf(ProxyException.class)
                .hasMessage("the server asks for a password for user \"u\" and none is configured")
                .satisfies(e -> assertThat(((ProxyException) e).state()).isEqualTo(SqlState.INVALID_PASSWORD));
    }
}
