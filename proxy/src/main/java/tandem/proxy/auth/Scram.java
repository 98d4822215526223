package tandem.proxy.auth;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tandem.proxy.wire.ProtocolException;

/**
 * The primitives of SCRAM-SHA-256 (RFC 5802, RFC 7677) shared by both sides. Messages are handled
 * as ISO-8859-1 strings so that every byte survives a round trip unchanged: the signatures are
 * computed over the exact bytes that crossed the wire.
 */
final class Scram {

    static final String MECHANISM = "SCRAM-SHA-256";
    static final String MECHANISM_PLUS = "SCRAM-SHA-256-PLUS";
    static final int KEY_LENGTH = 32;
    /** PostgreSQL's SCRAM_RAW_NONCE_LEN: 18 random bytes, 24 characters once in base64. */
    static final int NONCE_BYTES = 18;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Scram() {
    }

    static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }

    static String randomNonce() {
        return base64(random(NONCE_BYTES));
    }

    /** Hi(): PBKDF2 with HMAC-SHA-256 and a 32-byte output, over the SASLprep'd password. */
    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        byte[] passwordBytes = SaslPrep.prepare(password).getBytes(UTF_8);
        if (passwordBytes.length == 0) {
            throw new IllegalArgumentException("SCRAM needs a non-empty password");
        }
        Mac mac = hmac(passwordBytes);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    static byte[] hmac(byte[] key, String message) {
        return hmac(key).doFinal(message.getBytes(ISO_8859_1));
    }

    static byte[] hmac(byte[] key, byte[] message) {
        return hmac(key).doFinal(message);
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] result = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = (byte) (a[i] ^ b[i]);
        }
        return result;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] unbase64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed(what + " is not valid base64");
        }
    }

    static String text(byte[] message) {
        return new String(message, ISO_8859_1);
    }

    static byte[] bytes(String message) {
        return message.getBytes(ISO_8859_1);
    }

    /** The value of attribute {@code name} ("r=..."), or a malformed-message error naming what was expected. */
    static String attribute(String part, char name, String message) {
        if (part.length() < 2 || part.charAt(0) != name || part.charAt(1) != '=') {
            throw malformed("expected attribute \"" + name + "=\" in " + message + " but found \"" + abbreviate(part) + "\"");
        }
        return part.substring(2);
    }

    /** A nonce is printable ASCII without commas. */
    static String checkNonce(String nonce, String message) {
        if (nonce.isEmpty()) {
            throw malformed("empty nonce in " + message);
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw malformed("nonce in " + message + " has a character that is not printable ASCII");
            }
        }
        return nonce;
    }

    /** Escapes a name for "n=": ',' becomes "=2C" and '=' becomes "=3D". */
    static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    static ProtocolException malformed(String detail) {
        return new ProtocolException("malformed SCRAM message: " + detail);
    }

    private static String abbreviate(String part) {
        return part.length() > 20 ? part.substring(0, 20) + "..." : part;
    }
}
