package tandem.proxy.wire.backend;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/** The columns of the rows that follow. */
public record RowDescription(List<RowDescription.Field> fields) implements BackendMessage {

    public static final char TYPE = 'T';
    /** Bytes of a field after its name: table oid, column number, type oid, type size, type modifier, format. */
    private static final int FIXED_FIELD_BYTES = 18;

    public RowDescription {
        fields = List.copyOf(fields);
        Wire.checkCount(fields.size(), Short.MAX_VALUE, "RowDescription has %d fields");
    }

    /**
     * One column. {@code tableOid} and {@code columnAttr} are 0 for a computed column; {@code typeSize}
     * is negative for variable-width types; {@code formatCode} 0 is text, 1 binary.
     */
    public record Field(String name, int tableOid, int columnAttr, int typeOid, int typeSize, int typeModifier,
            int formatCode) {

        public Field {
            checkInt16(columnAttr, "column number");
            checkInt16(typeSize, "type size");
            checkInt16(formatCode, "format code");
        }

        /** A computed text-format column of {@code typeOid}, as a SELECT without a table gives. */
        public static Field computed(String name, int typeOid, int typeSize) {
            return new Field(name, 0, 0, typeOid, typeSize, -1, 0);
        }

        private static void checkInt16(int value, String what) {
            if (value != (short) value) {
                throw new IllegalArgumentException(what + " " + value + " does not fit int16");
            }
        }
    }

    public static RowDescription decode(ByteBuf body) {
        int count = Wire.readCount(body, "field");
        // each field takes at least its name's terminator and its fixed part
        if (count > body.readableBytes() / (FIXED_FIELD_BYTES + 1)) {
            throw new ProtocolException("RowDescription has " + count + " fields but only " + body.readableBytes()
                    + " bytes left (expected: >= " + count * (FIXED_FIELD_BYTES + 1) + ")");
        }
        var fields = new ArrayList<Field>(count);
        for (int i = 0; i < count; i++) {
            String name = Wire.readCString(body);
            Wire.requireReadable(body, FIXED_FIELD_BYTES, "field description");
            fields.add(new Field(name, body.readInt(), body.readShort(), body.readInt(), body.readShort(), body.readInt(),
                    body.readShort()));
        }
        return new RowDescription(fields);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeShort(fields.size());
        for (Field f : fields) {
            Wire.writeCString(out, f.name());
            out.writeInt(f.tableOid());
            out.writeShort(f.columnAttr());
            out.writeInt(f.typeOid());
            out.writeShort(f.typeSize());
            out.writeInt(f.typeModifier());
            out.writeShort(f.formatCode());
        }
        Wire.endMessage(out, start);
    }
}
