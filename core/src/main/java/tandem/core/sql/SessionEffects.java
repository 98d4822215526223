package tandem.core.sql;

/**
 * A quick test, cheaper than classifying, that a query string cannot change its server session:
 * one plain SELECT/INSERT/UPDATE/DELETE/WITH/VALUES/TABLE statement whose text mentions none of
 * the names that tie a client to one session (advisory locks, set_config, temporary objects).
 *
 * <p>Simple-protocol clients put literals into their SQL, so nearly every query text is new and a
 * classification cache cannot help; a relay that only needs to know whether a statement affects
 * the session asks this first and classifies only when it says "maybe". It answers false whenever
 * it is not sure.
 */
public final class SessionEffects {

    private static final String[] PLAIN_FIRST_WORDS = {"select", "insert", "update", "delete", "with", "values", "table"};

    private SessionEffects() {
    }

    /** True only if {@code sql} is certainly one statement without any session effect. */
    public static boolean certainlyNone(String sql) {
        int length = sql.length();
        int i = skipSpace(sql, 0);
        if (i < 0) {
            return false;
        }
        int wordEnd = i;
        while (wordEnd < length && Character.isLetter(sql.charAt(wordEnd))) {
            wordEnd++;
        }
        if (!isPlainFirstWord(sql, i, wordEnd - i)) {
            return false;
        }
        for (int j = wordEnd; j < length; j++) {
            char c = sql.charAt(j);
            if (c == ';') {
                // only a trailing semicolon keeps it a single statement
                for (int k = j + 1; k < length; k++) {
                    if (!Character.isWhitespace(sql.charAt(k))) {
                        return false;
                    }
                }
                break;
            }
            if (c == '$' && j + 1 < length && !Character.isDigit(sql.charAt(j + 1))) {
                return false; // a dollar-quoted body could hide anything; let the classifier look
            }
        }
        boolean inserts = wordEnd - i == 6 && sql.regionMatches(true, i, "insert", 0, 6);
        return !mentionsSuspect(sql, wordEnd, !inserts);
    }

    /**
     * One pass over the text looking for the names that can carry a session effect inside a plain
     * statement: advisory locks, set_config, temporary objects, large objects, dblink, and (except
     * in INSERT INTO) SELECT ... INTO, which creates a table.
     */
    private static boolean mentionsSuspect(String sql, int from, boolean intoCounts) {
        int length = sql.length();
        for (int i = from; i < length; i++) {
            switch (sql.charAt(i) | 0x20) {
                case 'a' -> {
                    if (matches(sql, i, "advisory")) {
                        return true;
                    }
                }
                case 's' -> {
                    if (matches(sql, i, "set_config")) {
                        return true;
                    }
                }
                case 't' -> {
                    if (matches(sql, i, "temp")) {
                        return true;
                    }
                }
                case 'l' -> {
                    if (matches(sql, i, "lo_")) {
                        return true;
                    }
                }
                case 'd' -> {
                    if (matches(sql, i, "dblink")) {
                        return true;
                    }
                }
                case 'i' -> {
                    if (intoCounts && matches(sql, i, "into")) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    private static boolean matches(String sql, int at, String word) {
        return sql.regionMatches(true, at, word, 0, word.length());
    }

    /** The index of the first character that is neither space nor comment, or -1 if unsure. */
    private static int skipSpace(String sql, int from) {
        int i = from;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                if (end < 0) {
                    return -1;
                }
                i = end + 1;
            } else if (c == '/' || c == '(') {
                return -1; // block comments nest and parentheses wrap; not worth following here
            } else {
                return i;
            }
        }
        return -1;
    }

    private static boolean isPlainFirstWord(String sql, int start, int length) {
        for (String word : PLAIN_FIRST_WORDS) {
            if (word.length() == length && sql.regionMatches(true, start, word, 0, length)) {
                return true;
            }
        }
        return false;
    }

}
