package tandem.proxy.wire.frontend;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/** Extended query: prepares {@code sql} as {@code statement} ("" is the unnamed statement); 0 types are left to the server. */
public record Parse(String statement, String sql, int[] parameterTypes) implements FrontendMessage {

    public static final char TYPE = 'P';
    /** PostgreSQL reads parameter counts as unsigned int16. */
    public static final int MAX_PARAMETERS = 65535;

    public Parse {
        Wire.checkCount(parameterTypes.length, MAX_PARAMETERS, "Parse has %d parameter types");
    }

    public static Parse decode(ByteBuf body) {
        String statement = Wire.readCString(body);
        String sql = Wire.readCString(body);
        int count = Wire.readUnsignedCount(body, "parameter type");
        if (body.readableBytes() < count * 4) {
            throw new ProtocolException("Parse has " + count + " parameter types but only " + body.readableBytes()
                    + " bytes left (expected: " + count * 4 + ")");
        }
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = body.readInt();
        }
        return new Parse(statement, sql, types);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        Wire.writeCString(out, statement);
        Wire.writeCString(out, sql);
        out.writeShort(parameterTypes.length);
        for (int type : parameterTypes) {
            out.writeInt(type);
        }
        Wire.endMessage(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parse other && statement.equals(other.statement) && sql.equals(other.sql)
                && Arrays.equals(parameterTypes, other.parameterTypes);
    }

    @Override
    public int hashCode() {
        return (statement.hashCode() * 31 + sql.hashCode()) * 31 + Arrays.hashCode(parameterTypes);
    }

    @Override
    public String toString() {
        return "Parse[statement=" + statement + ", sql=" + sql + ", parameterTypes=" + Arrays.toString(parameterTypes) + "]";
    }
}
