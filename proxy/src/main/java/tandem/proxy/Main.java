package tandem.proxy;

/** Entry point of the runnable jar; the commands come with the CLI. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("tandem: no commands yet");
        System.exit(2);
    }
}
