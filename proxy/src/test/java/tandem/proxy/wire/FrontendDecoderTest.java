package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.proxy.wire.DecoderAssertions.assertProtocolViolation;
import static tandem.proxy.wire.DecoderAssertions.drain;
import static tandem.proxy.wire.Fixture.concat;
import static tandem.proxy.wire.Fixture.hex;
import static tandem.proxy.wire.Fixture.typed;
import static tandem.proxy.wire.Fixture.typedWithLength;
import static tandem.proxy.wire.Fixture.untyped;
import static tandem.proxy.wire.FrontendMessagesTest.STARTUP;
import static tandem.proxy.wire.FrontendMessagesTest.startup;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.wire.frontend.Bind;
import tandem.proxy.wire.frontend.CancelRequest;
import tandem.proxy.wire.frontend.GSSENCRequest;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.SSLRequest;
import tandem.proxy.wire.frontend.Sync;

@ExtendWith(NoLeaks.class)
class FrontendDecoderTest {

    static final byte[] SSL_REQUEST = hex("00000008 04d2162f");
    static final byte[] GSSENC_REQUEST = hex("00000008 04d21630");
    static final byte[] SYNC = hex("53 00000004");

    /** The startup packet, then the typed message built from {@code body}. */
    private static void assertTypedViolation(byte[] message, String expected) {
        assertProtocolViolation(FrontendDecoder::new, concat(STARTUP, message), expected, startup());
    }

    @Test
    void readsAnotherStartupPacketAfterSslAndGssencRequests() {
        byte[] input = concat(GSSENC_REQUEST, SSL_REQUEST, STARTUP, typed('Q', f -> f.cstring("SELECT 1")));
        for (int split = 0; split <= input.length; split++) {
            assertThat(WireAssertions.feedSplit(FrontendDecoder::new, input, split))
                    .containsExactly(GSSENCRequest.INSTANCE, SSLRequest.INSTANCE, startup(), new Query("SELECT 1"));
        }
    }

    @Test
    void ignoresEverythingAfterACancelRequest() {
        assertThat(WireAssertions.feed(FrontendDecoder::new, concat(hex("00000010 04d2162e 00000001 00000002"),
                STARTUP, SYNC, hex("ffffffff")))).containsExactly(new CancelRequest(1, 2));
    }

    @Test
    void decodesPipelinedExtendedQueryBatch() {
        byte[] batch = concat(STARTUP,
                typed('P', f -> f.cstring("").cstring("SELECT $1").int16(0)),
                typed('B', f -> f.cstring("").cstring("").int16(0).int16(1).int32(1).ascii("7").int16(0)),
                typed('D', f -> f.int8('P').cstring("")),
                typed('E', f -> f.cstring("").int32(0)),
                SYNC);
        assertThat(WireAssertions.feedBytewise(FrontendDecoder::new, batch)).hasSize(6).last().isEqualTo(Sync.INSTANCE);
    }

    @Test
    void rejectsStartupPacketShorterThanItsHeader() {
        assertProtocolViolation(FrontendDecoder::new, hex("00000004"),
                "invalid length of startup packet: 4 (expected: 8 to 10000 bytes)");
    }

    @Test
    void rejectsOversizedStartupPacketBeforeBufferingIt() {
        assertProtocolViolation(FrontendDecoder::new, hex("00002711"), "invalid length of startup packet: 10001");
    }

    @Test
    void rejectsTlsHandshakeSentWithoutSslRequest() {
        // a TLS ClientHello record header read as a length
        assertProtocolViolation(FrontendDecoder::new, hex("16030100 f4010000"), "invalid length of startup packet: 369295616");
    }

    @Test
    void refusesProtocolVersion2WithFeatureNotSupported() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrontendDecoder());
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(untyped(f -> f.int32(0x20000)
                .cstring("user").cstring("x").int8(0)))))
                .isInstanceOf(DecoderException.class).cause().isInstanceOf(ProxyException.class)
                .hasMessage("unsupported frontend protocol 2.0: tandem supports 3.0")
                .satisfies(e -> assertThat(((ProxyException) e).state()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED))
                .satisfies(e -> assertThat(((ProxyException) e).isFatal()).isTrue());
        channel.writeInbound(Unpooled.wrappedBuffer(SYNC));
        assertThat(drain(channel)).isEmpty();
        channel.finishAndReleaseAll();
    }

    @Test
    void rejectsStartupParameterWithoutValue() {
        assertProtocolViolation(FrontendDecoder::new, untyped(f -> f.int32(196608).cstring("user")),
                "StartupMessage parameter \"user\" has no value");
    }

    @Test
    void rejectsStartupParametersWithoutTerminator() {
        assertProtocolViolation(FrontendDecoder::new, untyped(f -> f.int32(196608).cstring("user").cstring("x")),
                "StartupMessage parameter list is not terminated by an empty name");
    }

    @Test
    void rejectsUnterminatedStartupParameterName() {
        assertProtocolViolation(FrontendDecoder::new, untyped(f -> f.int32(196608).ascii("user")),
                "string is not null-terminated within its message");
    }

    @Test
    void rejectsBytesAfterStartupTerminator() {
        assertProtocolViolation(FrontendDecoder::new, untyped(f -> f.int32(196608).int8(0).int8(1)),
                "StartupMessage has 1 bytes after its last field (expected: none)");
    }

    @Test
    void rejectsSslRequestWithABody() {
        assertProtocolViolation(FrontendDecoder::new, hex("0000000c 04d2162f 00000000"),
                "SSLRequest has 4 bytes after its last field");
    }

    @Test
    void rejectsShortCancelRequest() {
        assertProtocolViolation(FrontendDecoder::new, hex("0000000c 04d2162e 00000001"),
                "message ends inside its secret key");
    }

    @Test
    void rejectsUnknownTypeBeforeItsLengthArrives() {
        assertTypedViolation(hex("7a"), "unknown frontend message type 'z' (0x7a)");
    }

    @Test
    void rejectsUnknownNonPrintableType() {
        assertTypedViolation(hex("00 00000004"), "unknown frontend message type 0x0");
    }

    @Test
    void rejectsLengthBelowFour() {
        assertTypedViolation(hex("51 00000003"), "invalid message length 3 (expected: >= 4)");
    }

    @Test
    void rejectsNegativeLength() {
        assertTypedViolation(hex("51 80000000"), "invalid message length -2147483648 (expected: >= 4)");
    }

    @Test
    void rejectsLengthAboveTheLimitBeforeBufferingTheBody() {
        assertTypedViolation(hex("51 7fffffff"),
                "message length 2147483647 exceeds the limit of 67108864 bytes (limits.maxMessageSize)");
    }

    @Test
    void appliesTheConfiguredLimit() {
        byte[] query = typed('Q', f -> f.cstring("SELECT '" + "x".repeat(200) + "'"));
        assertProtocolViolation(() -> new FrontendDecoder(100), concat(STARTUP, query),
                "message length 214 exceeds the limit of 100 bytes (limits.maxMessageSize)", startup());
        assertThat(WireAssertions.feed(() -> new FrontendDecoder(214), concat(STARTUP, query))).hasSize(2);
    }

    @Test
    void limitsMessagesThatCarryNoUserDataToTenThousandBytes() {
        assertTypedViolation(hex("53 00004e20"), "Sync message length 20000 exceeds the limit of 10000 bytes");
        assertTypedViolation(hex("45 00004e20"), "Execute message length 20000 exceeds the limit of 10000 bytes");
    }

    @Test
    void rejectsSyncWithABody() {
        assertTypedViolation(hex("53 00000005 00"), "Sync has 1 bytes after its last field (expected: none)");
    }

    @Test
    void rejectsUnterminatedQuery() {
        assertTypedViolation(typed('Q', f -> f.ascii("SELECT 1")), "string is not null-terminated within its message");
    }

    @Test
    void rejectsBytesAfterTheQueryString() {
        assertTypedViolation(typed('Q', f -> f.cstring("SELECT 1").int8(1)), "Query has 1 bytes after its last field");
    }

    @Test
    void rejectsParseWithMoreTypesThanBytes() {
        assertTypedViolation(typed('P', f -> f.cstring("").cstring("SELECT 1").int16(100).int32(23).int32(23)),
                "Parse has 100 parameter types but only 8 bytes left (expected: 400)");
    }

    @Test
    void rejectsBindWithNegativeValueLength() {
        assertTypedViolation(typed('B', f -> f.cstring("").cstring("").int16(0).int16(1).int32(-2).int16(0)),
                "negative parameter value length: -2 (expected: -1 for NULL or >= 0)");
    }

    @Test
    void rejectsBindValueLongerThanItsMessage() {
        assertTypedViolation(typed('B', f -> f.cstring("").cstring("").int16(0).int16(1).int32(100).ascii("42").int16(0)),
                "value of 100 bytes is longer than what is left of its message (4 bytes)");
    }

    @Test
    void rejectsBindWithMoreValuesThanBytes() {
        assertTypedViolation(typed('B', f -> f.cstring("").cstring("").int16(0).int16(65535).int32(-1)),
                "Bind has 65535 parameter values but only 4 bytes left");
    }

    @Test
    void rejectsBindWhoseFormatCodesMatchNeitherOneNorEveryValue() {
        assertTypedViolation(typed('B', f -> f.cstring("").cstring("").int16(2).int16(0).int16(1)
                .int16(3).int32(-1).int32(-1).int32(-1).int16(0)),
                "Bind has 2 parameter format codes but 3 parameter values (expected: 0, 1 or 3 codes)");
    }

    @Test
    void rejectsBindEndingInsideItsResultFormats() {
        assertTypedViolation(typed('B', f -> f.cstring("").cstring("").int16(0).int16(0).int16(2).int16(0)),
                "message ends inside its result format codes");
    }

    @Test
    void rejectsDescribeOfUnknownKind() {
        assertTypedViolation(typed('D', f -> f.int8('X').cstring("s1")),
                "Describe of unknown kind 0x58 (expected: 'S' for a statement or 'P' for a portal)");
    }

    @Test
    void rejectsCloseOfUnknownKind() {
        assertTypedViolation(typed('C', f -> f.int8('s').cstring("s1")), "Close of unknown kind 0x73");
    }

    @Test
    void rejectsExecuteWithoutRowLimit() {
        assertTypedViolation(typed('E', f -> f.cstring("").int16(0)), "message ends inside its row limit");
    }

    @Test
    void rejectsFrameWhoseLengthDisagreesWithItsBody() {
        // says 8 bytes, so "SELECT 1" is cut before its terminator and the rest is read as a next frame
        assertTypedViolation(typedWithLength('Q', 8, f -> f.cstring("SELECT 1")), "string is not null-terminated");
    }

    @Test
    void invalidUtf8FailsTheMessageButNotTheConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrontendDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(STARTUP));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(typed('Q', f -> f.raw(hex("53 c3 28 00"))))))
                .isInstanceOf(DecoderException.class).cause().isInstanceOf(InvalidEncodingException.class);
        channel.writeInbound(Unpooled.wrappedBuffer(SYNC));
        assertThat(drain(channel)).containsExactly(startup(), Sync.INSTANCE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bindCountsAreUnsignedUpTo65535() {
        byte[][] values = new byte[40000][];
        Bind bind = new Bind("", "", new short[0], values, new short[0]);
        byte[] encoded = WireAssertions.encode(bind::encode);
        assertThat(WireAssertions.feed(FrontendDecoder::new, concat(STARTUP, encoded))).containsExactly(startup(), bind);
    }

    @Test
    void refusesToBuildBindWithMoreThan65535Values() {
        assertThatThrownBy(() -> new Bind("", "", new short[0], new byte[70000][], new short[0]))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("Bind has 70000 parameter values (expected: <= 65535)");
    }

    @Test
    void refusesNonPositiveLimit() {
        assertThatThrownBy(() -> new FrontendDecoder(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMessageSize: 0 (expected: >= 4)");
    }
}
