package tandem.core.session;

/** Where a session stands between statements, as ReadyForQuery reports it. */
public enum TransactionStatus {
    IDLE('I'),
    IN_TRANSACTION('T'),
    FAILED('E');

    private final char code;

    TransactionStatus(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    public static TransactionStatus of(int code) {
        return switch (code) {
            case 'I' -> IDLE;
            case 'T' -> IN_TRANSACTION;
            case 'E' -> FAILED;
            default -> throw new IllegalArgumentException("unknown transaction status '" + (char) code + "'");
        };
    }
}
