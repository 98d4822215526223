package tandem.proxy.wire.backend;

import io.netty.buffer.ByteBuf;

/**
 * A message a PostgreSQL server sends; tandem encodes it to clients and decodes it from its
 * backends ({@code BackendDecoder}, whose static {@code decode(type, body)} is the one switch over
 * the type table). Only CopyData holds a buffer and must be released.
 */
public sealed interface BackendMessage
        permits Authentication, ParameterStatus, BackendKeyData, ReadyForQuery, RowDescription, DataRow,
        CommandComplete, EmptyQueryResponse, ErrorResponse, NoticeResponse, ParseComplete, BindComplete,
        CloseComplete, NoData, ParameterDescription, PortalSuspended, CopyInResponse, CopyOutResponse,
        CopyBothResponse, CopyData, CopyDone, NotificationResponse, NegotiateProtocolVersion,
        FunctionCallResponse {

    /** Writes the whole message, type byte and length included. */
    void encode(ByteBuf out);
}
