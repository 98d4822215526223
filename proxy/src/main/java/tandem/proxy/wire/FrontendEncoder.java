package tandem.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import tandem.proxy.wire.frontend.FrontendMessage;

/** Client side: writes {@link FrontendMessage} records to a PostgreSQL server, releasing any CopyData it writes. */
@Sharable
public final class FrontendEncoder extends MessageToByteEncoder<FrontendMessage> {

    public FrontendEncoder() {
        super(FrontendMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, FrontendMessage message, ByteBuf out) {
        message.encode(out);
    }
}
