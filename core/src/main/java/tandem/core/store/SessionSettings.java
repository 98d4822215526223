package tandem.core.store;

import java.util.Map;

/** Who opens an emulated session and with which startup parameters. */
public record SessionSettings(String user, String database, Map<String, String> parameters) {

    public SessionSettings {
        parameters = Map.copyOf(parameters);
    }
}
