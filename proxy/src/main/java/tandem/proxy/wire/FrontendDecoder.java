package tandem.proxy.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.proxy.wire.frontend.AuthenticationResponse;
import tandem.proxy.wire.frontend.Bind;
import tandem.proxy.wire.frontend.CancelRequest;
import tandem.proxy.wire.frontend.Close;
import tandem.proxy.wire.frontend.CopyData;
import tandem.proxy.wire.frontend.CopyDone;
import tandem.proxy.wire.frontend.CopyFail;
import tandem.proxy.wire.frontend.Describe;
import tandem.proxy.wire.frontend.Execute;
import tandem.proxy.wire.frontend.Flush;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.FunctionCall;
import tandem.proxy.wire.frontend.GSSENCRequest;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.RawFrames;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.SSLRequest;
import tandem.proxy.wire.frontend.StartupMessage;
import tandem.proxy.wire.frontend.Sync;
import tandem.proxy.wire.frontend.Terminate;

/**
 * Server side: turns a client's bytes into {@link FrontendMessage} records. A connection starts
 * with untyped packets (SSLRequest or GSSENCRequest, each answered and followed by another
 * packet; a CancelRequest, after which nothing is read; or a StartupMessage); after the
 * StartupMessage every frame is typed. A length outside the limits fails before the body is
 * buffered; after a {@link ProtocolException} the rest of the input is dropped, as the connection
 * is about to close.
 */
public final class FrontendDecoder extends ByteToMessageDecoder {

    /** PostgreSQL's limit on a startup packet (MAX_STARTUP_PACKET_LENGTH). */
    public static final int MAX_STARTUP_PACKET_LENGTH = 10000;
    /** PostgreSQL's limit on messages that carry no data of the user's (PQ_SMALL_MESSAGE_LIMIT). */
    public static final int SMALL_MESSAGE_LIMIT = 10000;

    private enum State { STARTUP, MESSAGES, DISCARD }

    private final int maxMessageSize;
    private State state = State.STARTUP;
    /** Message types handed on undecoded, as {@link RawFrames}; indexed by type byte. */
    private final boolean[] passThrough = new boolean[128];

    public FrontendDecoder() {
        this(Frames.DEFAULT_MAX_MESSAGE_SIZE);
    }

    public FrontendDecoder(int maxMessageSize) {
        this.maxMessageSize = Frames.checkMaxMessageSize(maxMessageSize);
    }

    /**
     * From now on, messages of these types are not decoded but handed on as they came, consecutive
     * ones together: a relay that forwards them unchanged needs no records. Call on the channel's
     * event loop. The frame headers are still checked (type, length limits).
     */
    public void passThrough(java.util.Set<Character> types) {
        java.util.Arrays.fill(passThrough, false);
        for (char type : types) {
            if (type == Terminate.TYPE || type == AuthenticationResponse.TYPE || type >= passThrough.length) {
                throw new IllegalArgumentException("cannot pass through messages of type '" + type + "'");
            }
            passThrough[type] = true;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case STARTUP -> decodeStartupPacket(in, out);
                case MESSAGES -> decodeMessage(in, out);
                case DISCARD -> in.skipBytes(in.readableBytes());
            }
        } catch (ProtocolException e) {
            state = State.DISCARD;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeStartupPacket(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 8 || length > MAX_STARTUP_PACKET_LENGTH) {
            throw new ProtocolException("invalid length of startup packet: " + length + " (expected: 8 to "
                    + MAX_STARTUP_PACKET_LENGTH + " bytes)");
        }
        if (in.readableBytes() < length) {
            return;
        }
        int code = in.getInt(in.readerIndex() + 4);
        in.skipBytes(4);
        ByteBuf body = in.readSlice(length - 4);
        switch (code) {
            case SSLRequest.CODE -> out.add(SSLRequest.decode(body));
            case GSSENCRequest.CODE -> out.add(GSSENCRequest.decode(body));
            case CancelRequest.CODE -> {
                out.add(CancelRequest.decode(body));
                state = State.DISCARD;
            }
            default -> {
                if (code >>> 16 != 3) {
                    state = State.DISCARD;
                    throw ProxyException.fatal(SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol "
                            + (code >>> 16) + "." + (code & 0xFFFF) + ": tandem supports 3.0", null);
                }
                out.add(StartupMessage.decode(body));
                state = State.MESSAGES;
            }
        }
    }

    private void decodeMessage(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        char type = (char) (in.getByte(in.readerIndex()) & 0xFF);
        int limit = Math.min(maxMessageSize, limitFor(type));
        if (in.readableBytes() < Frames.HEADER_LENGTH) {
            return;
        }
        int length = in.getInt(in.readerIndex() + 1);
        if (length > limit && limit < maxMessageSize) {
            throw new ProtocolException(describe(type) + " message length " + length + " exceeds the limit of "
                    + limit + " bytes");
        }
        Frames.checkLength(length, limit);
        if (in.readableBytes() <= length) {
            return;
        }
        if (type < passThrough.length && passThrough[type]) {
            out.add(new RawFrames(in.readRetainedSlice(passThroughRun(in))));
            return;
        }
        in.skipBytes(Frames.HEADER_LENGTH);
        out.add(decode(type, in.readSlice(length - 4)));
    }

    /** The bytes of the complete pass-through messages at the start of {@code in}, checked like any other. */
    private int passThroughRun(ByteBuf in) {
        int start = in.readerIndex();
        int at = start;
        int end = in.writerIndex();
        while (end - at >= Frames.HEADER_LENGTH) {
            char type = (char) (in.getByte(at) & 0xFF);
            if (type >= passThrough.length || !passThrough[type]) {
                break;
            }
            int length = in.getInt(at + 1);
            int limit = Math.min(maxMessageSize, limitFor(type));
            if (length < 4 || length > limit) {
                break; // the next decode call reports it
            }
            if (end - at - 1 < length) {
                break;
            }
            at += 1 + length;
        }
        return at - start;
    }

    /** The size limit of each type; fails on a type that is not a frontend message. */
    private static int limitFor(char type) {
        return switch (type) {
            case Describe.TYPE, Close.TYPE, Execute.TYPE, Sync.TYPE, Flush.TYPE, Terminate.TYPE -> SMALL_MESSAGE_LIMIT;
            case Query.TYPE, Parse.TYPE, Bind.TYPE, AuthenticationResponse.TYPE, CopyData.TYPE, CopyDone.TYPE,
                    CopyFail.TYPE, FunctionCall.TYPE -> Integer.MAX_VALUE;
            default -> throw unknownType(type);
        };
    }

    /**
     * Decodes the body of a typed frontend message: the one switch over the type table. The whole
     * body must be consumed. A CopyData result holds a retained slice of {@code body}.
     */
    public static FrontendMessage decode(char type, ByteBuf body) {
        FrontendMessage message = switch (type) {
            case Query.TYPE -> Query.decode(body);
            case Parse.TYPE -> Parse.decode(body);
            case Bind.TYPE -> Bind.decode(body);
            case Describe.TYPE -> Describe.decode(body);
            case Execute.TYPE -> Execute.decode(body);
            case Close.TYPE -> Close.decode(body);
            case Sync.TYPE -> Sync.INSTANCE;
            case Flush.TYPE -> Flush.INSTANCE;
            case AuthenticationResponse.TYPE -> AuthenticationResponse.decode(body);
            case CopyData.TYPE -> CopyData.decode(body);
            case CopyDone.TYPE -> CopyDone.INSTANCE;
            case CopyFail.TYPE -> CopyFail.decode(body);
            case FunctionCall.TYPE -> FunctionCall.decode(body);
            case Terminate.TYPE -> Terminate.INSTANCE;
            default -> throw unknownType(type);
        };
        return Frames.requireConsumed(message, body);
    }

    private static ProtocolException unknownType(char type) {
        return new ProtocolException("unknown frontend message type " + Frames.describeType(type));
    }

    private static String describe(char type) {
        return switch (type) {
            case Describe.TYPE -> "Describe";
            case Close.TYPE -> "Close";
            case Execute.TYPE -> "Execute";
            case Sync.TYPE -> "Sync";
            case Flush.TYPE -> "Flush";
            case Terminate.TYPE -> "Terminate";
            default -> "type " + Frames.describeType(type);
        };
    }
}
