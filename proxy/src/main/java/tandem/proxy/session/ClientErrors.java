package tandem.proxy.session;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.backend.ServerError;
import tandem.proxy.wire.backend.ErrorResponse;

/**
 * The one place an exception becomes the error a client is told: a store's own error as the store
 * sent it, tandem's errors with their SQLSTATE, message, detail and hint, anything else as XX000
 * "tandem failed" (the caller logs those with their stack). {@code fatal} marks an error that ends
 * the session (severity FATAL), as PostgreSQL marks them.
 */
public final class ClientErrors {

    private ClientErrors() {
    }

    public static ErrorResponse response(Throwable cause, boolean fatal) {
        if (cause instanceof ServerError server) {
            return server.response();
        }
        return ErrorResponse.of(exception(cause, fatal));
    }

    /** {@code cause} as one of tandem's errors, of the given fatality. */
    public static ProxyException exception(Throwable cause, boolean fatal) {
        if (cause instanceof ProxyException p) {
            return p.isFatal() == fatal ? p : new ProxyException(p.state(), p.getMessage(), p.detail(), p.hint(), fatal, p);
        }
        return new ProxyException(SqlState.INTERNAL_ERROR, "tandem failed: " + cause, null, null, fatal, cause);
    }
}
