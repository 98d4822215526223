package tandem.proxy.wire.backend;

import static tandem.proxy.wire.backend.NoticeFields.CODE;
import static tandem.proxy.wire.backend.NoticeFields.DETAIL;
import static tandem.proxy.wire.backend.NoticeFields.HINT;
import static tandem.proxy.wire.backend.NoticeFields.MESSAGE;
import static tandem.proxy.wire.backend.NoticeFields.SEVERITY;
import static tandem.proxy.wire.backend.NoticeFields.SEVERITY_NONLOCALIZED;

import java.util.LinkedHashMap;
import java.util.SequencedMap;

import io.netty.buffer.ByteBuf;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * An error, as fields keyed by their one-byte codes ({@link NoticeFields}) in the order they came.
 * A PostgreSQL error is decoded and re-encoded with every field; tandem's own come from {@link #of}.
 */
public record ErrorResponse(SequencedMap<Character, String> fields) implements BackendMessage {

    public static final char TYPE = 'E';

    public ErrorResponse {
        fields = NoticeFields.copy(fields);
    }

    /** Severity FATAL when the exception ends the connection, else ERROR; then code, message, detail and hint. */
    public static ErrorResponse of(ProxyException e) {
        return of(e.isFatal() ? "FATAL" : "ERROR", e.state(), e.getMessage(), e.detail(), e.hint());
    }

    public static ErrorResponse of(String severity, SqlState state, String message, String detail, String hint) {
        var fields = new LinkedHashMap<Character, String>();
        fields.put(SEVERITY, severity);
        fields.put(SEVERITY_NONLOCALIZED, severity);
        fields.put(CODE, state.code());
        fields.put(MESSAGE, message);
        if (detail != null) {
            fields.put(DETAIL, detail);
        }
        if (hint != null) {
            fields.put(HINT, hint);
        }
        return new ErrorResponse(fields);
    }

    public static ErrorResponse decode(ByteBuf body) {
        return new ErrorResponse(NoticeFields.decode(body, "ErrorResponse"));
    }

    public String severity() {
        return NoticeFields.severity(fields);
    }

    /** The SQLSTATE. */
    public String code() {
        return fields.get(CODE);
    }

    public String message() {
        return fields.get(MESSAGE);
    }

    /** The field with this code, or null. */
    public String field(char code) {
        return fields.get(code);
    }

    /** FATAL and PANIC end the session. */
    public boolean isFatal() {
        String severity = severity();
        return "FATAL".equals(severity) || "PANIC".equals(severity);
    }

    @Override
    public void encode(ByteBuf out) {
        NoticeFields.encode(out, TYPE, fields);
    }
}
