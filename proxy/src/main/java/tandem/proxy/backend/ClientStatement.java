package tandem.proxy.backend;

import tandem.core.sql.Classification;

/**
 * A statement a client prepared, remembered so that it can be prepared again on whichever server
 * connection the client is given; {@code serverName} is empty for the unnamed statement.
 */
record ClientStatement(String sql, int[] parameterTypes, String serverName, Classification classification) {
}
