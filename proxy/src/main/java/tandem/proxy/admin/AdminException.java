package tandem.proxy.admin;

/** A request the admin API refuses, with the HTTP status and a hint. */
public final class AdminException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String hint;

    public AdminException(int status, String message, String hint) {
        super(message, null, false, false);
        this.status = status;
        this.hint = hint;
    }

    public int status() {
        return status;
    }

    public String hint() {
        return hint;
    }
}
