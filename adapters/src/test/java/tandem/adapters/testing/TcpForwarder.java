package tandem.adapters.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP hop between tandem and a store that a test can cut: {@link #cut()} drops every connection
 * and refuses new ones, as a crashed server or a broken network would; {@link #restore()} lets
 * connections through again; {@link #stall()} keeps every connection open but holds the bytes in
 * flight (and new connections), as a stuck server or a network partition would, until {@link
 * #restore()} lets them through or {@link #cut()} drops them; {@link #delay} holds each answer of
 * the store for a while before passing it on, as a slow server would. Listens on loopback, on a
 * port of its own.
 */
public final class TcpForwarder implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean stalled;
    private volatile long delayNanos;
    private final ReentrantLock gate = new ReentrantLock();
    private final Condition flowing = gate.newCondition();

    public TcpForwarder(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("forwarder-accept").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** A JDBC URL to {@code database} through this forwarder. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public void cut() {
        cut = true;
        wake();
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /**
     * Holds what either side sends, and connections opened from now on, without closing anything:
     * the store looks alive and never answers.
     */
    public void stall() {
        stalled = true;
    }

    /** Holds every chunk the store sends for {@code d} before passing it on (zero: no delay). */
    public void delay(java.time.Duration d) {
        delayNanos = d.toNanos();
    }

    /** Lets connections through again: after a cut, new ones; after a stall, the held bytes too. */
    public void restore() {
        cut = false;
        stalled = false;
        wake();
    }

    private void wake() {
        gate.lock();
        try {
            flowing.signalAll();
        } finally {
            gate.unlock();
        }
    }

    /** Waits while stalled (a lock rather than a monitor, so a waiting virtual thread frees its carrier). */
    private void awaitFlowing() throws InterruptedException {
        gate.lock();
        try {
            while (stalled && !cut) {
                flowing.await();
            }
        } finally {
            gate.unlock();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket target = new Socket();
        try {
            if (stalled) {
                open.add(client);
                awaitFlowing();
                open.remove(client);
                if (cut) {
                    throw new IOException("cut while stalled");
                }
            }
            target.connect(new InetSocketAddress(targetHost, targetPort), 5000);
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
            closeQuietly(target);
            return;
        }
        open.add(client);
        open.add(target);
        Thread.ofVirtual().start(() -> pump(client, target, false));
        Thread.ofVirtual().start(() -> pump(target, client, true));
    }

    private void pump(Socket from, Socket to, boolean answers) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (stalled) {
                    awaitFlowing();
                }
                long delay = delayNanos;
                if (answers && delay > 0) {
                    Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away; the other follows
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
