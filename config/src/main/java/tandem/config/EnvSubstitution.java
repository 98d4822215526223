package tandem.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces environment variable references in one scalar value:
 *
 * <ul>
 *   <li>{@code ${NAME}} is the variable's value; a variable that is not set is an error;
 *   <li>{@code ${NAME:-default}} is the default when the variable is not set or is empty (as in
 *       the shell); the default is taken literally up to the first <code>}</code>, without nesting;
 *   <li><code>$${</code> is a literal <code>${</code>; any other {@code $} is itself.
 * </ul>
 *
 * Substitution runs on scalar values after the YAML is parsed, so a value from the environment is
 * always text inside one key: it can't add keys, and it is not substituted again.
 */
final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvSubstitution() {
    }

    /**
     * @param problems receives one message per bad reference; they never repeat the value, which may
     *     be a password
     * @return the value with references replaced, or null when there were problems
     */
    static String apply(String text, Map<String, String> env, List<String> problems) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        int before = problems.size();
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    problems.add("has a '${' without a closing '}' (write $${ for a literal ${)");
                    return null;
                }
                String reference = text.substring(i + 2, end);
                int separator = reference.indexOf(":-");
                String name = separator < 0 ? reference : reference.substring(0, separator);
                String fallback = separator < 0 ? null : reference.substring(separator + 2);
                if (!NAME.matcher(name).matches()) {
                    problems.add("'${" + name + (fallback == null ? "}" : ":-...}")
                            + "' is not an environment variable reference; names are letters, digits and _"
                            + " (write $${ for a literal ${)");
                } else {
                    String value = env.get(name);
                    if (fallback != null && (value == null || value.isEmpty())) {
                        value = fallback;
                    }
                    if (value == null) {
                        problems.add("environment variable " + name + " is not set");
                    } else {
                        out.append(value);
                    }
                }
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return problems.size() == before ? out.toString() : null;
    }
}
