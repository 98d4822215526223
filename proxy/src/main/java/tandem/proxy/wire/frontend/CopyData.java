package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import tandem.proxy.wire.Wire;

/**
 * COPY FROM STDIN: a chunk of the data stream. Holds its bytes without copying them, so it is
 * reference-counted: {@link #decode} returns a CopyData owning one reference to a retained slice
 * of the frame, and whoever holds the message last releases it ({@link #release()}, or Netty's
 * {@code ReferenceCountUtil.release}). {@link #encode} does not release. The constructor takes
 * over the caller's reference to {@code data}.
 */
public record CopyData(ByteBuf data) implements FrontendMessage, ReferenceCounted {

    public static final char TYPE = 'd';

    public static CopyData decode(ByteBuf body) {
        return new CopyData(body.readRetainedSlice(body.readableBytes()));
    }

    @Override
    public void encode(ByteBuf out) {
        int start = Wire.beginMessage(out, TYPE);
        out.writeBytes(data, data.readerIndex(), data.readableBytes());
        Wire.endMessage(out, start);
    }

    @Override
    public int refCnt() {
        return data.refCnt();
    }

    @Override
    public CopyData retain() {
        data.retain();
        return this;
    }

    @Override
    public CopyData retain(int increment) {
        data.retain(increment);
        return this;
    }

    @Override
    public CopyData touch() {
        data.touch();
        return this;
    }

    @Override
    public CopyData touch(Object hint) {
        data.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return data.release();
    }

    @Override
    public boolean release(int decrement) {
        return data.release(decrement);
    }

    @Override
    public String toString() {
        return "CopyData[" + data.readableBytes() + " bytes]";
    }
}
