package tandem.proxy.wire;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/** Text that is not valid UTF-8: 22021, as PostgreSQL answers it; the connection stays usable. */
public final class InvalidEncodingException extends ProxyException {

    private static final long serialVersionUID = 1L;

    public InvalidEncodingException() {
        super(SqlState.CHARACTER_NOT_IN_REPERTOIRE, "invalid byte sequence for encoding \"UTF8\"", null,
                "tandem speaks UTF8 to clients; set client_encoding to UTF8");
    }
}
