package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/** Malformed input through a decoder: it must fail with 08P01, and then stay quiet. */
final class DecoderAssertions {

    private DecoderAssertions() {
    }

    /**
     * Feeds {@code input} whole and then byte by byte; both times the decoder must fail with a
     * {@link ProtocolException} whose message contains {@code expected}, emit {@code before}
     * first, and afterwards drop further input without another error.
     */
    static void assertProtocolViolation(Supplier<ChannelHandler> decoder, byte[] input, String expected, Object... before) {
        for (boolean bytewise : new boolean[] {false, true}) {
            EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
            Throwable thrown = null;
            int chunk = bytewise ? 1 : input.length;
            for (int i = 0; i < input.length && thrown == null; i += chunk) {
                int at = i;
                thrown = catchThrowable(() -> channel.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(chunk, input.length - at))));
            }
            assertThat(thrown).as(bytewise ? "fed byte by byte" : "fed whole").isInstanceOf(DecoderException.class);
            assertThat(thrown.getCause()).isInstanceOf(ProtocolException.class).hasMessageContaining(expected);
            assertThat(drain(channel)).containsExactly(before);
            // whatever follows is dropped: the connection is closing
            channel.writeInbound(Unpooled.wrappedBuffer(Fixture.hex("53 00000004 51 00000005 00")));
            assertThat(drain(channel)).isEmpty();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    static List<Object> drain(EmbeddedChannel channel) {
        List<Object> messages = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null;) {
            messages.add(WireAssertions.describe(m));
            ReferenceCountUtil.release(m);
        }
        return messages;
    }
}
