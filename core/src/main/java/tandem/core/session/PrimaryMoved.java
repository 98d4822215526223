package tandem.core.session;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * A session of one store found, before running anything of its batch, that a cutover made
 * another store the primary: the batch did not run here. A server that can serve the client from
 * the new primary runs the batch there instead; otherwise the client gets this as a fatal 57P01
 * and reconnects.
 */
public final class PrimaryMoved extends ProxyException {

    public PrimaryMoved(String primary, String here) {
        super(SqlState.ADMIN_SHUTDOWN, "terminating connection: the primary moved to store \"" + primary
                + "\" and this session runs on store \"" + here + "\"", null,
                "reconnect: the new session runs on the new primary", true, null);
    }
}
