package tandem.proxy.wire.backend;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/**
 * One row, each cell in the format its column asked for; a null cell is SQL NULL (length -1 on the
 * wire). Cells are plain byte arrays: cheap to build from whatever produced the row, and a decoded
 * row owns no buffer, so it needs no release. Rows that tandem only forwards are never decoded.
 */
public record DataRow(byte[][] values) implements BackendMessage {

    public static final char TYPE = 'D';

    public DataRow {
        Wire.checkCount(values.length, Short.MAX_VALUE, "DataRow has %d columns");
    }

    /** A row of text cells; a null string is NULL. */
    public static DataRow ofText(String... cells) {
        byte[][] values = new byte[cells.length][];
        for (int i = 0; i < cells.length; i++) {
            values[i] = cells[i] == null ? null : cells[i].getBytes(UTF_8);
        }
        return new DataRow(values);
    }

    public int size() {
        return values.length;
    }

    /** The cell as text (for text-format columns), or null for NULL. */
    public String text(int column) {
        byte[] value = values[column];
        return value == null ? null : new String(value, UTF_8);
    }

    public static DataRow decode(ByteBuf body) {
        int count = Wire.readCount(body, "column");
        if (count > body.readableBytes() / 4) {
            throw new ProtocolException("DataRow has " + count + " columns but only " + body.readableBytes()
                    + " bytes left (expected: >= " + count * 4 + ")");
        }
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = Wire.readNullableBytes(body, "column value");
        }
        return new DataRow(values);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeShort(values.length);
        for (byte[] value : values) {
            Wire.writeNullableBytes(out, value);
        }
        Wire.endMessage(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataRow other && Arrays.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    /** Shows the shape, not the data. */
    @Override
    public String toString() {
        return "DataRow[" + values.length + " columns]";
    }
}
