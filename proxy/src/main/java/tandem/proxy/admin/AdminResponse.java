package tandem.proxy.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What an admin route answers: a status, a content type and a body; or, for a live stream
 * (server-sent events), a {@link Stream} that sends events until the client goes.
 */
public record AdminResponse(int status, String contentType, byte[] body, Stream stream) {

    public AdminResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    /** A live stream: {@link #open} starts it with a way to send; what it returns is closed when the client leaves. */
    public interface Stream {
        AutoCloseable open(java.util.function.Consumer<String> send);
    }

    /** Server-sent events ({@code text/event-stream}): each string sent is one event's data. */
    public static AdminResponse events(Stream stream) {
        return new AdminResponse(200, "text/event-stream; charset=utf-8", new byte[0], stream);
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static AdminResponse json(int status, Object value) {
        try {
            return new AdminResponse(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AdminResponse text(int status, String contentType, String body) {
        return new AdminResponse(status, contentType, body.getBytes(UTF_8));
    }

    /** An error body that says what went wrong and what to do, as every tandem error does. */
    public static AdminResponse error(int status, String message, String hint) {
        return json(status, hint == null ? Map.of("error", message) : Map.of("error", message, "hint", hint));
    }
}
