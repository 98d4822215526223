package tandem.proxy.backend;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import tandem.core.mirror.Column;
import tandem.core.mirror.Key;
import tandem.core.mirror.WritePlan;
import tandem.core.session.SessionWrites;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgValues;
import tandem.proxy.wire.Wire;

/**
 * Undoes, in what the server answers, the rewriting that made a write return its keys: the
 * leading columns (transaction token, key columns) are read and taken out of RowDescription and
 * DataRow — or the rows dropped altogether when the client asked for none — and the tag of the
 * wrapping SELECT becomes the write's own. The keys and token read go to the session's
 * {@link SessionWrites}.
 */
final class CapturedWrites {

    private final ByteBufAllocator alloc;
    private final SessionWrites writes;

    CapturedWrites(ByteBufAllocator alloc, SessionWrites writes) {
        this.alloc = alloc;
        this.writes = writes;
    }

    /** The RowDescription the client would have got, or null when it expects none. */
    ByteBuf rowDescription(ByteBuf frames, int body, WritePlan.Capture plan) {
        if (!plan.clientReturning()) {
            return null;
        }
        int count = frames.getUnsignedShort(body);
        int at = body + 2;
        for (int i = 0; i < plan.leadingColumns(); i++) {
            at = frames.indexOf(at, frames.writerIndex(), (byte) 0) + 1 + 18;
        }
        int end = frames.getInt(body - 4) + body - 4;
        ByteBuf out = alloc.buffer(end - at + 7);
        int lengthAt = Wire.beginMessage(out, 'T');
        out.writeShort(count - plan.leadingColumns());
        out.writeBytes(frames, at, end - at);
        Wire.endMessage(out, lengthAt);
        return out;
    }

    /**
     * Reads the key (and token) from a row of a captured write; returns the row the client would
     * have got, or null when it expects none.
     */
    ByteBuf dataRow(ByteBuf frames, int body, WritePlan.Capture plan, short[] formats) {
        int at = body + 2;
        int lead = plan.leadingColumns();
        Object[] keyValues = new Object[plan.keyColumns().size()];
        List<Column> keyColumns = plan.table().keyColumns();
        for (int i = 0; i < lead; i++) {
            int length = frames.getInt(at);
            at += 4;
            if (length >= 0) {
                byte[] value = new byte[length];
                frames.getBytes(at, value);
                if (i == plan.tokenColumn()) {
                    writes.token(new String(value, UTF_8));
                } else {
                    int k = plan.keyColumns().indexOf(i);
                    if (k >= 0) {
                        var type = keyColumns.get(k).type();
                        keyValues[k] = format(formats, i) == 1 ? PgValues.decodeBinary(type, value)
                                : PgValues.decodeText(type, value, PgSessionSettings.DEFAULT);
                    }
                }
                at += length;
            }
        }
        writes.key(plan.table().name(), new Key(Arrays.asList(keyValues)));
        if (!plan.clientReturning()) {
            return null;
        }
        int count = frames.getUnsignedShort(body);
        int end = frames.getInt(body - 4) + body - 4;
        ByteBuf out = alloc.buffer(end - at + 7);
        int lengthAt = Wire.beginMessage(out, 'D');
        out.writeShort(count - lead);
        out.writeBytes(frames, at, end - at);
        Wire.endMessage(out, lengthAt);
        return out;
    }

    /** The write's own CommandComplete for the wrapping SELECT's. */
    ByteBuf commandComplete(String tag, WritePlan.Capture plan) {
        long rows = tag.startsWith("SELECT ") ? Long.parseLong(tag.substring(7)) : 0;
        ByteBuf out = alloc.buffer(32);
        int lengthAt = Wire.beginMessage(out, 'C');
        Wire.writeCString(out, plan.tag(rows));
        Wire.endMessage(out, lengthAt);
        return out;
    }

    /** Bind's result formats, with text for the leading columns when the client gave one per column. */
    static short[] bindFormats(short[] client, WritePlan.Capture plan) {
        if (client.length <= 1) {
            return client;
        }
        short[] formats = new short[client.length + plan.leadingColumns()];
        System.arraycopy(client, 0, formats, plan.leadingColumns(), client.length);
        return formats;
    }

    private static short format(short[] formats, int column) {
        return formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[column];
    }
}
