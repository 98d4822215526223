package tandem.core.mirror;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.store.Store;

/**
 * Copies the current image of rows by key from the primary to the secondary: one mechanism for
 * live mirroring, repair, and (later) backfill and reverse mirroring.
 *
 * <p>The secondary's writer locks the keys first and only then asks for their images, which this
 * class reads from the primary at that moment and converts to the secondary's types: so of two
 * syncs of one key, the one that writes last also read last, and an older image never overwrites
 * a newer one; a key whose row is gone from the primary is deleted from the secondary.
 */
public final class RowSync {

    private final RowReader primary;
    private final RowWriter secondary;
    private final MirroredTables tables;

    public RowSync(RowReader primary, RowWriter secondary, MirroredTables tables) {
        this.primary = primary;
        this.secondary = secondary;
        this.tables = tables;
    }

    public static RowSync between(Store primary, Store secondary, MirroredTables tables) {
        return new RowSync(primary.rowReader(), secondary.rowWriter(), tables);
    }

    public MirroredTables tables() {
        return tables;
    }

    /** Syncs the keys one committed transaction touched, then replays its statements on keyless tables. */
    public int sync(Changes changes, List<RowWriter.Replay> replays) {
        return sync(changes.keysByTable(), replays);
    }

    /**
     * Syncs these keys (tables named as in the primary) in one transaction on the secondary.
     *
     * @return the number of keys synced (rows upserted or deleted)
     * @throws ProxyException when a table is not mirrored by row, a key or row cannot be converted,
     *     or either store fails; then nothing was written
     */
    public int sync(Map<String, Set<Key>> keysByTable, List<RowWriter.Replay> replays) {
        Map<Table, Set<Key>> targetKeys = new LinkedHashMap<>();
        Map<Table, Plan> plans = new IdentityHashMap<>();
        int count = 0;
        for (Map.Entry<String, Set<Key>> e : keysByTable.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            MirroredTable table = tables.table(e.getKey());
            if (table == null) {
                throw new ProxyException(SqlState.UNDEFINED_TABLE, "table " + e.getKey() + " was written but is not in "
                        + "the mirror plan (created after tandem started?)", null, "restart tandem so it plans the table, "
                                + "or list it in migration.exclude");
            }
            if (table.mode() != MirroredTable.Mode.ROW) {
                continue; // excluded, or replayed by statement
            }
            Plan plan = new Plan(table, new HashMap<>());
            for (Key sourceKey : e.getValue()) {
                Key targetKey = table.targetKey(sourceKey);
                Key earlier = plan.sourceByTarget().putIfAbsent(targetKey, sourceKey);
                if (earlier != null && !earlier.equals(sourceKey)) {
                    throw new ProxyException(SqlState.UNIQUE_VIOLATION, "table " + table.name() + ": keys " + earlier
                            + " and " + sourceKey + " are different rows in the primary but the same key " + targetKey
                            + " in the secondary", null, "make the keys distinct in the primary (e.g. one spelling of "
                                    + "each uuid), or exclude the table");
                }
            }
            targetKeys.put(table.target(), plan.sourceByTarget().keySet());
            plans.put(table.target(), plan);
            count += plan.sourceByTarget().size();
        }
        if (targetKeys.isEmpty() && replays.isEmpty()) {
            return 0;
        }
        secondary.apply(targetKeys, new RowWriter.ImageSource() {
            @Override
            public Map<Key, Object[]> read(Table target, Set<Key> keys) {
                return images(plans, target, keys);
            }

            @Override
            public Map<Table, Map<Key, Object[]>> readAll(Map<Table, Set<Key>> keys) {
                return allImages(plans, keys);
            }
        }, replays);
        return count;
    }

    /** {@link #images} of several tables, read from the primary in one go (one round trip where it can). */
    private Map<Table, Map<Key, Object[]>> allImages(Map<Table, Plan> plans, Map<Table, Set<Key>> keysByTarget) {
        Map<Table, Plan> planByTarget = new LinkedHashMap<>();
        Map<Table, List<Key>> request = new LinkedHashMap<>();
        for (Map.Entry<Table, Set<Key>> e : keysByTarget.entrySet()) {
            Plan plan = plan(plans, e.getKey());
            Map<Key, Key> sourceByTarget = plan.sourceByTarget();
            List<Key> sourceKeys = e.getValue().stream().map(sourceByTarget::get).toList();
            if (request.putIfAbsent(plan.table().source(), sourceKeys) != null) {
                // two targets of one source table: not a plan RowSync makes; read them one by one
                Map<Table, Map<Key, Object[]>> images = new LinkedHashMap<>();
                keysByTarget.forEach((target, keys) -> images.put(target, images(plans, target, keys)));
                return images;
            }
            planByTarget.put(e.getKey(), plan);
        }
        Map<Table, Map<Key, Object[]>> rows = primary.readAll(request);
        Map<Table, Map<Key, Object[]>> images = new LinkedHashMap<>();
        for (Map.Entry<Table, Set<Key>> e : keysByTarget.entrySet()) {
            Plan plan = planByTarget.get(e.getKey());
            images.put(e.getKey(), converted(plan, e.getValue(), rows.getOrDefault(plan.table().source(), Map.of())));
        }
        return images;
    }

    private static Plan plan(Map<Table, Plan> plans, Table target) {
        Plan plan = plans.get(target);
        if (plan == null) {
            plan = plans.values().stream().filter(p -> p.table().target().name().equals(target.name())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("images asked for " + target.name()
                            + ", which this sync did not write"));
        }
        return plan;
    }

    private static Map<Key, Object[]> converted(Plan plan, Set<Key> keys, Map<Key, Object[]> rows) {
        Map<Key, Key> sourceByTarget = plan.sourceByTarget();
        Map<Key, Object[]> images = new LinkedHashMap<>();
        for (Key key : keys) {
            Object[] row = rows.get(sourceByTarget.get(key));
            if (row != null) {
                images.put(key, plan.table().targetRow(row));
            }
        }
        return images;
    }

    /** Reads the rows from the primary now, while the secondary holds the keys' locks. */
    private Map<Key, Object[]> images(Map<Table, Plan> plans, Table target, Set<Key> keys) {
        Plan plan = plan(plans, target);
        List<Key> sourceKeys = keys.stream().map(plan.sourceByTarget()::get).toList();
        return converted(plan, keys, primary.read(plan.table().source(), sourceKeys));
    }

    private record Plan(MirroredTable table, Map<Key, Key> sourceByTarget) {
    }
}
