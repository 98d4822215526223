package tandem.proxy.auth;

import java.util.Arrays;

/**
 * What a SCRAM server keeps of a password: the salt, the iteration count, StoredKey = H(ClientKey)
 * and ServerKey. Deriving it runs PBKDF2, deliberately slow, so it is derived once per user and
 * kept ({@link ScramCredentials}). Reads and writes PostgreSQL's form of it,
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, as in pg_authid.rolpassword.
 */
public record ScramCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** PostgreSQL's default scram_iterations. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** PostgreSQL's SCRAM_DEFAULT_SALT_LEN. */
    public static final int SALT_LENGTH = 16;
    private static final String PREFIX = Scram.MECHANISM + "$";

    public ScramCredential {
        if (salt.length == 0 || iterations < 1 || storedKey.length != Scram.KEY_LENGTH
                || serverKey.length != Scram.KEY_LENGTH) {
            throw new IllegalArgumentException("SCRAM credential needs a salt, iterations >= 1 and 32-byte keys");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** Derives a credential with a fresh random salt and {@value #DEFAULT_ITERATIONS} iterations. */
    public static ScramCredential derive(String password) {
        return derive(password, Scram.random(SALT_LENGTH), DEFAULT_ITERATIONS);
    }

    public static ScramCredential derive(String password, byte[] salt, int iterations) {
        byte[] saltedPassword = Scram.saltedPassword(password, salt, iterations);
        byte[] clientKey = Scram.hmac(saltedPassword, "Client Key");
        byte[] serverKey = Scram.hmac(saltedPassword, "Server Key");
        return new ScramCredential(salt, iterations, Scram.sha256(clientKey), serverKey);
    }

    /** Whether {@code text} looks like a PostgreSQL SCRAM verifier rather than a password. */
    public static boolean isVerifier(String text) {
        return text.startsWith(PREFIX);
    }

    /** Parses {@code SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>}. */
    public static ScramCredential parse(String verifier) {
        try {
            if (!isVerifier(verifier)) {
                throw new IllegalArgumentException("does not start with " + PREFIX);
            }
            String[] parts = verifier.substring(PREFIX.length()).split("\\$", -1);
            String[] iterationsAndSalt = parts[0].split(":", -1);
            String[] keys = parts[1].split(":", -1);
            if (parts.length != 2 || iterationsAndSalt.length != 2 || keys.length != 2) {
                throw new IllegalArgumentException("expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>");
            }
            var decoder = java.util.Base64.getDecoder();
            return new ScramCredential(decoder.decode(iterationsAndSalt[1]), Integer.parseInt(iterationsAndSalt[0]),
                    decoder.decode(keys[0]), decoder.decode(keys[1]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier: " + e.getMessage(), e);
        }
    }

    /** PostgreSQL's text form, which {@code CREATE ROLE ... PASSWORD} accepts as is. */
    public String verifier() {
        return PREFIX + iterations + ":" + Scram.base64(salt) + "$" + Scram.base64(storedKey) + ":" + Scram.base64(serverKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredential other && iterations == other.iterations && Arrays.equals(salt, other.salt)
                && Arrays.equals(storedKey, other.storedKey) && Arrays.equals(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }

    /** Leaves the keys out: they are password equivalents. */
    @Override
    public String toString() {
        return "ScramCredential[iterations=" + iterations + "]";
    }
}
