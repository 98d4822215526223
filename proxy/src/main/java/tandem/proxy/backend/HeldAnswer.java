package tandem.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * What the secondary answers to a read batch, held back from the client until the batch's
 * ReadyForQuery: if the secondary fails, the answer is dropped and the batch runs again on the
 * primary, and the client never sees half of it. An answer too large to hold is let through once it
 * passes the limit; from then on the batch belongs to the secondary, errors included.
 */
final class HeldAnswer {

    static final int LIMIT = 1024 * 1024;

    private final CompositeByteBuf held;
    private boolean passedLimit;

    HeldAnswer(ByteBufAllocator alloc) {
        this.held = alloc.compositeBuffer(64);
    }

    /** Takes {@code bytes}; returns what must go to the client now (null while holding). */
    ByteBuf add(ByteBuf bytes) {
        if (passedLimit) {
            return bytes;
        }
        held.addComponent(true, bytes);
        if (held.readableBytes() > LIMIT) {
            passedLimit = true;
            return held.retainedDuplicate();
        }
        return null;
    }

    /** Whether a failure can still be hidden: nothing reached the client yet. */
    boolean canRetry() {
        return !passedLimit;
    }

    /** The answer is good: what is still held goes to the client. */
    ByteBuf release() {
        if (passedLimit) {
            held.release();
            return null;
        }
        return held;
    }

    void discard() {
        held.release();
    }
}
