package tandem.proxy.admin;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** An admin HTTP request, already read whole: method, path, query parameters and body. */
public record AdminRequest(String method, String path, Map<String, List<String>> query, byte[] body) {

    /** The body as JSON; a malformed body is the client's error (400), named as such. */
    public JsonNode json() {
        try {
            return AdminResponse.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AdminException(400, "request body is not valid JSON: " + e.getOriginalMessage(),
                    "send a JSON object, e.g. {\"percent\": 25}");
        } catch (java.io.IOException e) {
            throw new AdminException(400, "request body could not be read: " + e.getMessage(),
                    "send a JSON object, e.g. {\"percent\": 25}");
        }
    }
}
