package tandem.proxy.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.backend.Authentication;
import tandem.proxy.wire.frontend.AuthenticationResponse;

/**
 * Logs tandem in to a PostgreSQL store with a configured password, whichever way the server asks:
 * cleartext, MD5 or SCRAM-SHA-256. Feed it each Authentication request as it arrives and send what
 * it returns; one instance per connection attempt.
 */
public final class BackendAuthenticator {

    private final String user;
    private final String password;
    private ScramClient scram;

    /** {@code password} may be null for a store that trusts tandem; a request for one then fails. */
    public BackendAuthenticator(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /**
     * The answer to one request, or empty when none is due (AuthenticationOk, and SASLFinal once
     * the server's signature checks out).
     */
    public Optional<AuthenticationResponse> respond(Authentication request) {
        return switch (request) {
            case Authentication.Ok ok -> {
                if (scram != null && !scram.isVerified()) {
                    throw new ProtocolException("the server ended SCRAM authentication before proving that it knows the password");
                }
                yield Optional.empty();
            }
            case Authentication.CleartextPassword cleartext -> Optional.of(AuthenticationResponse.password(password()));
            case Authentication.MD5Password md5 -> Optional.of(AuthenticationResponse.password(md5(user, password(), md5.salt())));
            case Authentication.SASL sasl -> {
                if (!sasl.mechanisms().contains(Scram.MECHANISM)) {
                    throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "the server offers SASL mechanisms "
                            + sasl.mechanisms() + " and tandem speaks only " + Scram.MECHANISM, null, null, true, null);
                }
                scram = new ScramClient("", password());
                yield Optional.of(AuthenticationResponse.saslInitialResponse(Scram.MECHANISM, scram.clientFirstMessage()));
            }
            case Authentication.SASLContinue next -> Optional.of(AuthenticationResponse.saslResponse(
                    scram().clientFinalMessage(next.data())));
            case Authentication.SASLFinal last -> {
                scram().verifyServerFinalMessage(last.data());
                yield Optional.empty();
            }
        };
    }

    /** PostgreSQL's MD5 answer: "md5" + md5hex(md5hex(password + user) + salt). */
    public static String md5(String user, String password, byte[] salt) {
        String inner = md5Hex(concat((password + user).getBytes(UTF_8), new byte[0]));
        return "md5" + md5Hex(concat(inner.getBytes(UTF_8), salt));
    }

    private String password() {
        if (password == null || password.isEmpty()) {
            throw new ProxyException(SqlState.INVALID_PASSWORD, "the server asks for a password for user \"" + user
                    + "\" and none is configured", null, "set the store's password in the configuration", true, null);
        }
        return password;
    }

    private ScramClient scram() {
        if (scram == null) {
            throw new ProtocolException("the server continued a SASL exchange that it never started");
        }
        return scram;
    }

    private static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
