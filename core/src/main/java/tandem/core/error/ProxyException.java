package tandem.core.error;

import java.util.Objects;

/**
 * An error tandem raises itself, carrying what a PostgreSQL ErrorResponse carries: a SQLSTATE, a
 * message, and optionally a detail and a hint that tells the reader what to do. {@code fatal}
 * errors end the client's connection after they are sent.
 */
public class ProxyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final SqlState state;
    private final String detail;
    private final String hint;
    private final boolean fatal;

    public ProxyException(SqlState state, String message) {
        this(state, message, null, null, false, null);
    }

    public ProxyException(SqlState state, String message, String detail, String hint) {
        this(state, message, detail, hint, false, null);
    }

    public ProxyException(SqlState state, String message, String detail, String hint, boolean fatal, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.state = Objects.requireNonNull(state, "state");
        this.detail = detail;
        this.hint = hint;
        this.fatal = fatal;
    }

    public static ProxyException fatal(SqlState state, String message, String hint) {
        return new ProxyException(state, message, null, hint, true, null);
    }

    public SqlState state() {
        return state;
    }

    public String detail() {
        return detail;
    }

    public String hint() {
        return hint;
    }

    public boolean isFatal() {
        return fatal;
    }

    @Override
    public String toString() {
        return state.code() + ": " + getMessage();
    }
}
