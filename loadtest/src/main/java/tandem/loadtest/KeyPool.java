package tandem.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Keys of rows that exist, shared by all clients so that each updates and deletes rows the others
 * created. Bounded: when full, a new key replaces one at random, so a long run keeps a fair sample
 * of old and new rows in constant memory. One lock: its work is nanoseconds beside a round trip.
 */
final class KeyPool<K> {

    private final int capacity;
    private final List<K> keys = new ArrayList<>();

    KeyPool(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(K key, Random random) {
        if (keys.size() < capacity) {
            keys.add(key);
        } else {
            keys.set(random.nextInt(capacity), key);
        }
    }

    /** A key at random, left in the pool; null when empty. */
    synchronized K pick(Random random) {
        return keys.isEmpty() ? null : keys.get(random.nextInt(keys.size()));
    }

    /** A key at random, taken out so that no other client deletes the same row; null when empty. */
    synchronized K take(Random random) {
        if (keys.isEmpty()) {
            return null;
        }
        int i = random.nextInt(keys.size());
        K last = keys.remove(keys.size() - 1);
        return i == keys.size() ? last : keys.set(i, last);
    }

    synchronized int size() {
        return keys.size();
    }
}
