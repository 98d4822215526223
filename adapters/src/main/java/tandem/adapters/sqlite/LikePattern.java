package tandem.adapters.sqlite;

import java.util.Locale;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * PostgreSQL's LIKE matching, case-folded for ILIKE: {@code %} matches any run of characters,
 * {@code _} any one, and the escape character (a backslash unless ESCAPE says otherwise, none for
 * ESCAPE '') makes the next character literal. Characters are compared by code point after
 * lower-casing both sides, so ILIKE folds non-ASCII letters as PostgreSQL does in a UTF-8 database.
 */
final class LikePattern {

    private LikePattern() {
    }

    static boolean matchesIgnoreCase(String value, String pattern, String escape) {
        int esc;
        if (escape == null) {
            esc = '\\';
        } else if (escape.isEmpty()) {
            esc = -1;
        } else if (escape.codePointCount(0, escape.length()) == 1) {
            esc = escape.codePointAt(0);
        } else {
            throw new ProxyException(SqlState.INVALID_PARAMETER_VALUE, "invalid escape string", null,
                    "Escape string must be empty or one character.");
        }
        int[] v = value.toLowerCase(Locale.ROOT).codePoints().toArray();
        int[] p = compile(pattern.toLowerCase(Locale.ROOT).codePoints().toArray(),
                esc >= 0 ? Character.toLowerCase(esc) : -1);
        return match(v, p);
    }

    private static final int ANY_RUN = -1;
    private static final int ANY_ONE = -2;

    /** The pattern as code points, with % and _ (unless escaped) turned into markers. */
    private static int[] compile(int[] pattern, int esc) {
        int[] out = new int[pattern.length];
        int n = 0;
        for (int i = 0; i < pattern.length; i++) {
            int c = pattern[i];
            if (c == esc) {
                if (i + 1 >= pattern.length) {
                    throw new ProxyException(SqlState.INVALID_ESCAPE_SEQUENCE, "LIKE pattern must not end with escape "
                            + "character");
                }
                out[n++] = pattern[++i];
            } else {
                out[n++] = c == '%' ? ANY_RUN : c == '_' ? ANY_ONE : c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Wildcard matching that backtracks only to the last %, so it stays O(value x pattern). */
    private static boolean match(int[] v, int[] p) {
        int vi = 0;
        int pi = 0;
        int runAt = -1;
        int resumeAt = 0;
        while (vi < v.length) {
            if (pi < p.length && (p[pi] == ANY_ONE || p[pi] == v[vi])) {
                vi++;
                pi++;
            } else if (pi < p.length && p[pi] == ANY_RUN) {
                runAt = pi++;
                resumeAt = vi;
            } else if (runAt >= 0) {
                pi = runAt + 1;
                vi = ++resumeAt;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == ANY_RUN) {
            pi++;
        }
        return pi == p.length;
    }
}
