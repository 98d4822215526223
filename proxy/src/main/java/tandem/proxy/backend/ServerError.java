package tandem.proxy.backend;

import tandem.proxy.wire.backend.ErrorResponse;

/** An error a PostgreSQL store reported for work tandem did on a client's behalf, with every field the server sent. */
public final class ServerError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorResponse response;

    public ServerError(ErrorResponse response) {
        super(response.code() + ": " + response.message(), null, false, false);
        this.response = response;
    }

    public ErrorResponse response() {
        return response;
    }
}
