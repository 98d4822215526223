package tandem.proxy.session;

import java.util.LinkedHashMap;
import java.util.Map;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * The {@code options} startup parameter as PostgreSQL reads it: command-line switches separated by
 * spaces (a backslash escapes the next character), of which {@code -c name=value} and
 * {@code --name=value} set configuration parameters.
 */
final class StartupOptions {

    private StartupOptions() {
    }

    static Map<String, String> parse(String options) {
        Map<String, String> settings = new LinkedHashMap<>();
        var words = words(options);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String assignment;
            if (word.equals("-c")) {
                if (++i == words.size()) {
                    throw invalid(options, "-c needs a name=value after it");
                }
                assignment = words.get(i);
            } else if (word.startsWith("-c")) {
                assignment = word.substring(2);
            } else if (word.startsWith("--")) {
                assignment = word.substring(2);
            } else {
                throw invalid(options, "only -c name=value and --name=value are understood, not \"" + word + "\"");
            }
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw invalid(options, "\"" + assignment + "\" is not name=value");
            }
            settings.put(assignment.substring(0, eq).replace('-', '_'), assignment.substring(eq + 1));
        }
        return settings;
    }

    private static java.util.List<String> words(String options) {
        var words = new java.util.ArrayList<String>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '\\' && i + 1 < options.length()) {
                word.append(options.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    private static ProxyException invalid(String options, String why) {
        return ProxyException.fatal(SqlState.PROTOCOL_VIOLATION, "invalid startup option \"" + options + "\": " + why,
                "pass settings as options='-c name=value'");
    }
}
