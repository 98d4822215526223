package tandem.proxy.auth;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.wire.ProtocolException;

class ScramTest {

    // RFC 7677 section 3
    static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    static ScramServer rfcServer() {
        return new ScramServer("user", ScramCredential.derive("pencil", SALT, 4096), false, () -> SERVER_NONCE);
    }

    @Test
    void clientProducesTheRfc7677Exchange() {
        var client = new ScramClient("user", "pencil", CLIENT_NONCE);
        assertThat(new String(client.clientFirstMessage(), US_ASCII)).isEqualTo(CLIENT_FIRST);
        assertThat(new String(client.clientFinalMessage(ascii(SERVER_FIRST)), US_ASCII)).isEqualTo(CLIENT_FINAL);
        client.verifyServerFinalMessage(ascii(SERVER_FINAL));
        assertThat(client.isVerified()).isTrue();
    }

    @Test
    void serverProducesTheRfc7677Exchange() {
        ScramServer server = rfcServer();
        assertThat(new String(server.serverFirstMessage("SCRAM-SHA-256", ascii(CLIENT_FIRST)), US_ASCII)).isEqualTo(SERVER_FIRST);
        var outcome = server.serverFinalMessage(ascii(CLIENT_FINAL));
        assertThat(outcome.authenticated()).isTrue();
        assertThat(new String(outcome.serverFinalMessage(), US_ASCII)).isEqualTo(SERVER_FINAL);
    }

    @Test
    void clientAndServerAgreeWithRandomNoncesAndSalt() {
        var credentials = new ScramCredentials(Map.of("alice", "correct horse battery staple"));
        var outcome = exchange(credentials.newServer("alice"), new ScramClient("alice", "correct horse battery staple"));
        assertThat(outcome.authenticated()).isTrue();
    }

    @Test
    void userNameInsideScramIsIgnoredAsPostgresIgnoresIt() {
        var credentials = new ScramCredentials(Map.of("alice", "pw"));
        assertThat(exchange(credentials.newServer("alice"), new ScramClient("", "pw")).authenticated()).isTrue();
        assertThat(exchange(credentials.newServer("alice"), new ScramClient("bob,=x", "pw")).authenticated()).isTrue();
    }

    @Test
    void wrongPasswordIsNotAuthenticated() {
        var credentials = new ScramCredentials(Map.of("alice", "right"));
        var outcome = exchange(credentials.newServer("alice"), new ScramClient("alice", "wrong"));
        assertThat(outcome.authenticated()).isFalse();
        assertThat(outcome.serverFinalMessage()).isNull();
        assertThat(new AuthenticationFailedException("alice")).hasMessage("password authentication failed for user \"alice\"")
                .satisfies(e -> assertThat(e.state()).isEqualTo(SqlState.INVALID_PASSWORD))
                .satisfies(e -> assertThat(e.isFatal()).isTrue());
    }

    @Test
    void unknownUserRunsTheWholeExchangeWithAStableSaltAndFails() {
        var credentials = new ScramCredentials(Map.of("alice", "pw"));
        String first = new String(credentials.newServer("mallory").serverFirstMessage("SCRAM-SHA-256", ascii("n,,n=,r=abc")), US_ASCII);
        String again = new String(credentials.newServer("mallory").serverFirstMessage("SCRAM-SHA-256", ascii("n,,n=,r=abc")), US_ASCII);
        assertThat(first.substring(first.indexOf(",s="))).isEqualTo(again.substring(again.indexOf(",s=")));
        assertThat(exchange(credentials.newServer("mallory"), new ScramClient("", "pw")).authenticated()).isFalse();
    }

    @Test
    void derivesEachUsersCredentialOnce() {
        var credentials = new ScramCredentials(Map.of("alice", "pw"));
        String salt1 = saltOf(credentials.newServer("alice"));
        String salt2 = saltOf(credentials.newServer("alice"));
        assertThat(salt1).isEqualTo(salt2);
    }

    @Test
    void acceptsAConfiguredPostgresVerifier() {
        String verifier = ScramCredential.derive("pw").verifier();
        var credentials = new ScramCredentials(Map.of("alice", verifier));
        assertThat(exchange(credentials.newServer("alice"), new ScramClient("", "pw")).authenticated()).isTrue();
    }

    @Test
    void verifierRoundTripsThroughPostgresTextForm() {
        var credential = ScramCredential.derive("pencil", SALT, 4096);
        assertThat(credential.verifier()).startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$");
        assertThat(ScramCredential.parse(credential.verifier())).isEqualTo(credential);
        assertThat(credential.toString()).doesNotContain(Base64.getEncoder().encodeToString(credential.storedKey()));
        assertThatThrownBy(() -> ScramCredential.parse("SCRAM-SHA-256$4096:abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverAcceptsClientThatSupportsBindingButThinksWeDoNot() {
        ScramServer server = rfcServer();
        server.serverFirstMessage("SCRAM-SHA-256", ascii("y,,n=user,r=" + CLIENT_NONCE));
        // proof is wrong for this auth message, but the channel binding "eSws" = base64("y,,") passes
        var outcome = server.serverFinalMessage(ascii("c=eSws,r=" + CLIENT_NONCE + SERVER_NONCE + ",p=" + "A".repeat(43) + "="));
        assertThat(outcome.authenticated()).isFalse();
    }

    @Test
    void serverRefusesChannelBinding() {
        assertThatThrownBy(() -> rfcServer().serverFirstMessage("SCRAM-SHA-256", ascii("p=tls-server-end-point,,n=,r=abc")))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("SCRAM channel binding (p=tls-server-end-point) is not supported: tandem offers SCRAM-SHA-256 without -PLUS");
        assertThatThrownBy(() -> rfcServer().serverFirstMessage("SCRAM-SHA-256-PLUS", ascii("p=tls-server-end-point,,n=,r=abc")))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("client selected an invalid SASL authentication mechanism \"SCRAM-SHA-256-PLUS\" (expected: SCRAM-SHA-256)");
    }

    @Test
    void serverRejectsMalformedClientFirstMessages() {
        assertMalformedFirst("", "client-first-message has no gs2 header");
        assertMalformedFirst("n,n=,r=abc", "client-first-message has no gs2 header");
        assertMalformedFirst("x,,n=,r=abc", "unexpected channel-binding flag \"x\" (expected: n, y)");
        assertMalformedFirst("n,a=admin,n=,r=abc", "client uses SCRAM authorization identity, which is not supported");
        assertMalformedFirst("n,,m=ext,n=,r=abc", "client requires an unsupported SCRAM extension");
        assertMalformedFirst("n,,r=abc", "expected attribute \"n=\" in client-first-message but found \"r=abc\"");
        assertMalformedFirst("n,,n=user", "client-first-message has no nonce");
        assertMalformedFirst("n,,n=user,r=", "empty nonce in client-first-message");
        assertMalformedFirst("n,,n=user,r=a b", "nonce in client-first-message has a character that is not printable ASCII");
        assertThatThrownBy(() -> rfcServer().serverFirstMessage("SCRAM-SHA-256", null))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("carries no client-first-message");
    }

    @Test
    void serverRejectsMalformedClientFinalMessages() {
        String nonce = CLIENT_NONCE + SERVER_NONCE;
        assertMalformedFinal("c=biws,r=" + nonce, "client-final-message needs channel binding, nonce and proof");
        assertMalformedFinal("c=eSws,r=" + nonce + ",p=AAAA", "SCRAM channel binding check failed");
        assertMalformedFinal("c=biws,r=" + nonce + ",p=!!!", "malformed SCRAM message: client proof is not valid base64");
        assertMalformedFinal("c=biws,r=" + nonce + ",p=AAAA", "client proof of 3 bytes (expected: 32)");
        assertMalformedFinal("r=" + nonce + ",c=biws,p=AAAA", "expected attribute \"c=\" in client-final-message");
        assertMalformedFinal("c=biws,r=" + nonce + ",x=AAAA", "expected attribute \"p=\" in client-final-message");
    }

    @Test
    void serverFailsAuthenticationWhenTheNonceDoesNotMatch() {
        ScramServer server = rfcServer();
        server.serverFirstMessage("SCRAM-SHA-256", ascii(CLIENT_FIRST));
        assertThat(server.serverFinalMessage(ascii(CLIENT_FINAL.replace("k0,", "k1,"))).authenticated()).isFalse();
    }

    @Test
    void serverRefusesMessagesOutOfOrder() {
        assertThatThrownBy(() -> rfcServer().serverFinalMessage(ascii(CLIENT_FINAL))).isInstanceOf(ProtocolException.class)
                .hasMessage("unexpected SCRAM message: the exchange is INITIAL (expected: FIRST_SENT)");
    }

    @Test
    void clientRejectsTamperedServerSignature() {
        var client = new ScramClient("user", "pencil", CLIENT_NONCE);
        client.clientFirstMessage();
        client.clientFinalMessage(ascii(SERVER_FIRST));
        assertThatThrownBy(() -> client.verifyServerFinalMessage(ascii("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")))
                .isInstanceOf(ProxyException.class)
                .hasMessageStartingWith("invalid SCRAM server signature")
                .satisfies(e -> assertThat(((ProxyException) e).state()).isEqualTo(SqlState.INVALID_AUTHORIZATION_SPECIFICATION));
        assertThat(client.isVerified()).isFalse();
    }

    @Test
    void clientReportsServerError() {
        var client = new ScramClient("user", "pencil", CLIENT_NONCE);
        client.clientFirstMessage();
        client.clientFinalMessage(ascii(SERVER_FIRST));
        assertThatThrownBy(() -> client.verifyServerFinalMessage(ascii("e=invalid-proof")))
                .isInstanceOf(ProxyException.class).hasMessage("SCRAM authentication failed: the server says invalid-proof");
    }

    @Test
    void clientRejectsMalformedServerFirstMessages() {
        assertMalformedServerFirst("r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "server nonce does not extend the client's");
        assertMalformedServerFirst("r=" + CLIENT_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "server nonce does not extend the client's");
        assertMalformedServerFirst("r=" + CLIENT_NONCE + "x,s=,i=4096", "empty salt in server-first-message");
        assertMalformedServerFirst("r=" + CLIENT_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", "iteration count 0 (expected: 1 to 10000000)");
        assertMalformedServerFirst("r=" + CLIENT_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2147483647",
                "iteration count 2147483647 (expected: 1 to 10000000)");
        assertMalformedServerFirst("r=" + CLIENT_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=lots", "iteration count \"lots\" is not a number");
        assertMalformedServerFirst("m=x,r=" + CLIENT_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1", "server requires an unsupported SCRAM extension");
        assertMalformedServerFirst("r=" + CLIENT_NONCE + "x", "server-first-message needs nonce, salt and iteration count");
    }

    @Test
    void saslPrepMapsNonAsciiPasswordsAsRfc4013Says() {
        assertThat(SaslPrep.prepare("I\u00ADX")).isEqualTo("IX");
        assertThat(SaslPrep.prepare("user")).isEqualTo("user");
        assertThat(SaslPrep.prepare("\u00AA")).isEqualTo("a");
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");
        assertThat(SaslPrep.prepare("a\u00A0b\u00E9")).isEqualTo("a b\u00E9");
        // prohibited (a control, a bidi violation): used as it is, as PostgreSQL does
        assertThat(SaslPrep.prepare("\u00E9\u0085")).isEqualTo("\u00E9\u0085");
        assertThat(SaslPrep.prepare("\u0627\u0031")).isEqualTo("\u0627\u0031");
        assertThat(SaslPrep.prepare("\u0007")).isEqualTo("\u0007");
    }

    @Test
    void passwordsThatPrepareAlikeAuthenticateAlike() {
        var credentials = new ScramCredentials(Map.of("alice", "I\u00ADX"));
        assertThat(exchange(credentials.newServer("alice"), new ScramClient("", "IX")).authenticated()).isTrue();
    }

    private static ScramServer.Outcome exchange(ScramServer server, ScramClient client) {
        byte[] serverFirst = server.serverFirstMessage("SCRAM-SHA-256", client.clientFirstMessage());
        var outcome = server.serverFinalMessage(client.clientFinalMessage(serverFirst));
        if (outcome.authenticated()) {
            client.verifyServerFinalMessage(outcome.serverFinalMessage());
            assertThat(client.isVerified()).isTrue();
        }
        return outcome;
    }

    private static String saltOf(ScramServer server) {
        String first = new String(server.serverFirstMessage("SCRAM-SHA-256", ascii("n,,n=,r=abc")), US_ASCII);
        return first.substring(first.indexOf(",s="));
    }

    private static void assertMalformedFirst(String clientFirst, String expected) {
        assertThatThrownBy(() -> rfcServer().serverFirstMessage("SCRAM-SHA-256", ascii(clientFirst)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining(expected)
                .satisfies(e -> assertThat(((ProtocolException) e).state()).isEqualTo(SqlState.PROTOCOL_VIOLATION));
    }

    private static void assertMalformedFinal(String clientFinal, String expected) {
        ScramServer server = rfcServer();
        server.serverFirstMessage("SCRAM-SHA-256", ascii(CLIENT_FIRST));
        assertThatThrownBy(() -> server.serverFinalMessage(ascii(clientFinal))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining(expected);
    }

    private static void assertMalformedServerFirst(String serverFirst, String expected) {
        var client = new ScramClient("user", "pencil", CLIENT_NONCE);
        client.clientFirstMessage();
        assertThatThrownBy(() -> client.clientFinalMessage(ascii(serverFirst))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining(expected);
    }
}
