package tandem.proxy.backend;

import tandem.core.sql.Classification;

/**
 * A statement a client prepared, remembered so that it can be prepared again on whichever server
 * connection the client is given; {@code serverName} is empty for the unnamed statement. {@code sql}
 * is what the server gets (rewritten when the statement is a mirrored write, see {@code plan});
 * {@code clientSql} what the client sent.
 */
record ClientStatement(String sql, int[] parameterTypes, String serverName, Classification classification,
        tandem.core.mirror.WritePlan plan, String clientSql) {

    ClientStatement(String sql, int[] parameterTypes, String serverName, Classification classification) {
        this(sql, parameterTypes, serverName, classification, null, sql);
    }
}
