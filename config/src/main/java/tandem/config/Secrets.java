package tandem.config;

/** How secrets look in {@code toString()}: whether one is set shows, its value never does. */
final class Secrets {

    private Secrets() {
    }

    static String mask(String secret) {
        return secret == null ? "null" : "***";
    }
}
