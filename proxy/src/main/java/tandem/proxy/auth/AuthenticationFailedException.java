package tandem.proxy.auth;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/** The client's password (or SCRAM proof) is wrong, or its user unknown: 28P01, and the connection closes. */
public final class AuthenticationFailedException extends ProxyException {

    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String user) {
        super(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"", null, null, true, null);
    }
}
