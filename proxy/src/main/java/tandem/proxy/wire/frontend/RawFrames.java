package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import tandem.proxy.wire.Frames;

/**
 * One or more whole client messages passed through undecoded, type bytes and lengths included:
 * what a relay forwards as it came needs no record of its own. Holds one reference to
 * {@code frames}; whoever writes or drops it releases it.
 */
public record RawFrames(ByteBuf frames) implements FrontendMessage, ReferenceCounted {

    /** The type of the message starting at {@code index}. */
    public static char typeAt(ByteBuf frames, int index) {
        return (char) (frames.getByte(index) & 0xFF);
    }

    /** Where the message after the one starting at {@code index} starts. */
    public static int next(ByteBuf frames, int index) {
        return index + 1 + frames.getInt(index + 1);
    }

    /** Where the body of the message starting at {@code index} starts. */
    public static int bodyAt(int index) {
        return index + Frames.HEADER_LENGTH;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeBytes(frames, frames.readerIndex(), frames.readableBytes());
    }

    @Override
    public int refCnt() {
        return frames.refCnt();
    }

    @Override
    public RawFrames retain() {
        frames.retain();
        return this;
    }

    @Override
    public RawFrames retain(int increment) {
        frames.retain(increment);
        return this;
    }

    @Override
    public RawFrames touch() {
        frames.touch();
        return this;
    }

    @Override
    public RawFrames touch(Object hint) {
        frames.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return frames.release();
    }

    @Override
    public boolean release(int decrement) {
        return frames.release(decrement);
    }

    @Override
    public String toString() {
        return "RawFrames[" + frames.readableBytes() + " bytes]";
    }
}
