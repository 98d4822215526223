package tandem.proxy.wire.backend;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/** Extended query: the type OIDs of a described statement's parameters. */
public record ParameterDescription(int[] typeOids) implements BackendMessage {

    public static final char TYPE = 't';
    /** PostgreSQL writes the count as int16 and allows up to 65535 parameters, so it is read unsigned. */
    public static final int MAX_PARAMETERS = 65535;

    public ParameterDescription {
        Wire.checkCount(typeOids.length, MAX_PARAMETERS, "ParameterDescription has %d parameter types");
    }

    public static ParameterDescription decode(ByteBuf body) {
        int count = Wire.readUnsignedCount(body, "parameter type");
        if (body.readableBytes() < count * 4) {
            throw new ProtocolException("ParameterDescription has " + count + " parameter types but only "
                    + body.readableBytes() + " bytes left (expected: " + count * 4 + ")");
        }
        int[] oids = new int[count];
        for (int i = 0; i < count; i++) {
            oids[i] = body.readInt();
        }
        return new ParameterDescription(oids);
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeShort(typeOids.length);
        for (int oid : typeOids) {
            out.writeInt(oid);
        }
        Wire.endMessage(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterDescription other && Arrays.equals(typeOids, other.typeOids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(typeOids);
    }

    @Override
    public String toString() {
        return "ParameterDescription" + Arrays.toString(typeOids);
    }
}
