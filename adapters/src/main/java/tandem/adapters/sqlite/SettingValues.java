package tandem.adapters.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.sql.SqlLexer;
import tandem.core.sql.Token;

/** Reads and prints run-time parameter values the way PostgreSQL's GUC code does. */
final class SettingValues {

    private SettingValues() {
    }

    /**
     * The value of {@code SET name TO <raw>} as PostgreSQL keeps it: quotes removed, unquoted words
     * folded to lower case, list items joined with ", ". Only search_path keeps quotes where an item
     * needs them ({@code "$user", public}).
     */
    static String fromSql(String name, String raw) {
        List<Token> tokens = SqlLexer.tokenize(raw);
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean searchPath = name.equals("search_path");
        for (Token t : tokens) {
            switch (t.type()) {
                case COMMA -> {
                    items.add(item.toString());
                    item.setLength(0);
                }
                case STRING, ESCAPE_STRING, UNICODE_STRING, DOLLAR_STRING -> item.append(t.text());
                case IDENTIFIER -> item.append(t.text());
                case QUOTED_IDENTIFIER -> item.append(searchPath && needsQuotes(t.text())
                        ? "\"" + t.text().replace("\"", "\"\"") + "\"" : t.text());
                case NUMBER, OPERATOR, DOT -> item.append(t.raw(raw));
                default -> throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + t.raw(raw)
                        + "\"");
            }
        }
        items.add(item.toString());
        return String.join(", ", items);
    }

    private static boolean needsQuotes(String name) {
        if (name.isEmpty()) {
            return true;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return true;
            }
        }
        return false;
    }

    /** parse_bool: on, off, true, false, yes, no, 1, 0 and unique prefixes, in any case. */
    static String bool(String parameter, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!v.isEmpty()) {
            if ("true".startsWith(v) || "yes".startsWith(v) || v.equals("on") || v.equals("1")) {
                return "on";
            }
            if ("false".startsWith(v) || "no".startsWith(v) || v.equals("off") || v.equals("of") || v.equals("0")) {
                return "off";
            }
        }
        throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "parameter \"" + parameter
                + "\" requires a Boolean value");
    }

    /** A duration in milliseconds: a plain number is milliseconds; us, ms, s, min, h and d are units. */
    static long millis(String parameter, String value) {
        String v = value.strip();
        int unitAt = 0;
        while (unitAt < v.length() && (Character.isDigit(v.charAt(unitAt)) || v.charAt(unitAt) == '.'
                || (unitAt == 0 && (v.charAt(0) == '-' || v.charAt(0) == '+')))) {
            unitAt++;
        }
        String unit = v.substring(unitAt).strip();
        double number;
        try {
            number = Double.parseDouble(v.substring(0, unitAt));
        } catch (NumberFormatException e) {
            throw invalid(parameter, value, "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", "
                    + "and \"d\".");
        }
        double factor = switch (unit) {
            case "", "ms" -> 1;
            case "us" -> 0.001;
            case "s" -> 1000;
            case "min" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> throw invalid(parameter, value, "Valid units for this parameter are \"us\", \"ms\", \"s\", "
                    + "\"min\", \"h\", and \"d\".");
        };
        long ms = Math.round(number * factor);
        if (ms < 0 || ms > Integer.MAX_VALUE) {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, ms + " ms is outside the valid range for "
                    + "parameter \"" + parameter + "\" (0 .. 2147483647)");
        }
        return ms;
    }

    /** As SHOW prints a duration: the largest unit that divides it exactly ({@code 5s}, {@code 1min}, {@code 0}). */
    static String showMillis(long ms) {
        if (ms == 0) {
            return "0";
        }
        long[] sizes = {86_400_000, 3_600_000, 60_000, 1000};
        String[] units = {"d", "h", "min", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }

    static ProxyException invalid(String parameter, String value, String hint) {
        return new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "invalid value for parameter \"" + parameter
                + "\": \"" + value + "\"", null, hint);
    }
}
