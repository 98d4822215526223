package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.proxy.wire.Fixture.typed;

import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.wire.backend.DataRow;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.NoticeFields;
import tandem.proxy.wire.backend.NoticeResponse;
import tandem.proxy.wire.backend.RowDescription;
import tandem.proxy.wire.frontend.AuthenticationResponse;
import tandem.proxy.wire.frontend.AuthenticationResponse.SASLInitialResponse;
import tandem.proxy.wire.frontend.CopyData;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.StartupMessage;

/** What the message records offer beyond their bytes. */
@ExtendWith(NoLeaks.class)
class MessagesApiTest {

    @Test
    void errorResponseFromAProxyExceptionCarriesSeverityCodeMessageDetailAndHint() {
        var error = ErrorResponse.of(new ProxyException(SqlState.UNDEFINED_TABLE, "relation \"t\" does not exist",
                "the table is only in the old store", "run the copy first"));
        assertThat(error.fields()).containsExactly(Map.entry('S', "ERROR"), Map.entry('V', "ERROR"), Map.entry('C', "42P01"),
                Map.entry('M', "relation \"t\" does not exist"), Map.entry('D', "the table is only in the old store"),
                Map.entry('H', "run the copy first"));
        assertThat(error.severity()).isEqualTo("ERROR");
        assertThat(error.code()).isEqualTo("42P01");
        assertThat(error.message()).isEqualTo("relation \"t\" does not exist");
        assertThat(error.isFatal()).isFalse();
    }

    @Test
    void fatalProxyExceptionGivesFatalSeverityAndLeavesOutMissingFields() {
        var error = ErrorResponse.of(new ProtocolException("invalid message length 3 (expected: >= 4)"));
        assertThat(error.fields()).containsExactly(Map.entry('S', "FATAL"), Map.entry('V', "FATAL"), Map.entry('C', "08P01"),
                Map.entry('M', "invalid message length 3 (expected: >= 4)"));
        assertThat(error.isFatal()).isTrue();
    }

    @Test
    void serverErrorKeepsEveryFieldInOrderIncludingUnknownOnes() {
        byte[] frame = typed('E', f -> f.int8('S').cstring("FEHLER").int8('V').cstring("ERROR").int8('C').cstring("23505")
                .int8('M').cstring("doppelter Schlüsselwert").int8('n').cstring("users_pkey").int8('Z').cstring("future")
                .int8(0));
        var error = (ErrorResponse) BackendDecoder.decode('E', Unpooled.wrappedBuffer(frame, 5, frame.length - 5));
        assertThat(error.fields().keySet()).containsExactly('S', 'V', 'C', 'M', 'n', 'Z');
        assertThat(error.severity()).isEqualTo("ERROR");
        assertThat(error.field(NoticeFields.CONSTRAINT_NAME)).isEqualTo("users_pkey");
        WireAssertions.assertSameBytes(WireAssertions.encode(error::encode), frame);
    }

    @Test
    void noticeFactoryNamesSeverityCodeAndMessage() {
        var notice = NoticeResponse.of("WARNING", SqlState.WARNING, "reads are served by the old store");
        assertThat(notice.severity()).isEqualTo("WARNING");
        assertThat(notice.code()).isEqualTo("01000");
        assertThat(notice.message()).isEqualTo("reads are served by the old store");
    }

    @Test
    void authenticationResponseReadsAsPassword() {
        assertThat(AuthenticationResponse.password("pencil").readPassword()).isEqualTo("pencil");
        assertThat(AuthenticationResponse.password("pencil").toString()).doesNotContain("pencil");
    }

    @Test
    void passwordWithBytesAfterItsTerminatorIsAProtocolViolation() {
        var response = new AuthenticationResponse(new byte[] {'a', 0, 'b'});
        assertThatThrownBy(response::readPassword).isInstanceOf(ProtocolException.class)
                .hasMessage("PasswordMessage has 1 bytes after its last field (expected: none)");
        assertThatThrownBy(new AuthenticationResponse(new byte[] {'a'})::readPassword).isInstanceOf(ProtocolException.class);
    }

    @Test
    void authenticationResponseReadsAsSaslInitialResponse() {
        var response = AuthenticationResponse.saslInitialResponse("SCRAM-SHA-256", "n,,n=,r=x".getBytes());
        assertThat(response.readSASLInitialResponse()).isEqualTo(new SASLInitialResponse("SCRAM-SHA-256", "n,,n=,r=x".getBytes()));
        assertThat(AuthenticationResponse.saslInitialResponse("X", null).readSASLInitialResponse().data()).isNull();
        assertThat(AuthenticationResponse.saslResponse(new byte[] {1, 2}).readSASLResponse()).containsExactly(1, 2);
    }

    @Test
    void saslInitialResponseWithDataLengthPastTheEndIsAProtocolViolation() {
        byte[] body = Fixture.body(f -> f.cstring("SCRAM-SHA-256").int32(50).ascii("n,,"));
        assertThatThrownBy(() -> new AuthenticationResponse(body).readSASLInitialResponse())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("value of 50 bytes");
    }

    @Test
    void dataRowBuildsFromTextAndReadsBack() {
        DataRow row = DataRow.ofText("1", null, "Grüße");
        assertThat(row.size()).isEqualTo(3);
        assertThat(row.text(0)).isEqualTo("1");
        assertThat(row.text(1)).isNull();
        assertThat(row.text(2)).isEqualTo("Grüße");
        assertThat(row).isEqualTo(DataRow.ofText("1", null, "Grüße")).hasSameHashCodeAs(DataRow.ofText("1", null, "Grüße"));
    }

    @Test
    void startupMessageKeepsParameterOrder() {
        var startup = StartupMessage.of(Map.of("user", "u"));
        assertThat(startup.majorVersion()).isEqualTo(3);
        assertThat(startup.minorVersion()).isZero();
        byte[] frame = Fixture.untyped(f -> f.int32(196608).cstring("b").cstring("1").cstring("a").cstring("2").int8(0));
        var decoded = StartupMessage.decode(Unpooled.wrappedBuffer(frame, 4, frame.length - 4));
        assertThat(decoded.parameters().sequencedKeySet()).containsExactly("b", "a");
    }

    @Test
    void rowDescriptionFieldRefusesValuesThatDoNotFitInt16() {
        assertThatThrownBy(() -> new RowDescription.Field("x", 0, 70000, 23, 4, -1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("column number 70000 does not fit int16");
        assertThat(RowDescription.Field.computed("n", 23, 4)).isEqualTo(new RowDescription.Field("n", 0, 0, 23, 4, -1, 0));
    }

    @Test
    void decodedCopyDataOwnsOneReferenceToTheFrameUntilReleased() {
        ByteBuf frame = Unpooled.buffer();
        frame.writeBytes("abc".getBytes());
        FrontendMessage message = tandem.proxy.wire.FrontendDecoder.decode(CopyData.TYPE, frame);
        assertThat(frame.refCnt()).isEqualTo(2);
        frame.release();
        CopyData copy = (CopyData) message;
        assertThat(copy.refCnt()).isEqualTo(1);
        assertThat(copy.data().toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(WireAssertions.encode(copy::encode)).containsExactly('d', 0, 0, 0, 7, 'a', 'b', 'c');
        assertThat(copy.refCnt()).as("encode does not release").isEqualTo(1);
        assertThat(copy.release()).isTrue();
        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void recordsWithArraysCompareByContent() {
        assertThat(List.of(new AuthenticationResponse(new byte[] {1}))).containsExactly(new AuthenticationResponse(new byte[] {1}));
    }
}
