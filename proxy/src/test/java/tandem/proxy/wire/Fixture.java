package tandem.proxy.wire;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Expected bytes, written field by field without any of the production code: a typed message is
 * its type byte, the body's length plus four, and the body.
 */
public final class Fixture {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static byte[] typed(char type, Consumer<Fixture> body) {
        byte[] bytes = body(body);
        return new Fixture().int8(type).int32(bytes.length + 4).raw(bytes).bytes();
    }

    /** A typed message whose length field says {@code length} whatever the body is. */
    public static byte[] typedWithLength(char type, int length, Consumer<Fixture> body) {
        return new Fixture().int8(type).int32(length).raw(body(body)).bytes();
    }

    /** An untyped startup packet: length (counting itself), then the body. */
    public static byte[] untyped(Consumer<Fixture> body) {
        byte[] bytes = body(body);
        return new Fixture().int32(bytes.length + 4).raw(bytes).bytes();
    }

    public static byte[] body(Consumer<Fixture> body) {
        Fixture f = new Fixture();
        body.accept(f);
        return f.bytes();
    }

    public static byte[] concat(byte[]... parts) {
        Fixture f = new Fixture();
        for (byte[] part : parts) {
            f.raw(part);
        }
        return f.bytes();
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    public Fixture int8(int value) {
        out.write(value);
        return this;
    }

    public Fixture int16(int value) {
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    public Fixture int32(int value) {
        int16(value >>> 16);
        return int16(value);
    }

    public Fixture cstring(String value) {
        return raw(value.getBytes(UTF_8)).int8(0);
    }

    public Fixture raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public Fixture ascii(String text) {
        return raw(text.getBytes(UTF_8));
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
