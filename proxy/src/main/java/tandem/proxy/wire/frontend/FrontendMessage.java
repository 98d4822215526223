package tandem.proxy.wire.frontend;

import io.netty.buffer.ByteBuf;

/** A message a client sends to a PostgreSQL server; tandem decodes it from clients and encodes it to its backends. */
public sealed interface FrontendMessage
        permits StartupMessage, SSLRequest, GSSENCRequest, CancelRequest, AuthenticationResponse, Query, Parse, Bind,
        Describe, Execute, Close, Sync, Flush, CopyData, CopyDone, CopyFail, FunctionCall, Terminate {

    /** Writes the whole message, type byte and length included. */
    void encode(ByteBuf out);
}
