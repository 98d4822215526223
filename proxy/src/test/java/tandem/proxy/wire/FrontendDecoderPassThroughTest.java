package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import tandem.proxy.wire.frontend.Execute;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.RawFrames;
import tandem.proxy.wire.frontend.StartupMessage;
import tandem.proxy.wire.frontend.Sync;

class FrontendDecoderPassThroughTest {

    private static EmbeddedChannel loggedIn(FrontendDecoder decoder) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        ByteBuf startup = Unpooled.buffer();
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("user", "app");
        StartupMessage.of(parameters).encode(startup);
        channel.writeInbound(startup);
        assertThat((Object) channel.readInbound()).isInstanceOf(StartupMessage.class);
        return channel;
    }

    private static ByteBuf bytes(tandem.proxy.wire.frontend.FrontendMessage... messages) {
        ByteBuf out = Unpooled.buffer();
        for (var m : messages) {
            m.encode(out);
        }
        return out;
    }

    @Test
    void consecutivePassThroughMessagesArriveAsOneRunOfTheirOwnBytes() {
        FrontendDecoder decoder = new FrontendDecoder();
        EmbeddedChannel channel = loggedIn(decoder);
        decoder.passThrough(Set.of('E', 'S'));
        ByteBuf sent = bytes(new Query("SELECT 1"), new Execute("", 0), Sync.INSTANCE, new Query("SELECT 2"), Sync.INSTANCE);
        ByteBuf expectedRun = bytes(new Execute("", 0), Sync.INSTANCE);
        ByteBuf expectedSync = bytes(Sync.INSTANCE);
        channel.writeInbound(sent);

        assertThat((Object) channel.readInbound()).isEqualTo(new Query("SELECT 1"));
        RawFrames run = channel.readInbound();
        assertThat(ByteBufUtil.hexDump(run.frames())).isEqualTo(ByteBufUtil.hexDump(expectedRun));
        run.release();
        assertThat((Object) channel.readInbound()).isEqualTo(new Query("SELECT 2"));
        RawFrames sync = channel.readInbound();
        assertThat(ByteBufUtil.hexDump(sync.frames())).isEqualTo(ByteBufUtil.hexDump(expectedSync));
        sync.release();
        assertThat((Object) channel.readInbound()).isNull();
        expectedRun.release();
        expectedSync.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aRunSplitAcrossReadsWaitsForWholeMessages() {
        FrontendDecoder decoder = new FrontendDecoder();
        EmbeddedChannel channel = loggedIn(decoder);
        decoder.passThrough(Set.of('E', 'S'));
        ByteBuf all = bytes(new Execute("portal", 10), Sync.INSTANCE);
        for (int split = 1; split < all.readableBytes(); split++) {
            channel.writeInbound(all.retainedSlice(0, split));
            channel.writeInbound(all.retainedSlice(split, all.readableBytes() - split));
            StringBuilder seen = new StringBuilder();
            RawFrames raw;
            while ((raw = channel.readInbound()) != null) {
                seen.append(ByteBufUtil.hexDump(raw.frames()));
                raw.release();
            }
            assertThat(seen.toString()).as("split at %d", split).isEqualTo(ByteBufUtil.hexDump(all));
        }
        all.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void passedThroughMessagesAreStillHeldToTheirLimits() {
        FrontendDecoder decoder = new FrontendDecoder(1 << 20);
        EmbeddedChannel channel = loggedIn(decoder);
        decoder.passThrough(Set.of('E', 'S'));
        ByteBuf oversized = Unpooled.buffer();
        oversized.writeByte('E');
        oversized.writeInt(FrontendDecoder.SMALL_MESSAGE_LIMIT + 1);
        assertThatThrownBy(() -> channel.writeInbound(oversized)).isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(ProtocolException.class).hasMessageContaining("exceeds the limit");
        channel.finishAndReleaseAll();
    }

    @Test
    void terminateAndPasswordMessagesCannotPassThrough() {
        FrontendDecoder decoder = new FrontendDecoder();
        assertThatThrownBy(() -> decoder.passThrough(Set.of('X'))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decoder.passThrough(Set.of('p'))).isInstanceOf(IllegalArgumentException.class);
    }
}
