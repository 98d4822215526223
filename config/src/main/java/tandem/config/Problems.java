package tandem.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems while a file is read, so that all of them are reported at once. */
final class Problems {

    private final List<ConfigProblem> found = new ArrayList<>();

    void add(ConfigProblem problem) {
        found.add(problem);
    }

    void add(String path, String message, int line) {
        found.add(new ConfigProblem(path, message, line));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Whether a problem was already reported at {@code path} or at a key that holds it. */
    boolean covers(String path) {
        return found.stream().anyMatch(p -> KeyPaths.isWithin(path, p.path()));
    }

    /** In file order, which is how the user will walk through them; problems without a line last. */
    List<ConfigProblem> inFileOrder() {
        List<ConfigProblem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(p -> p.line() == 0 ? Integer.MAX_VALUE : p.line()));
        return sorted;
    }
}
