package tandem.adapters.sqlite;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * PostgreSQL's regular expressions (its ARE flavour) on Java's engine, which reads the common
 * syntax the same way: anchors, classes, quantifiers, groups, back references, {@code \d \w \s}.
 * PostgreSQL's own escapes are rewritten: {@code [[:alpha:]]} and the other POSIX classes,
 * {@code \m \M \y \Y} (word boundaries). Patterns are compiled once.
 */
final class Regex {

    private static final Cache<String, Pattern> PATTERNS = Caffeine.newBuilder().maximumSize(1000).build();

    private Regex() {
    }

    static boolean matches(String text, String pattern, boolean caseInsensitive) {
        return compile(pattern, caseInsensitive).matcher(text).find();
    }

    /** regexp_replace: the first match, or every one with flag g; {@code \1} and {@code \&} in the replacement. */
    static String replace(String text, String pattern, String replacement, String flags) {
        boolean global = flags.indexOf('g') >= 0;
        boolean insensitive = flags.indexOf('i') >= 0;
        for (char f : flags.toCharArray()) {
            if (f != 'g' && f != 'i') {
                throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "invalid regular expression option: \"" + f + "\"");
            }
        }
        Matcher m = compile(pattern, insensitive).matcher(text);
        String java = javaReplacement(replacement);
        return global ? m.replaceAll(java) : m.replaceFirst(java);
    }

    private static Pattern compile(String pattern, boolean caseInsensitive) {
        String key = (caseInsensitive ? "i:" : "c:") + pattern;
        return PATTERNS.get(key, k -> {
            try {
                return Pattern.compile(javaPattern(pattern), caseInsensitive ? Pattern.CASE_INSENSITIVE
                        | Pattern.UNICODE_CASE : 0);
            } catch (PatternSyntaxException e) {
                throw new ProxyException(SqlState.INVALID_REGULAR_EXPRESSION, "invalid regular expression: "
                        + e.getDescription());
            }
        });
    }

    static String javaPattern(String pattern) {
        return pattern.replace("[:alpha:]", "\\p{Alpha}").replace("[:digit:]", "\\d").replace("[:alnum:]", "\\p{Alnum}")
                .replace("[:space:]", "\\s").replace("[:upper:]", "\\p{Upper}").replace("[:lower:]", "\\p{Lower}")
                .replace("[:punct:]", "\\p{Punct}").replace("[:xdigit:]", "\\p{XDigit}").replace("\\m", "\\b(?=\\w)")
                .replace("\\M", "\\b(?<=\\w)").replace("\\y", "\\b").replace("\\Y", "\\B");
    }

    /** PostgreSQL's {@code \1} and {@code \&} as Java's {@code $1} and {@code $0}; a {@code $} stays a dollar. */
    private static String javaReplacement(String replacement) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c == '\\' && i + 1 < replacement.length()) {
                char n = replacement.charAt(++i);
                if (Character.isDigit(n)) {
                    out.append('$').append(n);
                } else if (n == '&') {
                    out.append("$0");
                } else {
                    out.append(Matcher.quoteReplacement(String.valueOf(n)));
                }
            } else {
                out.append(Matcher.quoteReplacement(String.valueOf(c)));
            }
        }
        return out.toString();
    }
}
