package tandem.proxy.wire.backend;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import tandem.proxy.wire.ProtocolException;
import tandem.proxy.wire.Wire;

/**
 * The 'R' messages: the server asks for a credential or says authentication is done. One record
 * per request kind that tandem handles; Kerberos, GSSAPI and SSPI are refused when decoded.
 */
public sealed interface Authentication extends BackendMessage {

    char TYPE = 'R';

    /** The int32 that tells the requests apart. */
    int kind();

    static Authentication decode(ByteBuf body) {
        int kind = Wire.readInt(body, "authentication request kind");
        return switch (kind) {
            case Ok.KIND -> Ok.INSTANCE;
            case CleartextPassword.KIND -> CleartextPassword.INSTANCE;
            case MD5Password.KIND -> new MD5Password(Wire.readBytes(body, Math.min(4, body.readableBytes())));
            case SASL.KIND -> SASL.decodeMechanisms(body);
            case SASLContinue.KIND -> new SASLContinue(Wire.readBytes(body, body.readableBytes()));
            case SASLFinal.KIND -> new SASLFinal(Wire.readBytes(body, body.readableBytes()));
            case 2, 7, 8, 9 -> throw new ProtocolException("the server asks for " + (kind == 2 ? "Kerberos V5" : kind == 9
                    ? "SSPI" : "GSSAPI") + " authentication (kind " + kind + "), which tandem does not support "
                    + "(expected: password, md5 or SCRAM-SHA-256)");
            default -> throw new ProtocolException("Authentication request of unknown kind " + kind
                    + " (expected: 0, 3, 5, 10, 11 or 12)");
        };
    }

    private static void encode(ByteBuf out, int kind, byte[] data) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeInt(kind);
        out.writeBytes(data);
        Wire.endMessage(out, start);
    }

    /** AuthenticationOk. */
    record Ok() implements Authentication {
        public static final int KIND = 0;
        public static final Ok INSTANCE = new Ok();

        @Override
        public int kind() {
            return KIND;
        }

        @Override
        public void encode(ByteBuf out) {
            Authentication.encode(out, KIND, new byte[0]);
        }
    }

    /** AuthenticationCleartextPassword. */
    record CleartextPassword() implements Authentication {
        public static final int KIND = 3;
        public static final CleartextPassword INSTANCE = new CleartextPassword();

        @Override
        public int kind() {
            return KIND;
        }

        @Override
        public void encode(ByteBuf out) {
            Authentication.encode(out, KIND, new byte[0]);
        }
    }

    /** AuthenticationMD5Password, with the four-byte salt. */
    record MD5Password(byte[] salt) implements Authentication {
        public static final int KIND = 5;

        public MD5Password {
            if (salt.length != 4) {
                throw new ProtocolException("AuthenticationMD5Password with a salt of " + salt.length
                        + " bytes (expected: 4)");
            }
        }

        @Override
        public int kind() {
            return KIND;
        }

        @Override
        public void encode(ByteBuf out) {
            Authentication.encode(out, KIND, salt);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MD5Password other && Arrays.equals(salt, other.salt);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(salt);
        }

        @Override
        public String toString() {
            return "MD5Password[salt=" + Arrays.toString(salt) + "]";
        }
    }

    /** AuthenticationSASL: the mechanisms the server offers, in its order of preference. */
    record SASL(List<String> mechanisms) implements Authentication {
        public static final int KIND = 10;

        public SASL {
            mechanisms = List.copyOf(mechanisms);
        }

        private static SASL decodeMechanisms(ByteBuf body) {
            var mechanisms = new ArrayList<String>();
            while (true) {
                if (!body.isReadable()) {
                    throw new ProtocolException("AuthenticationSASL mechanism list is not terminated by an empty name");
                }
                String mechanism = Wire.readCString(body);
                if (mechanism.isEmpty()) {
                    return new SASL(mechanisms);
                }
                mechanisms.add(mechanism);
            }
        }

        @Override
        public int kind() {
            return KIND;
        }

        @Override
        public void encode(ByteBuf out) {
            int start = Wire.beginMessage(out, TYPE);
            out.writeInt(KIND);
            mechanisms.forEach(m -> Wire.writeCString(out, m));
            out.writeByte(0);
            Wire.endMessage(out, start);
        }
    }

    /** AuthenticationSASLContinue: the mechanism's next server message (SCRAM: server-first-message). */
    record SASLContinue(byte[] data) implements Authentication {
        public static final int KIND = 11;

        @Override
        public int kind() {
            return KIND;
        }

        @Override
        public void encode(ByteBuf out) {
            Authentication.encode(out, KIND, data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SASLContinue other && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "SASLContinue[" + new String(data, UTF_8) + "]";
        }
    }

    /** AuthenticationSASLFinal: the mechanism's outcome data (SCRAM: server-final-message). */
    record SASLFinal(byte[] data) implements Authentication {
        public static final int KIND = 12;

        @Override
        public int kind() {
            return KIND;
        }

        @Override
        public void encode(ByteBuf out) {
            Authentication.encode(out, KIND, data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SASLFinal other && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "SASLFinal[" + new String(data, UTF_8) + "]";
        }
    }
}
