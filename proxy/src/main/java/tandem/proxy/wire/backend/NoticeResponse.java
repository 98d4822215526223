package tandem.proxy.wire.backend;

import static tandem.proxy.wire.backend.NoticeFields.CODE;
import static tandem.proxy.wire.backend.NoticeFields.MESSAGE;
import static tandem.proxy.wire.backend.NoticeFields.SEVERITY;
import static tandem.proxy.wire.backend.NoticeFields.SEVERITY_NONLOCALIZED;

import java.util.LinkedHashMap;
import java.util.SequencedMap;

import io.netty.buffer.ByteBuf;
import tandem.core.error.SqlState;

/** A warning or notice: the same fields as {@link ErrorResponse}, and the command goes on. */
public record NoticeResponse(SequencedMap<Character, String> fields) implements BackendMessage {

    public static final char TYPE = 'N';

    public NoticeResponse {
        fields = NoticeFields.copy(fields);
    }

    /** {@code severity} is WARNING, NOTICE, DEBUG, INFO or LOG. */
    public static NoticeResponse of(String severity, SqlState state, String message) {
        var fields = new LinkedHashMap<Character, String>();
        fields.put(SEVERITY, severity);
        fields.put(SEVERITY_NONLOCALIZED, severity);
        fields.put(CODE, state.code());
        fields.put(MESSAGE, message);
        return new NoticeResponse(fields);
    }

    public static NoticeResponse decode(ByteBuf body) {
        return new NoticeResponse(NoticeFields.decode(body, "NoticeResponse"));
    }

    public String severity() {
        return NoticeFields.severity(fields);
    }

    public String code() {
        return fields.get(CODE);
    }

    public String message() {
        return fields.get(MESSAGE);
    }

    public String field(char code) {
        return fields.get(code);
    }

    @Override
    public void encode(ByteBuf out) {
        NoticeFields.encode(out, TYPE, fields);
    }
}
