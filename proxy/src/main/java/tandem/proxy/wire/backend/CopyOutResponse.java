package tandem.proxy.wire.backend;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/** COPY TO STDOUT starts: the server now sends CopyData, then CopyDone. */
public record CopyOutResponse(int format, short[] columnFormats) implements BackendMessage {

    public static final char TYPE = 'H';

    public CopyOutResponse {
        CopyFormats.check(format, columnFormats, "CopyOutResponse");
    }

    public static CopyOutResponse decode(ByteBuf body) {
        int format = CopyFormats.readFormat(body, "CopyOutResponse");
        return new CopyOutResponse(format, CopyFormats.readColumnFormats(body));
    }

    @Override
    public void encode(ByteBuf out) {
        CopyFormats.encode(out, TYPE, format, columnFormats);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CopyOutResponse other && format == other.format && Arrays.equals(columnFormats, other.columnFormats);
    }

    @Override
    public int hashCode() {
        return format * 31 + Arrays.hashCode(columnFormats);
    }

    @Override
    public String toString() {
        return CopyFormats.toString("CopyOutResponse", format, columnFormats);
    }
}
