package tandem.proxy.session;

import java.util.concurrent.atomic.AtomicInteger;

import tandem.proxy.auth.ScramCredentials;

/**
 * What every client connection shares: the database name clients must ask for (null: any), the
 * users and their SCRAM credentials (null: trust), the connection limit and count, cancel keys,
 * and where sessions' commands go.
 */
public record SessionContext(String database, ScramCredentials users, int maxClientConnections,
        AtomicInteger clients, CancelRegistry cancels, BackendFactory backends) {
}
