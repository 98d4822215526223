package tandem.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.proxy.wire.Fixture.hex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FramesTest {

    private static final byte[] TWO_FRAMES = hex("5a 00000005 49 44 00000006 0000");

    @Test
    void reportsTheNextCompleteFrameWithoutMovingIndexes() {
        ByteBuf in = Unpooled.wrappedBuffer(TWO_FRAMES);
        assertThat(Frames.completeLength(in, 100)).isEqualTo(6);
        assertThat(in.readerIndex()).isZero();
        in.skipBytes(6);
        assertThat(Frames.completeLength(in, 100)).isEqualTo(7);
    }

    @Test
    void reportsMinusOneUntilTheFrameIsComplete() {
        for (int available = 0; available < 6; available++) {
            assertThat(Frames.completeLength(Unpooled.wrappedBuffer(TWO_FRAMES, 0, available), 100)).as("%d bytes", available)
                    .isEqualTo(-1);
        }
        assertThat(Frames.completeLength(Unpooled.wrappedBuffer(TWO_FRAMES, 0, 6), 100)).isEqualTo(6);
    }

    @Test
    void failsOnTheHeaderAloneWhenTheLengthIsOutOfBounds() {
        assertThatThrownBy(() -> Frames.completeLength(Unpooled.wrappedBuffer(hex("44 7fffffff")), 67108864))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("message length 2147483647 exceeds the limit of 67108864 bytes (limits.maxMessageSize)");
        assertThatThrownBy(() -> Frames.completeLength(Unpooled.wrappedBuffer(hex("44 00000002")), 100))
                .isInstanceOf(ProtocolException.class).hasMessage("invalid message length 2 (expected: >= 4)");
    }
}
