package tandem.proxy.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import tandem.proxy.wire.backend.Authentication;
import tandem.proxy.wire.backend.BackendKeyData;
import tandem.proxy.wire.backend.BackendMessage;
import tandem.proxy.wire.backend.BindComplete;
import tandem.proxy.wire.backend.CloseComplete;
import tandem.proxy.wire.backend.CommandComplete;
import tandem.proxy.wire.backend.CopyBothResponse;
import tandem.proxy.wire.backend.CopyData;
import tandem.proxy.wire.backend.CopyDone;
import tandem.proxy.wire.backend.CopyInResponse;
import tandem.proxy.wire.backend.CopyOutResponse;
import tandem.proxy.wire.backend.DataRow;
import tandem.proxy.wire.backend.EmptyQueryResponse;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.FunctionCallResponse;
import tandem.proxy.wire.backend.NegotiateProtocolVersion;
import tandem.proxy.wire.backend.NoData;
import tandem.proxy.wire.backend.NoticeResponse;
import tandem.proxy.wire.backend.NotificationResponse;
import tandem.proxy.wire.backend.ParameterDescription;
import tandem.proxy.wire.backend.ParameterStatus;
import tandem.proxy.wire.backend.ParseComplete;
import tandem.proxy.wire.backend.PortalSuspended;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.backend.RowDescription;

/**
 * Client side: turns a PostgreSQL server's bytes into {@link BackendMessage} records, for
 * tandem's own connections while they start up and authenticate. The hot path forwards frames
 * undecoded ({@link Frames#completeLength}). After a {@link ProtocolException} the rest of the
 * input is dropped.
 */
public final class BackendDecoder extends ByteToMessageDecoder {

    private final int maxMessageSize;
    private boolean failed;

    public BackendDecoder() {
        this(Frames.DEFAULT_MAX_MESSAGE_SIZE);
    }

    public BackendDecoder(int maxMessageSize) {
        this.maxMessageSize = Frames.checkMaxMessageSize(maxMessageSize);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            int frameLength = Frames.completeLength(in, maxMessageSize);
            if (frameLength < 0) {
                return;
            }
            char type = (char) (in.readByte() & 0xFF);
            in.skipBytes(4);
            out.add(decode(type, in.readSlice(frameLength - Frames.HEADER_LENGTH)));
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /**
     * Decodes the body of a backend message: the one switch over the type table. The whole body
     * must be consumed. A CopyData result holds a retained slice of {@code body}.
     */
    public static BackendMessage decode(char type, ByteBuf body) {
        BackendMessage message = switch (type) {
            case Authentication.TYPE -> Authentication.decode(body);
            case ParameterStatus.TYPE -> ParameterStatus.decode(body);
            case BackendKeyData.TYPE -> BackendKeyData.decode(body);
            case ReadyForQuery.TYPE -> ReadyForQuery.decode(body);
            case RowDescription.TYPE -> RowDescription.decode(body);
            case DataRow.TYPE -> DataRow.decode(body);
            case CommandComplete.TYPE -> CommandComplete.decode(body);
            case EmptyQueryResponse.TYPE -> EmptyQueryResponse.INSTANCE;
            case ErrorResponse.TYPE -> ErrorResponse.decode(body);
            case NoticeResponse.TYPE -> NoticeResponse.decode(body);
            case ParseComplete.TYPE -> ParseComplete.INSTANCE;
            case BindComplete.TYPE -> BindComplete.INSTANCE;
            case CloseComplete.TYPE -> CloseComplete.INSTANCE;
            case NoData.TYPE -> NoData.INSTANCE;
            case ParameterDescription.TYPE -> ParameterDescription.decode(body);
            case PortalSuspended.TYPE -> PortalSuspended.INSTANCE;
            case CopyInResponse.TYPE -> CopyInResponse.decode(body);
            case CopyOutResponse.TYPE -> CopyOutResponse.decode(body);
            case CopyBothResponse.TYPE -> CopyBothResponse.decode(body);
            case CopyData.TYPE -> CopyData.decode(body);
            case CopyDone.TYPE -> CopyDone.INSTANCE;
            case NotificationResponse.TYPE -> NotificationResponse.decode(body);
            case NegotiateProtocolVersion.TYPE -> NegotiateProtocolVersion.decode(body);
            case FunctionCallResponse.TYPE -> FunctionCallResponse.decode(body);
            default -> throw new ProtocolException("unknown backend message type " + Frames.describeType(type));
        };
        return Frames.requireConsumed(message, body);
    }
}
