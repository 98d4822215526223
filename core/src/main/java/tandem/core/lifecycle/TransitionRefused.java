package tandem.core.lifecycle;

/** A command the migration's phase does not allow now: what must happen first is in the message and the hint. */
public final class TransitionRefused extends RuntimeException {

    private final String hint;

    public TransitionRefused(String message, String hint) {
        super(message, null, false, false);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
