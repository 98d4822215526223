package tandem.proxy.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured users' SCRAM credentials, derived from their passwords on first use and kept, so
 * that a login costs two HMACs rather than a PBKDF2 run. A configured value that is already a
 * PostgreSQL verifier ({@code SCRAM-SHA-256$...}) is used as it is. Build a new instance when the
 * configuration changes.
 */
public final class ScramCredentials {

    private final Map<String, String> passwords;
    private final Map<String, ScramCredential> derived = new ConcurrentHashMap<>();
    /** Keys the made-up salts of unknown users, so that they are stable but not guessable. */
    private final byte[] mockKey = Scram.random(32);

    /** {@code passwords}: user name to password (or verifier). */
    public ScramCredentials(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    public boolean knows(String user) {
        return passwords.containsKey(user);
    }

    /**
     * A SCRAM exchange for {@code user}. For a user that is not configured the exchange runs to
     * its end with a made-up salt and then fails like a wrong password, as PostgreSQL's does, so
     * that a client cannot tell unknown users from known ones.
     */
    public ScramServer newServer(String user) {
        String password = passwords.get(user);
        if (password == null) {
            return new ScramServer(user, mockCredential(user), true, Scram::randomNonce);
        }
        return new ScramServer(user, derived.computeIfAbsent(user, u -> ScramCredential.isVerifier(password)
                ? ScramCredential.parse(password) : ScramCredential.derive(password)));
    }

    private ScramCredential mockCredential(String user) {
        byte[] salt = java.util.Arrays.copyOf(Scram.hmac(mockKey, user.getBytes(java.nio.charset.StandardCharsets.UTF_8)), ScramCredential.SALT_LENGTH);
        return new ScramCredential(salt, ScramCredential.DEFAULT_ITERATIONS, Scram.random(Scram.KEY_LENGTH),
                Scram.random(Scram.KEY_LENGTH));
    }
}
