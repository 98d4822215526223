package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/** Encoding to bytes, comparing bytes with a hex dump, and feeding bytes through a decoder. */
public final class WireAssertions {

    private WireAssertions() {
    }

    public static byte[] encode(Consumer<ByteBuf> encoder) {
        ByteBuf out = Unpooled.buffer();
        try {
            encoder.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    public static void assertSameBytes(byte[] actual, byte[] expected) {
        if (!Arrays.equals(actual, expected)) {
            fail("bytes differ%nexpected:%n%s%nactual:%n%s", ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(expected)),
                    ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(actual)));
        }
    }

    /** Feeds {@code input} in two writes split at {@code split} and returns what came out, in order. */
    public static List<Object> feedSplit(Supplier<ChannelHandler> decoder, byte[] input, int split) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
        channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
        channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
        return drain(channel);
    }

    /** Feeds {@code input} one byte per write. */
    public static List<Object> feedBytewise(Supplier<ChannelHandler> decoder, byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
        for (int i = 0; i < input.length; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(input, i, 1));
        }
        return drain(channel);
    }

    /** Feeds all of {@code input} at once. */
    public static List<Object> feed(Supplier<ChannelHandler> decoder, byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
        channel.writeInbound(Unpooled.wrappedBuffer(input));
        return drain(channel);
    }

    /**
     * Reads every message out, then releases them: records compare by content, so the caller
     * compares after the buffers are gone only for messages that copy (everything but CopyData).
     * CopyData is compared through {@link #describe}.
     */
    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> messages = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null;) {
            messages.add(describe(m));
            ReferenceCountUtil.release(m);
        }
        if (channel.finish()) {
            fail("decoder produced messages at close");
        }
        return messages;
    }

    /** A released CopyData cannot be compared any more, so it is compared by a copy of its bytes. */
    public static Object describe(Object message) {
        if (message instanceof tandem.proxy.wire.frontend.CopyData c) {
            return "frontend CopyData " + ByteBufUtil.hexDump(c.data());
        }
        if (message instanceof tandem.proxy.wire.backend.CopyData c) {
            return "backend CopyData " + ByteBufUtil.hexDump(c.data());
        }
        return message;
    }
}
