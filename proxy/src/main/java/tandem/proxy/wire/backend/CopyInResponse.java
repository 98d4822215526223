package tandem.proxy.wire.backend;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/** COPY FROM STDIN starts: the client now sends CopyData, then CopyDone or CopyFail. */
public record CopyInResponse(int format, short[] columnFormats) implements BackendMessage {

    public static final char TYPE = 'G';

    public CopyInResponse {
        CopyFormats.check(format, columnFormats, "CopyInResponse");
    }

    public static CopyInResponse decode(ByteBuf body) {
        int format = CopyFormats.readFormat(body, "CopyInResponse");
        return new CopyInResponse(format, CopyFormats.readColumnFormats(body));
    }

    @Override
    public void encode(ByteBuf out) {
        CopyFormats.encode(out, TYPE, format, columnFormats);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CopyInResponse other && format == other.format && Arrays.equals(columnFormats, other.columnFormats);
    }

    @Override
    public int hashCode() {
        return format * 31 + Arrays.hashCode(columnFormats);
    }

    @Override
    public String toString() {
        return CopyFormats.toString("CopyInResponse", format, columnFormats);
    }
}
