package tandem.loadtest;

/**
 * The audit could not run to the end: a store could not be read. Kept apart from an
 * {@link AuditResult}, which says whether the data is the same.
 */
public final class AuditException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
