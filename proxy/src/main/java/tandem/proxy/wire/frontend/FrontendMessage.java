package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;

/**
 * A message a client sends to a PostgreSQL server; tandem decodes it from clients
 * ({@code FrontendDecoder}, whose static {@code decode(type, body)} is the one switch over the type
 * table) and encodes it to its backends. Only CopyData holds a buffer and must be released.
 */
public sealed interface FrontendMessage
        permits StartupMessage, SSLRequest, GSSENCRequest, CancelRequest, AuthenticationResponse, Query, Parse, Bind,
        Describe, Execute, Close, Sync, Flush, CopyData, CopyDone, CopyFail, FunctionCall, Terminate, RawFrames {

    /** Writes the whole message, type byte and length included. */
    void encode(ByteBuf out);
}
