package tandem.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import tandem.proxy.wire.backend.BackendMessage;

/** Server side: writes {@link BackendMessage} records to a client, releasing any CopyData it writes. */
@Sharable
public final class BackendEncoder extends MessageToByteEncoder<BackendMessage> {

    public BackendEncoder() {
        super(BackendMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, BackendMessage message, ByteBuf out) {
        message.encode(out);
    }
}
