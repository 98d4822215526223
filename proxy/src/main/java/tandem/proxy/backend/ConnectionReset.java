package tandem.proxy.backend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import tandem.proxy.wire.frontend.Query;

/**
 * Returns a connection a client has left to its pristine state before the next client gets it, as
 * PgBouncer's server_reset_query does: {@code DISCARD ALL} drops settings, prepared statements,
 * temporary tables, LISTENs, advisory locks and cursors in one round trip. A connection that does
 * not answer in time, or answers with an error, is closed instead.
 */
final class ConnectionReset implements BackendListener {

    private static final Logger log = LoggerFactory.getLogger(ConnectionReset.class);
    private static final String RESET = "DISCARD ALL";

    private final BackendConnection connection;
    private final BackendPool pool;
    private final ScheduledFuture<?> timeout;
    private boolean failed;
    private boolean done;

    private ConnectionReset(BackendConnection connection, BackendPool pool, long timeoutMillis) {
        this.connection = connection;
        this.pool = pool;
        this.timeout = connection.loop().schedule(() -> finish(false, "no answer within " + timeoutMillis + " ms"),
                timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Resets {@code connection} (idle, outside a transaction) and gives it back to {@code pool}. */
    static void start(BackendConnection connection, BackendPool pool, long timeoutMillis) {
        connection.loop().execute(() -> {
            ConnectionReset reset = new ConnectionReset(connection, pool, timeoutMillis);
            connection.attach(reset);
            ByteBuf out = connection.channel().alloc().buffer(32);
            new Query(RESET).encode(out);
            connection.send(out);
        });
    }

    @Override
    public EventLoop loop() {
        return connection.loop();
    }

    @Override
    public void onFrames(BackendConnection c, ByteBuf frames) {
        try {
            while (frames.isReadable()) {
                char type = (char) frames.readByte();
                int length = frames.readInt();
                if (type == 'E') {
                    failed = true;
                } else if (type == 'Z') {
                    finish(!failed && frames.getByte(frames.readerIndex()) == 'I', "the server refused " + RESET);
                }
                frames.skipBytes(length - 4);
            }
        } finally {
            frames.release();
        }
    }

    private void finish(boolean clean, String problem) {
        if (done) {
            return;
        }
        done = true;
        timeout.cancel(false);
        if (clean) {
            connection.forgetSettings();
            connection.prepared().clear();
            connection.unnamedOwner(null);
            pool.release(connection);
        } else {
            log.info("closing {} instead of reusing it: {}", connection, problem);
            pool.discard(connection);
        }
    }

    @Override
    public void onClosed(BackendConnection c, Throwable cause) {
        finish(false, "it closed");
    }

    @Override
    public void onWritabilityChanged(BackendConnection c, boolean writable) {
    }
}
