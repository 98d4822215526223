package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static tandem.proxy.wire.Fixture.hex;
import static tandem.proxy.wire.Fixture.typed;
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

import tandem.core.session.TransactionStatus;
import tandem.proxy.wire.backend.Authentication;
import tandem.proxy.wire.backend.BackendKeyData;
import tandem.proxy.wire.backend.BackendMessage;
import tandem.proxy.wire.backend.BindComplete;
import tandem.proxy.wire.backend.CloseComplete;
import tandem.proxy.wire.backend.CommandComplete;
import tandem.proxy.wire.backend.CopyBothResponse;
import tandem.proxy.wire.backend.CopyData;
import tandem.proxy.wire.backend.CopyDone;
import tandem.proxy.wire.backend.CopyInResponse;
import tandem.proxy.wire.backend.CopyOutResponse;
import tandem.proxy.wire.backend.DataRow;
import tandem.proxy.wire.backend.EmptyQueryResponse;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.FunctionCallResponse;
import tandem.proxy.wire.backend.NegotiateProtocolVersion;
import tandem.proxy.wire.backend.NoData;
import tandem.proxy.wire.backend.NoticeResponse;
import tandem.proxy.wire.backend.NotificationResponse;
import tandem.proxy.wire.backend.ParameterDescription;
import tandem.proxy.wire.backend.ParameterStatus;
import tandem.proxy.wire.backend.ParseComplete;
import tandem.proxy.wire.backend.PortalSuspended;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.backend.RowDescription;
import tandem.proxy.wire.backend.RowDescription.Field;

/** Every backend message against hand-built bytes: encode, decode, and the decoder at every split point. */
@ExtendWith(NoLeaks.class)
class BackendMessagesTest {

    record Case(String name, Supplier<BackendMessage> message, byte[] fixture) {
        boolean takesRest() {
            BackendMessage m = message.get();
            boolean rest = m instanceof CopyData || m instanceof Authentication.SASLContinue
                    || m instanceof Authentication.SASLFinal;
            ReferenceCountUtil.release(m);
            return rest;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static LinkedHashMap<Character, String> fields(String... codesAndValues) {
        var fields = new LinkedHashMap<Character, String>();
        for (int i = 0; i < codesAndValues.length; i += 2) {
            fields.put(codesAndValues[i].charAt(0), codesAndValues[i + 1]);
        }
        return fields;
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("AuthenticationOk", () -> Authentication.Ok.INSTANCE, hex("52 00000008 00000000")),
                new Case("AuthenticationCleartextPassword", () -> Authentication.CleartextPassword.INSTANCE,
                        hex("52 00000008 00000003")),
                new Case("AuthenticationMD5Password", () -> new Authentication.MD5Password(new byte[] {1, 2, 3, 4}),
                        hex("52 0000000c 00000005 01020304")),
                new Case("AuthenticationSASL", () -> new Authentication.SASL(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")),
                        typed('R', f -> f.int32(10).cstring("SCRAM-SHA-256-PLUS").cstring("SCRAM-SHA-256").int8(0))),
                new Case("AuthenticationSASLContinue", () -> new Authentication.SASLContinue(
                        "r=abc,s=QSXCR+Q6sek8bf92,i=4096".getBytes()),
                        typed('R', f -> f.int32(11).ascii("r=abc,s=QSXCR+Q6sek8bf92,i=4096"))),
                new Case("AuthenticationSASLFinal", () -> new Authentication.SASLFinal("v=xyz".getBytes()),
                        typed('R', f -> f.int32(12).ascii("v=xyz"))),
                new Case("ParameterStatus", () -> new ParameterStatus("server_version", "15.8"),
                        typed('S', f -> f.cstring("server_version").cstring("15.8"))),
                new Case("BackendKeyData", () -> new BackendKeyData(1234, 0xDEADBEEF), hex("4b 0000000c 000004d2 deadbeef")),
                new Case("ReadyForQuery idle", () -> new ReadyForQuery(TransactionStatus.IDLE), hex("5a 00000005 49")),
                new Case("ReadyForQuery in transaction", () -> new ReadyForQuery(TransactionStatus.IN_TRANSACTION),
                        hex("5a 00000005 54")),
                new Case("ReadyForQuery failed", () -> new ReadyForQuery(TransactionStatus.FAILED), hex("5a 00000005 45")),
                new Case("RowDescription", () -> new RowDescription(List.of(new Field("id", 16384, 1, 23, 4, -1, 0),
                        new Field("name", 16384, 2, 1043, -1, 68, 1))),
                        typed('T', f -> f.int16(2)
                                .cstring("id").int32(16384).int16(1).int32(23).int16(4).int32(-1).int16(0)
                                .cstring("name").int32(16384).int16(2).int32(1043).int16(-1).int32(68).int16(1))),
                new Case("RowDescription without fields", () -> new RowDescription(List.of()), hex("54 00000006 0000")),
                new Case("DataRow", () -> new DataRow(new byte[][] {"1".getBytes(), null, {}}),
                        typed('D', f -> f.int16(3).int32(1).ascii("1").int32(-1).int32(0))),
                new Case("DataRow of text", () -> DataRow.ofText("42", null),
                        typed('D', f -> f.int16(2).int32(2).ascii("42").int32(-1))),
                new Case("CommandComplete", () -> new CommandComplete("INSERT 0 1"), typed('C', f -> f.cstring("INSERT 0 1"))),
                new Case("EmptyQueryResponse", () -> EmptyQueryResponse.INSTANCE, hex("49 00000004")),
                new Case("ErrorResponse", () -> new ErrorResponse(fields("S", "ERROR", "V", "ERROR", "C", "42P01",
                        "M", "relation \"x\" does not exist", "P", "15", "F", "parse_relation.c", "L", "1392",
                        "R", "parserOpenTable")),
                        typed('E', f -> f.int8('S').cstring("ERROR").int8('V').cstring("ERROR").int8('C').cstring("42P01")
                                .int8('M').cstring("relation \"x\" does not exist").int8('P').cstring("15")
                                .int8('F').cstring("parse_relation.c").int8('L').cstring("1392")
                                .int8('R').cstring("parserOpenTable").int8(0))),
                new Case("NoticeResponse", () -> new NoticeResponse(fields("S", "WARNING", "V", "WARNING", "C", "25001",
                        "M", "there is already a transaction in progress")),
                        typed('N', f -> f.int8('S').cstring("WARNING").int8('V').cstring("WARNING").int8('C')
                                .cstring("25001").int8('M').cstring("there is already a transaction in progress").int8(0))),
                new Case("ParseComplete", () -> ParseComplete.INSTANCE, hex("31 00000004")),
                new Case("BindComplete", () -> BindComplete.INSTANCE, hex("32 00000004")),
                new Case("CloseComplete", () -> CloseComplete.INSTANCE, hex("33 00000004")),
                new Case("NoData", () -> NoData.INSTANCE, hex("6e 00000004")),
                new Case("ParameterDescription", () -> new ParameterDescription(new int[] {23, 25}),
                        hex("74 0000000e 0002 00000017 00000019")),
                new Case("PortalSuspended", () -> PortalSuspended.INSTANCE, hex("73 00000004")),
                new Case("CopyInResponse", () -> new CopyInResponse(0, new short[] {0, 0}), hex("47 0000000b 00 0002 0000 0000")),
                new Case("CopyOutResponse", () -> new CopyOutResponse(1, new short[] {1}), hex("48 00000009 01 0001 0001")),
                new Case("CopyBothResponse", () -> new CopyBothResponse(0, new short[0]), hex("57 00000007 00 0000")),
                new Case("CopyData", () -> new CopyData(Unpooled.copiedBuffer("1\tfoo\n".getBytes())),
                        typed('d', f -> f.ascii("1\tfoo\n"))),
                new Case("CopyDone", () -> CopyDone.INSTANCE, hex("63 00000004")),
                new Case("NotificationResponse", () -> new NotificationResponse(77, "orders", "42"),
                        typed('A', f -> f.int32(77).cstring("orders").cstring("42"))),
                new Case("NegotiateProtocolVersion", () -> new NegotiateProtocolVersion(196608, List.of("_pq_.compression")),
                        typed('v', f -> f.int32(196608).int32(1).cstring("_pq_.compression"))),
                new Case("FunctionCallResponse", () -> new FunctionCallResponse("42".getBytes()),
                        typed('V', f -> f.int32(2).ascii("42"))),
                new Case("FunctionCallResponse NULL", () -> new FunctionCallResponse(null), hex("56 00000008 ffffffff")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesToTheFixture(Case c) {
        BackendMessage message = c.message().get();
        try {
            assertSameBytes(encode(message::encode), c.fixture());
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesTheFixture(Case c) {
        assertThat(WireAssertions.feed(BackendDecoder::new, c.fixture())).containsExactlyElementsOf(expected(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decoderEmitsTheSameAtEverySplitPoint(Case c) {
        // two copies back to back, so a split also falls between and right after frames
        byte[] input = Fixture.concat(c.fixture(), c.fixture());
        List<Object> expected = List.of(expected(c).get(0), expected(c).get(0));
        for (int split = 0; split <= input.length; split++) {
            assertThat(WireAssertions.feedSplit(BackendDecoder::new, input, split)).as("split at %d", split)
                    .containsExactlyElementsOf(expected);
        }
        assertThat(WireAssertions.feedBytewise(BackendDecoder::new, input)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void truncatedBodiesFailWithProtocolException(Case c) {
        byte[] body = Arrays.copyOfRange(c.fixture(), 5, c.fixture().length);
        IntStream.range(0, body.length).forEach(cut -> {
            Throwable thrown = catchThrowable(() -> ReferenceCountUtil.release(
                    BackendDecoder.decode((char) c.fixture()[0], Unpooled.wrappedBuffer(body, 0, cut))));
            if (!c.takesRest() || (c.fixture()[0] == Authentication.TYPE && cut < 4)) {
                assertThat(thrown).as("body cut at %d", cut).isInstanceOf(ProtocolException.class);
            } else if (thrown != null) {
                assertThat(thrown).as("body cut at %d", cut).isInstanceOf(ProtocolException.class);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trailingBytesFailUnlessTheMessageTakesTheRest(Case c) {
        byte[] body = Fixture.concat(Arrays.copyOfRange(c.fixture(), 5, c.fixture().length), new byte[] {0});
        Throwable thrown = catchThrowable(() -> ReferenceCountUtil.release(
                BackendDecoder.decode((char) c.fixture()[0], Unpooled.wrappedBuffer(body))));
        if (c.takesRest()) {
            assertThat(thrown).isNull();
        } else {
            assertThat(thrown).isInstanceOf(ProtocolException.class);
        }
    }

    private static List<Object> expected(Case c) {
        BackendMessage message = c.message().get();
        Object described = describe(message);
        ReferenceCountUtil.release(message);
        return List.of(described);
    }
}
