package tandem.core.mirror;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rows one committed transaction on the primary touched, by table, and the token under which
 * its repair-log entries were written (PostgreSQL: the transaction id; SQLite: tandem's own).
 */
public record Changes(String token, Map<String, Set<Key>> keysByTable) {

    public Changes {
        Map<String, Set<Key>> copy = new LinkedHashMap<>();
        keysByTable.forEach((table, keys) -> copy.put(table, Set.copyOf(keys)));
        keysByTable = Map.copyOf(copy);
    }

    public boolean isEmpty() {
        return keysByTable.values().stream().allMatch(Set::isEmpty);
    }

    public int size() {
        return keysByTable.values().stream().mapToInt(Set::size).sum();
    }

    /** Collects the keys of one transaction as its statements return them. */
    public static final class Builder {
        private final Map<String, Set<Key>> keys = new LinkedHashMap<>();
        private String token;
        private boolean untracked;

        public Builder token(String transactionToken) {
            if (token == null) {
                token = transactionToken;
            }
            return this;
        }

        /** The transaction's token, or null before one was given. */
        public String token() {
            return token;
        }

        public Builder add(String table, Key key) {
            keys.computeIfAbsent(table, t -> new TreeSet<>()).add(key);
            return this;
        }

        public boolean isEmpty() {
            return keys.isEmpty();
        }

        /**
         * The repair log holds keys of this transaction that were not captured: the changes are
         * built without a token, so a successful sync leaves the log's entries to the drainer.
         */
        public Builder untracked() {
            untracked = true;
            return this;
        }

        public Changes build() {
            return new Changes(untracked ? null : token, keys);
        }

        public void clear() {
            keys.clear();
            token = null;
            untracked = false;
        }
    }
}
