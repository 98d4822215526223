package tandem.proxy.wire.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/**
 * The field codes of ErrorResponse and NoticeResponse, and their shared body: a list of (one-byte
 * code, string) pairs ended by a zero byte. Unknown codes are kept, as the protocol asks clients
 * to ignore rather than reject them, so a PostgreSQL error passes through with every field.
 */
public final class NoticeFields {

    public static final char SEVERITY = 'S';
    /** The severity never localized: ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO or LOG. */
    public static final char SEVERITY_NONLOCALIZED = 'V';
    public static final char CODE = 'C';
    public static final char MESSAGE = 'M';
    public static final char DETAIL = 'D';
    public static final char HINT = 'H';
    public static final char POSITION = 'P';
    public static final char INTERNAL_POSITION = 'p';
    public static final char INTERNAL_QUERY = 'q';
    public static final char WHERE = 'W';
    public static final char SCHEMA_NAME = 's';
    public static final char TABLE_NAME = 't';
    public static final char COLUMN_NAME = 'c';
    public static final char DATA_TYPE_NAME = 'd';
    public static final char CONSTRAINT_NAME = 'n';
    public static final char FILE = 'F';
    public static final char LINE = 'L';
    public static final char ROUTINE = 'R';

    private NoticeFields() {
    }

    static SequencedMap<Character, String> copy(SequencedMap<Character, String> fields) {
        for (var entry : fields.entrySet()) {
            if (entry.getKey() == 0 || entry.getKey() > 0xFF || entry.getValue() == null) {
                throw new IllegalArgumentException("bad notice field " + entry.getKey() + "=" + entry.getValue());
            }
        }
        return Collections.unmodifiableSequencedMap(new LinkedHashMap<>(fields));
    }

    static SequencedMap<Character, String> decode(ByteBuf body, String message) {
        var fields = new LinkedHashMap<Character, String>();
        while (true) {
            if (!body.isReadable()) {
                throw new ProtocolException(message + " field list is not terminated by a zero byte");
            }
            char code = (char) (body.readByte() & 0xFF);
            if (code == 0) {
                return fields;
            }
            fields.put(code, Wire.readCString(body));
        }
    }

    static void encode(ByteBuf out, char type, SequencedMap<Character, String> fields) {
        int start = Wire.beginMessage(out, type);
        fields.forEach((code, value) -> {
            out.writeByte(code);
            Wire.writeCString(out, value);
        });
        out.writeByte(0);
        Wire.endMessage(out, start);
    }

    /** The non-localized severity where the server sent one (9.6 and later), else the localized one. */
    static String severity(SequencedMap<Character, String> fields) {
        String severity = fields.get(SEVERITY_NONLOCALIZED);
        return severity != null ? severity : fields.get(SEVERITY);
    }
}
