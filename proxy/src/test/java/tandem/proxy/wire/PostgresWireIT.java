package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tandem.core.session.TransactionStatus;
import tandem.proxy.auth.BackendAuthenticator;
import tandem.proxy.wire.backend.BackendKeyData;
import tandem.proxy.wire.backend.BackendMessage;
import tandem.proxy.wire.backend.BindComplete;
import tandem.proxy.wire.backend.CloseComplete;
import tandem.proxy.wire.backend.CommandComplete;
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
import tandem.proxy.wire.backend.ParseComplete;
import tandem.proxy.wire.backend.PortalSuspended;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.backend.RowDescription;
import tandem.proxy.wire.backend.RowDescription.Field;
import tandem.proxy.wire.frontend.Bind;
import tandem.proxy.wire.frontend.CancelRequest;
import tandem.proxy.wire.frontend.Close;
import tandem.proxy.wire.frontend.CopyData;
import tandem.proxy.wire.frontend.Describe;
import tandem.proxy.wire.frontend.Execute;
import tandem.proxy.wire.frontend.FunctionCall;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.StartupMessage;
import tandem.proxy.wire.frontend.Sync;
import tandem.proxy.wire.frontend.Terminate;

/** tandem's codecs against a real PostgreSQL: every message a session sees, as the server sends it. */
class PostgresWireIT {

    private static final ReadyForQuery IDLE = new ReadyForQuery(TransactionStatus.IDLE);
    private static final int INT4 = 23;
    private static final int TEXT = 25;

    private WireClient client;
    private BackendKeyData key;

    @BeforeEach
    void connect() throws Exception {
        client = new WireClient("127.0.0.1", PasswordPostgres.port());
        List<BackendMessage> afterOk = client.login(Map.of("user", "postgres", "database", "postgres"),
                new BackendAuthenticator("postgres", null));
        key = afterOk.stream().filter(BackendKeyData.class::isInstance).map(BackendKeyData.class::cast).findFirst().orElseThrow();
    }

    @AfterEach
    void close() {
        client.send(Terminate.INSTANCE);
        client.close();
    }

    @Test
    void simpleQueryReturnsDescriptionRowsAndTag() throws Exception {
        client.send(new Query("SELECT 1 AS one, NULL::text AS nothing"));
        assertThat(client.untilReady()).containsExactly(
                new RowDescription(List.of(new Field("one", 0, 0, INT4, 4, -1, 0), new Field("nothing", 0, 0, TEXT, -1, -1, 0))),
                DataRow.ofText("1", null), new CommandComplete("SELECT 1"), IDLE);
    }

    @Test
    void extendedQueryRoundTrip() throws Exception {
        client.send(new Parse("s1", "SELECT $1::int + 1 AS answer", new int[] {INT4}), new Describe('S', "s1"),
                new Bind("", "s1", new short[0], new byte[][] {"41".getBytes()}, new short[0]), new Execute("", 0),
                new Close('S', "s1"), Sync.INSTANCE);
        assertThat(client.untilReady()).containsExactly(ParseComplete.INSTANCE, new ParameterDescription(new int[] {INT4}),
                new RowDescription(List.of(new Field("answer", 0, 0, INT4, 4, -1, 0))), BindComplete.INSTANCE,
                DataRow.ofText("42"), new CommandComplete("SELECT 1"), CloseComplete.INSTANCE, IDLE);
    }

    @Test
    void binaryParametersAndResults() throws Exception {
        client.send(new Parse("", "SELECT $1::int4 * 2", new int[] {INT4}),
                new Bind("", "", new short[] {1}, new byte[][] {{0, 0, 0, 21}}, new short[] {1}), new Execute("", 0),
                Sync.INSTANCE);
        assertThat(client.untilReady()).containsExactly(ParseComplete.INSTANCE, BindComplete.INSTANCE,
                new DataRow(new byte[][] {{0, 0, 0, 42}}), new CommandComplete("SELECT 1"), IDLE);
    }

    @Test
    void statementWithoutRowsIsDescribedAsNoData() throws Exception {
        client.send(new Parse("", "SET application_name = 'x'", new int[0]), new Describe('S', ""), Sync.INSTANCE);
        assertThat(client.untilReady()).containsExactly(ParseComplete.INSTANCE, new ParameterDescription(new int[0]),
                NoData.INSTANCE, IDLE);
    }

    @Test
    void executeWithRowLimitSuspendsThePortal() throws Exception {
        client.send(new Query("BEGIN"));
        client.untilReady();
        client.send(new Parse("", "SELECT generate_series(1, 3)", new int[0]),
                new Bind("c", "", new short[0], new byte[0][], new short[0]), new Execute("c", 2), Sync.INSTANCE);
        assertThat(client.untilReady()).containsExactly(ParseComplete.INSTANCE, BindComplete.INSTANCE, DataRow.ofText("1"),
                DataRow.ofText("2"), PortalSuspended.INSTANCE, new ReadyForQuery(TransactionStatus.IN_TRANSACTION));
        client.send(new Execute("c", 0), Sync.INSTANCE);
        assertThat(client.untilReady()).containsExactly(DataRow.ofText("3"), new CommandComplete("SELECT 1"),
                new ReadyForQuery(TransactionStatus.IN_TRANSACTION));
    }

    @Test
    void errorKeepsEveryFieldAndReencodesToTheSameBytes() throws Exception {
        client.send(new Query("SELECT * FROM missing_table"));
        List<BackendMessage> answer = client.untilReady();
        assertThat(answer).hasSize(2).last().isEqualTo(IDLE);
        ErrorResponse error = (ErrorResponse) answer.getFirst();
        assertThat(error.severity()).isEqualTo("ERROR");
        assertThat(error.code()).isEqualTo("42P01");
        assertThat(error.message()).isEqualTo("relation \"missing_table\" does not exist");
        assertThat(error.fields()).containsKeys('S', 'V', 'C', 'M', 'P', 'F', 'L', 'R');
        byte[] encoded = WireAssertions.encode(error::encode);
        var reparsed = BackendDecoder.decode('E', Unpooled.wrappedBuffer(encoded, 5, encoded.length - 5));
        assertThat(reparsed).isEqualTo(error);
    }

    @Test
    void noticeAndEmptyQuery() throws Exception {
        client.send(new Query("DO $$ BEGIN RAISE NOTICE 'hello'; END $$"));
        List<BackendMessage> answer = client.untilReady();
        assertThat(answer.getFirst()).isInstanceOfSatisfying(NoticeResponse.class, n -> {
            assertThat(n.severity()).isEqualTo("NOTICE");
            assertThat(n.message()).isEqualTo("hello");
            assertThat(n.code()).isEqualTo("00000");
        });
        client.send(new Query(""));
        assertThat(client.untilReady()).containsExactly(EmptyQueryResponse.INSTANCE, IDLE);
    }

    @Test
    void copyOutAndIn() throws Exception {
        client.send(new Query("COPY (SELECT 1 UNION ALL SELECT 2) TO STDOUT"));
        List<BackendMessage> out = client.untilReady();
        try {
            assertThat(out).hasSize(6);
            assertThat(out.getFirst()).isEqualTo(new CopyOutResponse(0, new short[] {0}));
            assertThat(((tandem.proxy.wire.backend.CopyData) out.get(1)).data().toString(StandardCharsets.UTF_8)).isEqualTo("1\n");
            assertThat(((tandem.proxy.wire.backend.CopyData) out.get(2)).data().toString(StandardCharsets.UTF_8)).isEqualTo("2\n");
            assertThat(out.subList(3, 6)).containsExactly(CopyDone.INSTANCE, new CommandComplete("COPY 2"), IDLE);
        } finally {
            out.forEach(io.netty.util.ReferenceCountUtil::release);
        }

        client.send(new Query("CREATE TEMP TABLE t (id int, name text)"));
        client.untilReady();
        client.send(new Query("COPY t FROM STDIN"));
        assertThat(client.next()).isEqualTo(new CopyInResponse(0, new short[] {0, 0}));
        client.send(new CopyData(Unpooled.copiedBuffer("1\tone\n2\t\\N\n", StandardCharsets.UTF_8)),
                tandem.proxy.wire.frontend.CopyDone.INSTANCE);
        assertThat(client.untilReady()).containsExactly(new CommandComplete("COPY 2"), IDLE);
        client.send(new Query("SELECT * FROM t ORDER BY id"));
        assertThat(client.untilReady()).filteredOn(DataRow.class::isInstance)
                .containsExactly(DataRow.ofText("1", "one"), DataRow.ofText("2", null));
    }

    @Test
    void notificationNamesTheSendingProcess() throws Exception {
        client.send(new Query("LISTEN orders; NOTIFY orders, 'order 42'"));
        assertThat(client.untilReady()).contains(new NotificationResponse(key.processId(), "orders", "order 42"));
    }

    @Test
    void functionCallReturnsItsResult() throws Exception {
        // int4pl(1, 2) through the fast path, with text arguments and result
        client.send(new Query("SELECT 'int4pl'::regproc::oid"));
        int oid = Integer.parseInt(((DataRow) client.untilReady().get(1)).text(0));
        byte[] call = Fixture.body(f -> f.int32(oid).int16(1).int16(0).int16(2).int32(1).ascii("1").int32(1).ascii("2").int16(0));
        client.send(new FunctionCall(call));
        assertThat(client.untilReady()).containsExactly(new FunctionCallResponse("3".getBytes()), IDLE);
    }

    @Test
    void cancelRequestStopsARunningQuery() throws Exception {
        client.send(new Query("SELECT pg_sleep(30)"));
        awaitSleeping(key.processId()); // a cancel that arrives before the query runs is lost
        try (WireClient canceller = new WireClient("127.0.0.1", PasswordPostgres.port())) {
            canceller.send(new CancelRequest(key.processId(), key.secretKey()));
            assertThat(canceller.awaitClosed()).isTrue();
        }
        assertThat(client.untilReady()).filteredOn(ErrorResponse.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((ErrorResponse) e).code()).isEqualTo("57014"));
    }

    private static void awaitSleeping(int processId) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (var c = PasswordPostgres.superuser();
                var s = c.prepareStatement("SELECT 1 FROM pg_stat_activity WHERE pid = ? AND wait_event = 'PgSleep'")) {
            s.setInt(1, processId);
            while (System.nanoTime() < deadline) {
                try (var rs = s.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("backend " + processId + " did not start sleeping within 10 s");
    }

    @Test
    void unknownProtocolOptionIsNegotiatedAway() throws Exception {
        try (WireClient other = new WireClient("127.0.0.1", PasswordPostgres.port())) {
            var parameters = new LinkedHashMap<String, String>();
            parameters.put("user", "postgres");
            parameters.put("_pq_.tandem_test", "1");
            other.send(new StartupMessage(StartupMessage.PROTOCOL_3_0, parameters));
            var negotiated = other.next();
            assertThat(negotiated).isEqualTo(new NegotiateProtocolVersion(StartupMessage.PROTOCOL_3_0, List.of("_pq_.tandem_test")));
            assertThat(((NegotiateProtocolVersion) negotiated).newestMinor()).isZero();
        }
    }
}
