package tandem.proxy.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL protocol client that sends exactly the bytes a test asks for and reports every
 * message the server answers with, for tests about the protocol itself.
 */
final class RawClient implements AutoCloseable {

    /** One server message: its type and a readable summary (tag, status, error code, field count...). */
    record Message(char type, String summary) {
        @Override
        public String toString() {
            return summary.isEmpty() ? String.valueOf(type) : type + ":" + summary;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /** Connects and logs in with trust authentication, reading up to the first ReadyForQuery. */
    static RawClient login(String host, int port, String user, String database) throws IOException {
        Socket socket = new Socket(host, port);
        socket.setSoTimeout(20_000);
        RawClient client = new RawClient(socket);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        var data = new DataOutputStream(body);
        data.writeInt(196608);
        for (var p : Map.of("user", user, "database", database).entrySet()) {
            data.write(cstring(p.getKey()));
            data.write(cstring(p.getValue()));
        }
        data.writeByte(0);
        client.out.writeInt(body.size() + 4);
        client.out.write(body.toByteArray());
        client.out.flush();
        client.readUntilReady();
        return client;
    }

    Socket socket() {
        return socket;
    }

    RawClient query(String sql) throws IOException {
        return send('Q', cstring(sql));
    }

    RawClient parse(String name, String sql, int... types) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        var d = new DataOutputStream(b);
        d.write(cstring(name));
        d.write(cstring(sql));
        d.writeShort(types.length);
        for (int t : types) {
            d.writeInt(t);
        }
        return send('P', b.toByteArray());
    }

    /** Bind with text parameters (null for NULL) and text results. */
    RawClient bind(String portal, String statement, String... values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        var d = new DataOutputStream(b);
        d.write(cstring(portal));
        d.write(cstring(statement));
        d.writeShort(0);
        d.writeShort(values.length);
        for (String v : values) {
            if (v == null) {
                d.writeInt(-1);
            } else {
                byte[] bytes = v.getBytes(UTF_8);
                d.writeInt(bytes.length);
                d.write(bytes);
            }
        }
        d.writeShort(0);
        return send('B', b.toByteArray());
    }

    RawClient describe(char kind, String name) throws IOException {
        byte[] n = cstring(name);
        byte[] body = new byte[n.length + 1];
        body[0] = (byte) kind;
        System.arraycopy(n, 0, body, 1, n.length);
        return send('D', body);
    }

    RawClient execute(String portal, int maxRows) throws IOException {
        byte[] p = cstring(portal);
        byte[] body = new byte[p.length + 4];
        System.arraycopy(p, 0, body, 0, p.length);
        body[p.length] = (byte) (maxRows >>> 24);
        body[p.length + 1] = (byte) (maxRows >>> 16);
        body[p.length + 2] = (byte) (maxRows >>> 8);
        body[p.length + 3] = (byte) maxRows;
        return send('E', body);
    }

    RawClient close(char kind, String name) throws IOException {
        byte[] n = cstring(name);
        byte[] body = new byte[n.length + 1];
        body[0] = (byte) kind;
        System.arraycopy(n, 0, body, 1, n.length);
        return send('C', body);
    }

    RawClient sync() throws IOException {
        return send('S');
    }

    RawClient send(char type, byte[]... parts) throws IOException {
        int length = 4;
        for (byte[] p : parts) {
            length += p.length;
        }
        out.writeByte(type);
        out.writeInt(length);
        for (byte[] p : parts) {
            out.write(p);
        }
        return this;
    }

    /** Flushes what was sent and reads every message up to and including {@code readies} ReadyForQuery. */
    List<Message> await(int readies) throws IOException {
        out.flush();
        List<Message> messages = new ArrayList<>();
        int seen = 0;
        while (seen < readies) {
            Message m = next();
            if (m.type() == 'N' || m.type() == 'S') {
                continue; // notices and parameter changes may differ between servers
            }
            messages.add(m);
            if (m.type() == 'Z') {
                seen++;
            }
        }
        return messages;
    }

    List<Message> readUntilReady() throws IOException {
        return await(1);
    }

    Message next() throws IOException {
        char type = (char) in.readUnsignedByte();
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        return new Message(type, summary(type, body));
    }

    private static String summary(char type, byte[] body) {
        return switch (type) {
            case 'C' -> new String(body, 0, body.length - 1, UTF_8);
            case 'Z' -> String.valueOf((char) body[0]);
            case 'E' -> fields(body).get('C');
            case 'T', 'D' -> Integer.toString(((body[0] & 0xFF) << 8) | (body[1] & 0xFF));
            case 't' -> Integer.toString(((body[0] & 0xFF) << 8) | (body[1] & 0xFF));
            default -> "";
        };
    }

    static Map<Character, String> fields(byte[] body) {
        Map<Character, String> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < body.length && body[i] != 0) {
            char code = (char) body[i++];
            int end = i;
            while (body[end] != 0) {
                end++;
            }
            fields.put(code, new String(body, i, end - i, UTF_8));
            i = end + 1;
        }
        return fields;
    }

    static byte[] cstring(String s) {
        byte[] bytes = s.getBytes(UTF_8);
        byte[] result = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, result, 0, bytes.length);
        return result;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
