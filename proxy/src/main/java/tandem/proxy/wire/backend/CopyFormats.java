package tandem.proxy.wire.backend;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/** The body shared by CopyInResponse, CopyOutResponse and CopyBothResponse: an overall format and one per column. */
final class CopyFormats {

    private CopyFormats() {
    }

    static void check(int format, short[] columnFormats, String message) {
        if (format != 0 && format != 1) {
            throw new ProtocolException(message + " with overall format " + format + " (expected: 0 for text or 1 for binary)");
        }
        Wire.checkCount(columnFormats.length, Short.MAX_VALUE, message + " has %d columns");
    }

    static int readFormat(ByteBuf body, String message) {
        return Wire.readByte(body, message + " format");
    }

    static short[] readColumnFormats(ByteBuf body) {
        int count = Wire.readCount(body, "column");
        Wire.requireReadable(body, count * 2, "column format codes");
        short[] formats = new short[count];
        for (int i = 0; i < count; i++) {
            formats[i] = body.readShort();
        }
        return formats;
    }

    static void encode(ByteBuf out, char type, int format, short[] columnFormats) {
        int start = Wire.beginMessage(out, type);
        out.writeByte(format);
        out.writeShort(columnFormats.length);
        for (short f : columnFormats) {
            out.writeShort(f);
        }
        Wire.endMessage(out, start);
    }

    static String toString(String message, int format, short[] columnFormats) {
        return message + "[format=" + format + ", columnFormats=" + Arrays.toString(columnFormats) + "]";
    }
}
