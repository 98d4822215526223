package tandem.proxy.wire.frontend;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import tandem.proxy.wire.Wire;

/**
 * Every 'p' message: PasswordMessage, SASLInitialResponse, SASLResponse and GSSResponse share the
 * type byte, and only the authentication exchange in progress tells which one it is. The body is
 * kept raw; the {@code read...} methods interpret it once the caller knows.
 */
public record AuthenticationResponse(byte[] body) implements FrontendMessage {

    public static final char TYPE = 'p';

    /** A SASLInitialResponse: the mechanism the client chose and its first message (null: none sent). */
    public record SASLInitialResponse(String mechanism, byte[] data) {

        @Override
        public boolean equals(Object o) {
            return o instanceof SASLInitialResponse other && mechanism.equals(other.mechanism)
                    && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return mechanism.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "SASLInitialResponse[mechanism=" + mechanism + ", data=" + (data == null ? "none" : data.length + " bytes") + "]";
        }
    }

    public static AuthenticationResponse decode(ByteBuf body) {
        return new AuthenticationResponse(Wire.readBytes(body, body.readableBytes()));
    }

    /** A PasswordMessage: a cleartext password or an "md5..." hash. */
    public static AuthenticationResponse password(String password) {
        byte[] text = password.getBytes(UTF_8);
        byte[] body = Arrays.copyOf(text, text.length + 1);
        return new AuthenticationResponse(body);
    }

    public static AuthenticationResponse saslInitialResponse(String mechanism, byte[] data) {
        ByteBuf out = Unpooled.buffer();
        try {
            Wire.writeCString(out, mechanism);
            Wire.writeNullableBytes(out, data);
            return new AuthenticationResponse(Wire.readBytes(out, out.readableBytes()));
        } finally {
            out.release();
        }
    }

    public static AuthenticationResponse saslResponse(byte[] data) {
        return new AuthenticationResponse(data.clone());
    }

    /** Reads the body as a PasswordMessage: one null-terminated string and nothing after it. */
    public String readPassword() {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        String password = Wire.readCString(in);
        Wire.requireEnd(in, "PasswordMessage");
        return password;
    }

    public SASLInitialResponse readSASLInitialResponse() {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        String mechanism = Wire.readCString(in);
        byte[] data = Wire.readNullableBytes(in, "SASLInitialResponse data");
        Wire.requireEnd(in, "SASLInitialResponse");
        return new SASLInitialResponse(mechanism, data);
    }

    /** A SASLResponse is the mechanism's message and nothing else. */
    public byte[] readSASLResponse() {
        return body.clone();
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeBytes(body);
        Wire.endMessage(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationResponse other && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(body);
    }

    /** Never shows the body: it may be a password. */
    @Override
    public String toString() {
        return "AuthenticationResponse[" + body.length + " bytes]";
    }
}
