package tandem.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration: the dotted path of the key ({@code stores.new.pool.mode},
 * {@code users[1].name}), what is wrong with it, and the line in the file where it is, or 0 when
 * the configuration was built in code or the key is absent from the file.
 */
public record ConfigProblem(String path, String message, int line) {

    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    ConfigProblem(String path, String message) {
        this(path, message, 0);
    }

    ConfigProblem atLine(int newLine) {
        return new ConfigProblem(path, message, newLine);
    }

    /** {@code path: message}, the shape every problem is reported in. */
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
