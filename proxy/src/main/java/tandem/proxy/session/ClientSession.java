package tandem.proxy.session;

import java.util.Map;

/** Who a client is once it has logged in: the identity and settings every backend needs. */
public record ClientSession(int processId, int secretKey, String user, String database,
        Map<String, String> startupParameters, String remoteAddress, ClientOutput output, ClientSettings settings) {
}
