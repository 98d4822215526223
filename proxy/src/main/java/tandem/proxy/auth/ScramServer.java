package tandem.proxy.auth;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import tandem.proxy.wire.ProtocolException;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) as PostgreSQL runs it:
 * offer {@link #MECHANISMS} in AuthenticationSASL; answer the SASLInitialResponse with
 * {@link #serverFirstMessage} (sent in AuthenticationSASLContinue); check the SASLResponse with
 * {@link #serverFinalMessage}, whose message goes out in AuthenticationSASLFinal when the proof
 * holds. Without TLS there is no channel binding: gs2 headers "n,," and "y,," are accepted,
 * "p=..." is not. The user name inside the SCRAM messages is ignored, as PostgreSQL ignores it:
 * the StartupMessage named the user. A malformed message is a {@link ProtocolException} (08P01);
 * a wrong proof is an {@link Outcome} that is not authenticated, which the caller answers with
 * {@link AuthenticationFailedException} (28P01).
 */
public final class ScramServer {

    public static final String MECHANISM = Scram.MECHANISM;
    /** What AuthenticationSASL lists: SCRAM-SHA-256 only, as tandem offers no TLS to bind to. */
    public static final List<String> MECHANISMS = List.of(MECHANISM);

    /** The verdict on a client-final-message; {@code serverFinalMessage} is null when not authenticated. */
    public record Outcome(boolean authenticated, byte[] serverFinalMessage) {

        static final Outcome FAILED = new Outcome(false, null);

        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome other && authenticated == other.authenticated
                    && Arrays.equals(serverFinalMessage, other.serverFinalMessage);
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(authenticated) * 31 + Arrays.hashCode(serverFinalMessage);
        }

        @Override
        public String toString() {
            return "Outcome[authenticated=" + authenticated + "]";
        }
    }

    private enum State { INITIAL, FIRST_SENT, DONE }

    private final String user;
    private final ScramCredential credential;
    private final boolean mock;
    private final Supplier<String> serverNonces;
    private State state = State.INITIAL;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    /** An exchange for a user whose credential is known; see {@link ScramCredentials#newServer}. */
    public ScramServer(String user, ScramCredential credential) {
        this(user, credential, false, Scram::randomNonce);
    }

    /** {@code mock}: the user is unknown and the exchange fails at its end whatever the proof. */
    ScramServer(String user, ScramCredential credential, boolean mock, Supplier<String> serverNonces) {
        this.user = user;
        this.credential = credential;
        this.mock = mock;
        this.serverNonces = serverNonces;
    }

    /** The user the exchange authenticates, as the StartupMessage named it. */
    public String user() {
        return user;
    }

    /** Answers the SASLInitialResponse: {@code mechanism} and its data, the client-first-message. */
    public byte[] serverFirstMessage(String mechanism, byte[] clientFirstMessage) {
        require(State.INITIAL);
        state = State.DONE;
        if (!MECHANISM.equals(mechanism)) {
            throw new ProtocolException("client selected an invalid SASL authentication mechanism \"" + mechanism
                    + "\" (expected: " + MECHANISM + ")");
        }
        if (clientFirstMessage == null) {
            throw Scram.malformed("the SASLInitialResponse carries no client-first-message");
        }
        String message = Scram.text(clientFirstMessage);
        int flagEnd = message.indexOf(',');
        int authzidEnd = flagEnd < 0 ? -1 : message.indexOf(',', flagEnd + 1);
        if (authzidEnd < 0) {
            throw Scram.malformed("client-first-message has no gs2 header");
        }
        String flag = message.substring(0, flagEnd);
        if (flag.startsWith("p=")) {
            throw new ProtocolException("SCRAM channel binding (" + flag + ") is not supported: tandem offers "
                    + MECHANISM + " without -PLUS");
        }
        if (!flag.equals("n") && !flag.equals("y")) {
            throw Scram.malformed("unexpected channel-binding flag \"" + flag + "\" (expected: n, y)");
        }
        String authzid = message.substring(flagEnd + 1, authzidEnd);
        if (authzid.startsWith("a=")) {
            throw new ProtocolException("client uses SCRAM authorization identity, which is not supported");
        }
        if (!authzid.isEmpty()) {
            throw Scram.malformed("client-first-message has no gs2 header (expected: \"n,,\" or \"y,,\")");
        }
        gs2Header = message.substring(0, authzidEnd + 1);
        clientFirstBare = message.substring(authzidEnd + 1);
        String[] parts = clientFirstBare.split(",", -1);
        if (parts[0].startsWith("m=")) {
            throw Scram.malformed("client requires an unsupported SCRAM extension");
        }
        Scram.attribute(parts[0], 'n', "client-first-message");
        if (parts.length < 2) {
            throw Scram.malformed("client-first-message has no nonce");
        }
        String clientNonce = Scram.checkNonce(Scram.attribute(parts[1], 'r', "client-first-message"), "client-first-message");
        nonce = clientNonce + serverNonces.get();
        serverFirst = "r=" + nonce + ",s=" + Scram.base64(credential.salt()) + ",i=" + credential.iterations();
        state = State.FIRST_SENT;
        return Scram.bytes(serverFirst);
    }

    /** Checks the SASLResponse data, the client-final-message: channel binding, nonce and proof. */
    public Outcome serverFinalMessage(byte[] clientFinalMessage) {
        require(State.FIRST_SENT);
        state = State.DONE;
        String message = Scram.text(clientFinalMessage);
        String[] parts = message.split(",", -1);
        if (parts.length < 3) {
            throw Scram.malformed("client-final-message needs channel binding, nonce and proof");
        }
        byte[] binding = Scram.unbase64(Scram.attribute(parts[0], 'c', "client-final-message"), "channel binding");
        if (!Arrays.equals(binding, Scram.bytes(gs2Header))) {
            throw new ProtocolException("SCRAM channel binding check failed");
        }
        String finalNonce = Scram.attribute(parts[1], 'r', "client-final-message");
        String proofText = Scram.attribute(parts[parts.length - 1], 'p', "client-final-message");
        byte[] proof = Scram.unbase64(proofText, "client proof");
        if (proof.length != Scram.KEY_LENGTH) {
            throw Scram.malformed("client proof of " + proof.length + " bytes (expected: " + Scram.KEY_LENGTH + ")");
        }
        if (!finalNonce.equals(nonce) || mock) {
            return Outcome.FAILED;
        }
        String withoutProof = message.substring(0, message.length() - parts[parts.length - 1].length() - 1);
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = Scram.hmac(credential.storedKey(), authMessage);
        byte[] clientKey = Scram.xor(proof, clientSignature);
        if (!MessageDigest.isEqual(Scram.sha256(clientKey), credential.storedKey())) {
            return Outcome.FAILED;
        }
        byte[] serverSignature = Scram.hmac(credential.serverKey(), authMessage);
        return new Outcome(true, Scram.bytes("v=" + Scram.base64(serverSignature)));
    }

    private void require(State expected) {
        if (state != expected) {
            throw new tandem.proxy.wire.ProtocolException("unexpected SCRAM message: the exchange is " + state
                    + " (expected: " + expected + ")");
        }
    }
}
