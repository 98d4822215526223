package tandem.proxy.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * The client side of one SCRAM-SHA-256 exchange, for tandem's own connections to a PostgreSQL
 * store: {@link #clientFirstMessage} goes in the SASLInitialResponse, {@link #clientFinalMessage}
 * answers AuthenticationSASLContinue, {@link #verifyServerFinalMessage} checks
 * AuthenticationSASLFinal, so that tandem knows it talks to a server that holds the password's
 * verifier. No channel binding (gs2 header "n,,").
 */
public final class ScramClient {

    /** A guard against a server that asks for absurd work; PostgreSQL's default is 4096. */
    public static final int MAX_ITERATIONS = 10_000_000;
    private static final String GS2_HEADER = "n,,";

    private enum State { INITIAL, FIRST_SENT, FINAL_SENT, DONE }

    private final String password;
    private final String clientFirstBare;
    private final String clientNonce;
    private State state = State.INITIAL;
    private byte[] expectedServerSignature;
    private boolean verified;

    /**
     * {@code user} goes into the client-first-message; PostgreSQL ignores it (the StartupMessage
     * names the user), and libpq sends it empty.
     */
    public ScramClient(String user, String password) {
        this(user, password, Scram.randomNonce());
    }

    ScramClient(String user, String password, String clientNonce) {
        this.password = password;
        this.clientNonce = clientNonce;
        this.clientFirstBare = "n=" + Scram.text(Scram.saslName(user).getBytes(UTF_8)) + ",r=" + clientNonce;
    }

    public byte[] clientFirstMessage() {
        require(State.INITIAL);
        state = State.FIRST_SENT;
        return Scram.bytes(GS2_HEADER + clientFirstBare);
    }

    /** Answers the server-first-message with the proof. */
    public byte[] clientFinalMessage(byte[] serverFirstMessage) {
        require(State.FIRST_SENT);
        state = State.DONE;
        String serverFirst = Scram.text(serverFirstMessage);
        String[] parts = serverFirst.split(",", -1);
        if (parts[0].startsWith("m=")) {
            throw Scram.malformed("server requires an unsupported SCRAM extension");
        }
        if (parts.length < 3) {
            throw Scram.malformed("server-first-message needs nonce, salt and iteration count");
        }
        String nonce = Scram.checkNonce(Scram.attribute(parts[0], 'r', "server-first-message"), "server-first-message");
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw Scram.malformed("server nonce does not extend the client's");
        }
        byte[] salt = Scram.unbase64(Scram.attribute(parts[1], 's', "server-first-message"), "salt");
        if (salt.length == 0) {
            throw Scram.malformed("empty salt in server-first-message");
        }
        int iterations = iterations(Scram.attribute(parts[2], 'i', "server-first-message"));

        byte[] saltedPassword = Scram.saltedPassword(password, salt, iterations);
        byte[] clientKey = Scram.hmac(saltedPassword, "Client Key");
        byte[] storedKey = Scram.sha256(clientKey);
        String withoutProof = "c=" + Scram.base64(Scram.bytes(GS2_HEADER)) + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] proof = Scram.xor(clientKey, Scram.hmac(storedKey, authMessage));
        expectedServerSignature = Scram.hmac(Scram.hmac(saltedPassword, "Server Key"), authMessage);
        state = State.FINAL_SENT;
        return Scram.bytes(withoutProof + ",p=" + Scram.base64(proof));
    }

    /** Fails unless the server-final-message carries the signature only a holder of the verifier can make. */
    public void verifyServerFinalMessage(byte[] serverFinalMessage) {
        require(State.FINAL_SENT);
        state = State.DONE;
        String serverFinal = Scram.text(serverFinalMessage);
        if (serverFinal.startsWith("e=")) {
            throw new ProxyException(SqlState.INVALID_PASSWORD, "SCRAM authentication failed: the server says "
                    + serverFinal.substring(2), null, null, true, null);
        }
        String signature = Scram.attribute(serverFinal.split(",", -1)[0], 'v', "server-final-message");
        if (!MessageDigest.isEqual(Scram.unbase64(signature, "server signature"), expectedServerSignature)) {
            throw new ProxyException(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "invalid SCRAM server signature: "
                    + "the server did not prove that it knows the password", null,
                    "check that the store's address is right and that its password matches the configuration", true, null);
        }
        verified = true;
    }

    /** Whether the server proved itself. */
    public boolean isVerified() {
        return verified;
    }

    private static int iterations(String text) {
        int iterations;
        try {
            iterations = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw Scram.malformed("iteration count \"" + text + "\" is not a number");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw Scram.malformed("iteration count " + iterations + " (expected: 1 to " + MAX_ITERATIONS + ")");
        }
        return iterations;
    }

    private void require(State expected) {
        if (state != expected) {
            throw new tandem.proxy.wire.ProtocolException("unexpected SCRAM message: the exchange is " + state
                    + " (expected: " + expected + ")");
        }
    }
}
