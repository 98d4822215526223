package tandem.proxy.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.config.PoolMode;

/**
 * Malformed or hostile bytes get a PostgreSQL error (08P01) and a closed connection — never a
 * crashed proxy, a stuck session or harm to other clients.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputIT {

    private Proxy proxy;

    @BeforeAll
    void start(TestDatabase db) {
        proxy = Proxy.postgres(db, PoolMode.TRANSACTION, 4, tandem.config.TandemConfig.builder());
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void anOversizedMessageIs08P01AndClosesOnlyThatConnection() throws Exception {
        try (Connection bystander = proxy.connect(); Socket socket = loggedIn()) {
            var out = new DataOutputStream(socket.getOutputStream());
            out.writeByte('Q');
            out.writeInt(0x7FFFFFF0);
            out.flush();
            Map<Character, String> error = readError(socket);
            assertThat(error.get('C')).isEqualTo("08P01");
            assertThat(error.get('S')).isEqualTo("FATAL");
            assertThat(error.get('M')).contains("exceeds the limit");
            assertThat(readsEndOfStream(socket)).isTrue();
            assertThat(answer(bystander)).isEqualTo(1);
        }
    }

    @Test
    void anUnknownMessageTypeIs08P01() throws Exception {
        try (Socket socket = loggedIn()) {
            var out = new DataOutputStream(socket.getOutputStream());
            out.writeByte('!');
            out.writeInt(4);
            out.flush();
            assertThat(readError(socket).get('C')).isEqualTo("08P01");
            assertThat(readsEndOfStream(socket)).isTrue();
        }
    }

    @Test
    void anHttpRequestInsteadOfAStartupPacketIsRefused() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
            assertThat(readError(socket).get('C')).isEqualTo("08P01");
            assertThat(readsEndOfStream(socket)).isTrue();
        }
        try (Connection c = proxy.connect()) {
            assertThat(answer(c)).isEqualTo(1);
        }
    }

    @Test
    void aBindThatDoesNotFitItsStatementIsAnErrorAndTheSessionGoesOn() throws Exception {
        try (RawClient client = RawClient.login("127.0.0.1", proxy.port(), "app", proxy.database())) {
            List<RawClient.Message> answers = client.parse("s1", "SELECT $1::int").bind("", "s1").execute("", 0).sync()
                    .query("SELECT 7").await(2);
            assertThat(answers.toString()).isEqualTo("[1, E:08P01, Z:I, T:1, D:1, C:SELECT 1, Z:I]");
        }
    }

    @Test
    void randomBytesAfterLoginNeverHangAConnectionOrHurtTheProxy() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 60; round++) {
            try (Socket socket = loggedIn()) {
                byte[] junk = new byte[1 + random.nextInt(300)];
                random.nextBytes(junk);
                if (round % 3 == 0) {
                    junk[0] = (byte) "QPBDESCHFdcf".charAt(random.nextInt(12));
                }
                socket.getOutputStream().write(junk);
                socket.getOutputStream().flush();
                socket.shutdownOutput();
                drain(socket);
            }
        }
        try (Connection c = proxy.connect()) {
            assertThat(answer(c)).isEqualTo(1);
        }
    }

    /** A raw connection past startup: StartupMessage sent, everything up to ReadyForQuery read. */
    private Socket loggedIn() throws IOException {
        return RawClient.login("127.0.0.1", proxy.port(), "app", proxy.database()).socket();
    }



    private static Map<Character, String> readError(Socket socket) throws IOException {
        var in = new DataInputStream(socket.getInputStream());
        char type = (char) in.readUnsignedByte();
        assertThat(type).as("message type").isEqualTo('E');
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        return fields(body);
    }

    private static Map<Character, String> fields(byte[] body) {
        return RawClient.fields(body);
    }

    private static boolean readsEndOfStream(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    /** Reads whatever comes until the proxy closes; a hang fails through the socket timeout. */
    private static void drain(Socket socket) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            while (socket.getInputStream().read(buffer) >= 0) {
                // keep reading
            }
        } catch (java.net.SocketException e) {
            // reset by the proxy: closed, which is what we wait for
        }
    }

    private static int answer(Connection c) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
