package tandem.proxy.wire;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * The peer broke the protocol: a malformed or oversized message. Fatal, because once framing is in
 * doubt nothing after it can be trusted; the connection is answered with 08P01 and closed.
 */
public class ProtocolException extends ProxyException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(SqlState.PROTOCOL_VIOLATION, message, null, null, true, null);
    }
}
