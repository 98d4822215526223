package tandem.proxy.wire.frontend;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/**
 * Extended query: binds parameter values to a prepared statement, making a portal. Format code
 * lists hold 0 entries (all text), 1 (applies to all) or one per value/column. A null value is SQL
 * NULL.
 */
public record Bind(String portal, String statement, short[] parameterFormats, byte[][] parameterValues,
        short[] resultFormats) implements FrontendMessage {

    public static final char TYPE = 'B';
    public static final int MAX_COUNT = 65535;

    public Bind {
        Wire.checkCount(parameterFormats.length, MAX_COUNT, "Bind has %d parameter format codes");
        Wire.checkCount(parameterValues.length, MAX_COUNT, "Bind has %d parameter values");
        Wire.checkCount(resultFormats.length, MAX_COUNT, "Bind has %d result format codes");
        if (parameterFormats.length > 1 && parameterFormats.length != parameterValues.length) {
            throw new ProtocolException("Bind has " + parameterFormats.length + " parameter format codes but "
                    + parameterValues.length + " parameter values (expected: 0, 1 or " + parameterValues.length + " codes)");
        }
    }

    public static Bind decode(ByteBuf body) {
        String portal = Wire.readCString(body);
        String statement = Wire.readCString(body);
        short[] parameterFormats = readFormats(body, "parameter format");
        int count = Wire.readUnsignedCount(body, "parameter value");
        if (body.readableBytes() < count * 4) {
            throw new ProtocolException("Bind has " + count + " parameter values but only " + body.readableBytes()
                    + " bytes left (expected: >= " + count * 4 + ")");
        }
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = Wire.readNullableBytes(body, "parameter value");
        }
        short[] resultFormats = readFormats(body, "result format");
        return new Bind(portal, statement, parameterFormats, values, resultFormats);
    }

    private static short[] readFormats(ByteBuf body, String what) {
        int count = Wire.readUnsignedCount(body, what);
        Wire.requireReadable(body, count * 2, what + " codes");
        short[] formats = new short[count];
        for (int i = 0; i < count; i++) {
            formats[i] = body.readShort();
        }
        return formats;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        Wire.writeCString(out, portal);
        Wire.writeCString(out, statement);
        writeFormats(out, parameterFormats);
        out.writeShort(parameterValues.length);
        for (byte[] value : parameterValues) {
            Wire.writeNullableBytes(out, value);
        }
        writeFormats(out, resultFormats);
        Wire.endMessage(out, start);
    }

    private static void writeFormats(ByteBuf out, short[] formats) {
        out.writeShort(formats.length);
        for (short format : formats) {
            out.writeShort(format);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bind other && portal.equals(other.portal) && statement.equals(other.statement)
                && Arrays.equals(parameterFormats, other.parameterFormats)
                && Arrays.deepEquals(parameterValues, other.parameterValues)
                && Arrays.equals(resultFormats, other.resultFormats);
    }

    @Override
    public int hashCode() {
        return ((portal.hashCode() * 31 + statement.hashCode()) * 31 + Arrays.deepHashCode(parameterValues)) * 31
                + Arrays.hashCode(resultFormats);
    }

    /** Shows the shape, not the values: bind values are logged only at TRACE, by whoever decides to. */
    @Override
    public String toString() {
        return "Bind[portal=" + portal + ", statement=" + statement + ", parameterFormats="
                + Arrays.toString(parameterFormats) + ", " + parameterValues.length + " values, resultFormats="
                + Arrays.toString(resultFormats) + "]";
    }
}
