package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static tandem.proxy.wire.Fixture.concat;
import static tandem.proxy.wire.Fixture.hex;
import static tandem.proxy.wire.Fixture.typed;
import static tandem.proxy.wire.Fixture.untyped;
import static tandem.proxy.wire.WireAssertions.assertSameBytes;
import static tandem.proxy.wire.WireAssertions.describe;
import static tandem.proxy.wire.WireAssertions.encode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tandem.proxy.wire.frontend.AuthenticationResponse;
import tandem.proxy.wire.frontend.Bind;
import tandem.proxy.wire.frontend.CancelRequest;
import tandem.proxy.wire.frontend.Close;
import tandem.proxy.wire.frontend.CopyData;
import tandem.proxy.wire.frontend.CopyDone;
import tandem.proxy.wire.frontend.CopyFail;
import tandem.proxy.wire.frontend.Describe;
import tandem.proxy.wire.frontend.Execute;
import tandem.proxy.wire.frontend.Flush;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.FunctionCall;
import tandem.proxy.wire.frontend.GSSENCRequest;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.SSLRequest;
import tandem.proxy.wire.frontend.StartupMessage;
import tandem.proxy.wire.frontend.Sync;
import tandem.proxy.wire.frontend.Terminate;

/** Every frontend message against hand-built bytes: encode, decode, and the decoder at every split point. */
@ExtendWith(NoLeaks.class)
class FrontendMessagesTest {

    record Case(String name, Supplier<FrontendMessage> message, byte[] fixture) {
        boolean untyped() {
            return message.get() instanceof StartupMessage || message.get() instanceof SSLRequest
                    || message.get() instanceof GSSENCRequest || message.get() instanceof CancelRequest;
        }

        /** Messages whose last field is "the rest of the body" accept any body length. */
        boolean takesRest() {
            FrontendMessage m = message.get();
            boolean rest = m instanceof CopyData || m instanceof FunctionCall || m instanceof AuthenticationResponse;
            ReferenceCountUtil.release(m);
            return rest;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final byte[] STARTUP = untyped(f -> f.int32(196608).cstring("user").cstring("alice").cstring("database")
            .cstring("shop").cstring("application_name").cstring("psql").cstring("client_encoding").cstring("UTF8")
            .int8(0));

    static StartupMessage startup() {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("user", "alice");
        parameters.put("database", "shop");
        parameters.put("application_name", "psql");
        parameters.put("client_encoding", "UTF8");
        return new StartupMessage(196608, parameters);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("StartupMessage", FrontendMessagesTest::startup, STARTUP),
                new Case("StartupMessage without parameters", () -> new StartupMessage(196608, new LinkedHashMap<>()),
                        hex("00000009 00030000 00")),
                new Case("SSLRequest", () -> SSLRequest.INSTANCE, hex("00000008 04d2162f")),
                new Case("GSSENCRequest", () -> GSSENCRequest.INSTANCE, hex("00000008 04d21630")),
                new Case("CancelRequest", () -> new CancelRequest(4242, 0xCAFEBABE), hex("00000010 04d2162e 00001092 cafebabe")),
                new Case("PasswordMessage", () -> AuthenticationResponse.password("secret"),
                        typed('p', f -> f.cstring("secret"))),
                new Case("SASLInitialResponse", () -> AuthenticationResponse.saslInitialResponse("SCRAM-SHA-256",
                        "n,,n=,r=abc".getBytes()), typed('p', f -> f.cstring("SCRAM-SHA-256").int32(11).ascii("n,,n=,r=abc"))),
                new Case("SASLInitialResponse without data", () -> AuthenticationResponse.saslInitialResponse("X", null),
                        typed('p', f -> f.cstring("X").int32(-1))),
                new Case("SASLResponse", () -> AuthenticationResponse.saslResponse("c=biws,r=abc,p=xyz".getBytes()),
                        typed('p', f -> f.ascii("c=biws,r=abc,p=xyz"))),
                new Case("Query", () -> new Query("SELECT 1"), hex("51 0000000d 53454c4543542031 00")),
                new Case("Query with UTF-8", () -> new Query("SELECT 'Größe'"), typed('Q', f -> f.cstring("SELECT 'Größe'"))),
                new Case("Parse", () -> new Parse("s1", "SELECT $1::int, $2", new int[] {23, 0}),
                        typed('P', f -> f.cstring("s1").cstring("SELECT $1::int, $2").int16(2).int32(23).int32(0))),
                new Case("Parse unnamed without types", () -> new Parse("", "BEGIN", new int[0]),
                        typed('P', f -> f.cstring("").cstring("BEGIN").int16(0))),
                new Case("Bind", () -> new Bind("p1", "s1", new short[] {0, 1, 1},
                        new byte[][] {"42".getBytes(), null, {0, 0, 0, 7}}, new short[] {1}),
                        typed('B', f -> f.cstring("p1").cstring("s1").int16(3).int16(0).int16(1).int16(1).int16(3)
                                .int32(2).ascii("42").int32(-1).int32(4).int32(7).int16(1).int16(1))),
                new Case("Bind without parameters", () -> new Bind("", "", new short[0], new byte[0][], new short[0]),
                        typed('B', f -> f.cstring("").cstring("").int16(0).int16(0).int16(0))),
                new Case("Bind with an empty value", () -> new Bind("", "s", new short[] {0}, new byte[][] {{}}, new short[0]),
                        typed('B', f -> f.cstring("").cstring("s").int16(1).int16(0).int16(1).int32(0).int16(0))),
                new Case("Describe statement", () -> new Describe('S', "s1"), typed('D', f -> f.int8('S').cstring("s1"))),
                new Case("Describe portal", () -> new Describe('P', ""), typed('D', f -> f.int8('P').cstring(""))),
                new Case("Execute", () -> new Execute("", 0), typed('E', f -> f.cstring("").int32(0))),
                new Case("Execute with row limit", () -> new Execute("p1", 100), typed('E', f -> f.cstring("p1").int32(100))),
                new Case("Close statement", () -> new Close('S', "s1"), typed('C', f -> f.int8('S').cstring("s1"))),
                new Case("Close portal", () -> new Close('P', "p1"), typed('C', f -> f.int8('P').cstring("p1"))),
                new Case("Sync", () -> Sync.INSTANCE, hex("53 00000004")),
                new Case("Flush", () -> Flush.INSTANCE, hex("48 00000004")),
                new Case("CopyData", () -> new CopyData(Unpooled.copiedBuffer("1\tfoo\n".getBytes())),
                        typed('d', f -> f.ascii("1\tfoo\n"))),
                new Case("CopyDone", () -> CopyDone.INSTANCE, hex("63 00000004")),
                new Case("CopyFail", () -> new CopyFail("aborted by user"), typed('f', f -> f.cstring("aborted by user"))),
                new Case("FunctionCall", () -> new FunctionCall(Fixture.body(f -> f.int32(1598).int16(0).int16(1)
                        .int32(2).ascii("42").int16(0))), typed('F', f -> f.int32(1598).int16(0).int16(1).int32(2)
                        .ascii("42").int16(0))),
                new Case("Terminate", () -> Terminate.INSTANCE, hex("58 00000004")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesToTheFixture(Case c) {
        FrontendMessage message = c.message().get();
        try {
            assertSameBytes(encode(message::encode), c.fixture());
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesTheFixture(Case c) {
        List<Object> decoded = WireAssertions.feed(FrontendDecoder::new, c.untyped() ? c.fixture() : concat(STARTUP, c.fixture()));
        assertThat(decoded).containsExactlyElementsOf(expected(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decoderEmitsTheSameAtEverySplitPoint(Case c) {
        byte[] input = c.untyped() ? c.fixture() : concat(STARTUP, c.fixture());
        List<Object> expected = expected(c);
        for (int split = 0; split <= input.length; split++) {
            assertThat(WireAssertions.feedSplit(FrontendDecoder::new, input, split)).as("split at %d", split)
                    .containsExactlyElementsOf(expected);
        }
        assertThat(WireAssertions.feedBytewise(FrontendDecoder::new, input)).containsExactlyElementsOf(expected);
    }

    /** Every shorter body (with a length field to match) decodes or fails with 08P01, never anything else. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void truncatedBodiesFailWithProtocolException(Case c) {
        if (c.untyped()) {
            return; // FrontendDecoderTest covers startup packets
        }
        byte[] body = Arrays.copyOfRange(c.fixture(), 5, c.fixture().length);
        IntStream.range(0, body.length).forEach(cut -> {
            Throwable thrown = catchThrowable(() -> ReferenceCountUtil.release(
                    FrontendDecoder.decode((char) c.fixture()[0], Unpooled.wrappedBuffer(body, 0, cut))));
            if (!c.takesRest()) {
                assertThat(thrown).as("body cut at %d", cut).isInstanceOf(ProtocolException.class);
            } else if (thrown != null) {
                assertThat(thrown).as("body cut at %d", cut).isInstanceOf(ProtocolException.class);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trailingBytesFailUnlessTheMessageTakesTheRest(Case c) {
        if (c.untyped()) {
            return;
        }
        byte[] body = concat(Arrays.copyOfRange(c.fixture(), 5, c.fixture().length), new byte[] {0});
        Throwable thrown = catchThrowable(() -> ReferenceCountUtil.release(
                FrontendDecoder.decode((char) c.fixture()[0], Unpooled.wrappedBuffer(body))));
        if (c.takesRest()) {
            assertThat(thrown).isNull();
        } else {
            assertThat(thrown).isInstanceOf(ProtocolException.class).hasMessageContaining("1 bytes after its last field");
        }
    }

    private static List<Object> expected(Case c) {
        FrontendMessage message = c.message().get();
        Object described = describe(message);
        ReferenceCountUtil.release(message);
        return c.untyped() ? List.of(described) : List.of(startup(), described);
    }
}
