package tandem.proxy.backend;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Server-side names for client prepared statements. Clients name statements as they like ("S_1"
 * for every pgjdbc connection), so tandem prepares them on shared server connections under names
 * of its own: one per distinct (SQL, parameter types), shared by all clients, so that a
 * connection that prepared a statement for one client serves the next client's identical one
 * without a round trip. Names are never reused for other SQL.
 */
public final class StatementNames {

    private final Cache<Key, String> names;
    private final AtomicLong counter = new AtomicLong();

    public StatementNames(long maximumSize) {
        this.names = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    public String nameFor(String sql, int[] parameterTypes) {
        return names.get(new Key(sql, parameterTypes), k -> "tandem_" + counter.incrementAndGet());
    }

    private record Key(String sql, int[] types) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && sql.equals(k.sql) && Arrays.equals(types, k.types);
        }

        @Override
        public int hashCode() {
            return sql.hashCode() * 31 + Arrays.hashCode(types);
        }
    }
}
