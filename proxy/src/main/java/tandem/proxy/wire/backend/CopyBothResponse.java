package tandem.proxy.wire.backend;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/** Streaming replication starts: both sides send CopyData. */
public record CopyBothResponse(int format, short[] columnFormats) implements BackendMessage {

    public static final char TYPE = 'W';

    public CopyBothResponse {
        CopyFormats.check(format, columnFormats, "CopyBothResponse");
    }

    public static CopyBothResponse decode(ByteBuf body) {
        int format = CopyFormats.readFormat(body, "CopyBothResponse");
        return new CopyBothResponse(format, CopyFormats.readColumnFormats(body));
    }

    @Override
    public void encode(ByteBuf out) {
        CopyFormats.encode(out, TYPE, format, columnFormats);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CopyBothResponse other && format == other.format && Arrays.equals(columnFormats, other.columnFormats);
    }

    @Override
    public int hashCode() {
        return format * 31 + Arrays.hashCode(columnFormats);
    }

    @Override
    public String toString() {
        return CopyFormats.toString("CopyBothResponse", format, columnFormats);
    }
}
