package tandem.config;

import java.util.Collection;
import java.util.Locale;

/** The "did you mean" for unknown keys: same letters in another case or spelling, or a small typo. */
final class KeyNames {

    private KeyNames() {
    }

    /** The known key closest to {@code key}, or null when none is close enough to be a likely typo. */
    static String nearest(String key, Collection<String> known) {
        String wanted = normalize(key);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(wanted, normalize(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // a third of the key's length, at most 2: "lisen" finds listen, "old" does not find "new"
        int allowed = Math.min(2, Math.max(1, wanted.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /** maxsize, max_size and max-size all mean maxSize. */
    private static String normalize(String key) {
        return key.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
