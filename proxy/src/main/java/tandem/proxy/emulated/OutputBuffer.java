package tandem.proxy.emulated;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.netty.buffer.ByteBuf;
import tandem.proxy.session.ClientOutput;
import tandem.proxy.wire.backend.BackendMessage;

/**
 * Messages an emulated session writes from its worker thread, gathered into chunks and handed to
 * the client's event loop; the worker waits while the client is not reading, so a large result
 * streams instead of piling up in memory.
 */
final class OutputBuffer {

    private static final int CHUNK = 64 * 1024;

    private final ClientOutput out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private ByteBuf chunk;

    OutputBuffer(ClientOutput out) {
        this.out = out;
    }

    ByteBuf buffer() {
        if (chunk == null) {
            chunk = out.alloc().buffer(CHUNK);
        }
        return chunk;
    }

    void write(BackendMessage message) {
        message.encode(buffer());
        if (chunk.readableBytes() >= CHUNK) {
            handOver(false);
        }
    }

    /** After a DataRow was written straight into {@link #buffer()}. */
    void wrote() {
        if (chunk.readableBytes() >= CHUNK) {
            handOver(false);
        }
    }

    /** Sends what is gathered; with {@code flush}, pushes it to the client's socket. */
    void handOver(boolean flush) {
        if (chunk != null && chunk.isReadable()) {
            ByteBuf ready = chunk;
            chunk = null;
            awaitWritable();
            out.write(ready);
        }
        if (flush) {
            out.flush();
        }
    }

    void discard() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
    }

    /** Called on the event loop when the client's socket drains. */
    void writabilityChanged() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitWritable() {
        if (out.isWritable() || !out.isOpen()) {
            return;
        }
        out.flush();
        lock.lock();
        try {
            while (!out.isWritable() && out.isOpen()) {
                writable.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
