package tandem.core.mirror;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.error.ProxyException;

/**
 * Decodes the keys of repair-log entries with the key columns of the store's tables. The store's
 * schema is read once and kept, and read again when an entry names a table it does not know or
 * a key that does not fit (the table was created or altered since).
 */
public final class RepairKeys {

    private static final Logger log = LoggerFactory.getLogger(RepairKeys.class);

    /** An unknown table reads the schema again at most this often, however many entries name it. */
    private static final long REREAD_NANOS = 5_000_000_000L;

    private final Supplier<Schema> schema;
    private volatile Map<String, List<Column>> keyColumns;
    private volatile long readAt;

    public RepairKeys(Supplier<Schema> schema) {
        this.schema = schema;
    }

    /**
     * The key of an entry of {@code table}, or null when it cannot be read with the store's
     * current schema (no such table, or a key of other columns): the drainer records that as the
     * entry's error, and an operator decides.
     */
    public Key decode(String table, String json) {
        List<Column> columns = columns(table, false);
        try {
            if (columns != null) {
                return KeyCodec.decode(json, columns);
            }
        } catch (ProxyException firstTry) {
            // read the schema again below: the key may have changed
        }
        columns = columns(table, true);
        if (columns == null) {
            log.debug("repair log: entry for table {} whose key cannot be read: no such table with a primary key", table);
            return null;
        }
        try {
            return KeyCodec.decode(json, columns);
        } catch (ProxyException e) {
            log.debug("repair log: entry for table {} whose key cannot be read: {}", table, e.getMessage());
            return null;
        }
    }

    private List<Column> columns(String table, boolean refresh) {
        Map<String, List<Column>> known = keyColumns;
        boolean stale = System.nanoTime() - readAt > REREAD_NANOS;
        if (known == null || ((refresh || !known.containsKey(table.toLowerCase(Locale.ROOT))) && stale)) {
            known = schema.get().tables().values().stream().filter(Table::hasKey).collect(Collectors.toMap(
                    t -> t.name().toLowerCase(Locale.ROOT), Table::keyColumns, (a, b) -> a));
            keyColumns = known;
            readAt = System.nanoTime();
        }
        return known.get(table.toLowerCase(Locale.ROOT));
    }
}
