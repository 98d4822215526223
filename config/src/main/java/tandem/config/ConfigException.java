package tandem.config;

import java.util.List;

/**
 * A configuration that can't be used, with every problem found in it, so that the whole file can be
 * fixed in one pass. The message is meant to be shown to the user as it is:
 *
 * <pre>
 * Invalid configuration in tandem.yaml (2 problems):
 *   listen: '0.0.0.0:70000' has port 70000 out of range (expected: 0 to 65535) (line 1)
 *   stores.new.pool.mode: 'sesion' is not one of: session, transaction (line 14)
 * </pre>
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient List<ConfigProblem> problems;

    /**
     * @param source the file name the configuration came from, or null when it was built in code
     * @param problems at least one problem
     */
    public ConfigException(String source, List<ConfigProblem> problems) {
        this(source, problems, invalidMessage(source, problems));
    }

    private ConfigException(String source, List<ConfigProblem> problems, String message) {
        super(message);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    static ConfigException unreadable(String source, String reason) {
        String message = "Cannot read configuration file " + source + ": " + reason;
        return new ConfigException(source, List.of(new ConfigProblem("", reason)), message);
    }

    static ConfigException syntax(String source, int line, int column, String reason) {
        String message = "YAML syntax error in " + source + " at line " + line + ", column " + column + ": " + reason;
        return new ConfigException(source, List.of(new ConfigProblem("", reason, line)), message);
    }

    /** The file name the configuration came from, or null when it was built in code. */
    public String source() {
        return source;
    }

    /** Every problem found, in the order of the lines they are on (problems without a line last). */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String invalidMessage(String source, List<ConfigProblem> problems) {
        StringBuilder out = new StringBuilder("Invalid configuration");
        if (source != null) {
            out.append(" in ").append(source);
        }
        out.append(" (").append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (ConfigProblem problem : problems) {
            out.append("\n  ").append(problem);
            if (problem.line() > 0) {
                out.append(" (line ").append(problem.line()).append(')');
            }
        }
        return out.toString();
    }
}
