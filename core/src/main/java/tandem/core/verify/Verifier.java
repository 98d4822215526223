package tandem.core.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.backfill.PageReader;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.Column;
import tandem.core.mirror.Key;
import tandem.core.mirror.MirroredTable;
import tandem.core.mirror.MirroredTables;
import tandem.core.mirror.RowReader;
import tandem.core.mirror.RowSync;
import tandem.core.mirror.Table;
import tandem.core.store.Store;
import tandem.core.type.PgType;

/**
 * Proves that the two stores hold the same rows, for every table mirrored by row, in one of three
 * ways, the first that applies:
 * <ol>
 * <li><b>Fingerprints</b>, for a table keyed by one integer column of types {@link RowFingerprint}
 * covers: the key space cut into ranges of about {@link Settings#chunkRows} rows; for each range
 * the new store computes the count and a sum of row hashes itself (PostgreSQL's own hash functions
 * in SQL, so no row crosses the network), and tandem computes the same from the old store's rows
 * converted to the new store's types (or the old store computes it, when it is PostgreSQL with the
 * same columns). A range whose fingerprints differ is halved until it is small, then compared row by
 * row, which names each differing key. Then a random sample of whole rows is compared column by
 * column, a check on the fingerprints themselves.
 * <li><b>Merge</b>: both stores read in key order a page at a time and merged by key (a sort-merge
 * join); each pair compared column by column by meaning ({@link Equivalence}, as shadow reads
 * compare). A key only the old store has is missing in the new, one only the new store has is extra.
 * <li><b>Lookups</b>, where the two stores order a table's keys differently (text keys under a
 * PostgreSQL collation other than "C"): the old store's keys looked up in the new store, and the new
 * store's in the old to name the extra ones.
 * </ol>
 * With {@code repair}, every differing key is copied again through {@link RowSync} (as the mirror
 * copies it) and verified once more.
 */
public final class Verifier {

    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

    /**
     * @param maxReported differences kept per table in the report (all are counted)
     * @param parallelTables tables verified at once
     * @param chunkRows rows per key range compared by fingerprints; 0 compares every row instead
     * @param sampleRows whole rows compared column by column after the fingerprints agreed
     * @param settle how long to wait before looking at differing rows again (rows the mirror had not
     *     synced yet when they were first read then agree); zero reports them as first found
     */
    public record Settings(int batchSize, int maxReported, int parallelTables, int chunkRows, int sampleRows,
            Duration settle) {

        public Settings(int batchSize, int maxReported, int parallelTables) {
            this(batchSize, maxReported, parallelTables, 20_000, 1000, Duration.ofSeconds(1));
        }

        public static Settings defaults() {
            return new Settings(5000, 20, 2);
        }

        public Settings rowByRow() {
            return new Settings(batchSize, maxReported, parallelTables, 0, 0, settle);
        }

        public Settings withMaxReported(int max) {
            return new Settings(batchSize, max, parallelTables, chunkRows, sampleRows, settle);
        }

        public Settings withSettle(Duration wait) {
            return new Settings(batchSize, maxReported, parallelTables, chunkRows, sampleRows, wait);
        }
    }

    /** More differing rows than this are not rows in flight: they are reported without a second look. */
    private static final int SETTLED_AT_MOST = 10_000;

    /** How a table was compared; for fingerprints, how many key ranges and how many of them row by row. */
    public record Method(String name, long ranges, long rangesByRow, long sampled) {

        static final Method MERGE = new Method("rows", 0, 0, 0);
        static final Method LOOKUPS = new Method("lookups", 0, 0, 0);

        @Override
        public String toString() {
            return ranges == 0 ? name : name + " of " + ranges + " key ranges (" + rangesByRow
                    + " compared row by row, " + sampled + " rows sampled)";
        }
    }

    /** One column of a differing row: its name and both values as they print. */
    public record ColumnDifference(String column, String oldValue, String newValue) {
    }

    /** A key that differs: {@code missing} (only the old store has it), {@code extra} (only the new), {@code differs}. */
    public record Difference(String kind, Key key, List<ColumnDifference> columns) {

        /** As a report line says it: {@code users [7]: differs; name old 'a', new 'b'}. */
        public String describe(String table) {
            StringBuilder out = new StringBuilder(table).append(' ').append(key).append(": ").append(switch (kind) {
                case "missing" -> "missing in the new store";
                case "extra" -> "only in the new store";
                default -> "differs";
            });
            for (ColumnDifference c : columns) {
                out.append("; ").append(c.column()).append(" old ").append(c.oldValue()).append(", new ").append(c.newValue());
            }
            return out.toString();
        }
    }

    /** What one table's verification found. */
    public record TableReport(String table, Method method, long oldRows, long newRows, long compared, long missing,
            long extra, long differing, List<Difference> examples, long repaired, long stillDiffering, Duration took) {

        public boolean clean() {
            return missing == 0 && extra == 0 && differing == 0 || repaired > 0 && stillDiffering == 0;
        }
    }

    /** The whole verification. */
    public record Report(Instant startedAt, Duration took, List<TableReport> tables, boolean repair) {

        public boolean clean() {
            return tables.stream().allMatch(TableReport::clean);
        }

        public long compared() {
            return tables.stream().mapToLong(TableReport::compared).sum();
        }
        /** The report as the admin API answers it and the new store keeps it (JSON-ready: maps, lists, scalars). */
        public Map<String, Object> document() {
            Report report = this;
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("clean", report.clean());
            doc.put("startedAt", report.startedAt().toString());
            doc.put("seconds", report.took().toMillis() / 1000.0);
            doc.put("rowsCompared", report.compared());
            doc.put("rowsPerSecond", Math.round(report.compared() / Math.max(0.001, report.took().toMillis() / 1000.0)));
            doc.put("repair", report.repair());
            List<Map<String, Object>> tables = new ArrayList<>();
            for (TableReport t : report.tables()) {
                Map<String, Object> table = new LinkedHashMap<>();
                table.put("table", t.table());
                table.put("clean", t.clean());
                table.put("method", t.method().name());
                if (t.method().ranges() > 0) {
                    table.put("keyRanges", t.method().ranges());
                    table.put("keyRangesComparedRowByRow", t.method().rangesByRow());
                    table.put("rowsSampled", t.method().sampled());
                }
                table.put("oldRows", t.oldRows());
                table.put("newRows", t.newRows());
                table.put("compared", t.compared());
                table.put("missingInNew", t.missing());
                table.put("extraInNew", t.extra());
                table.put("differing", t.differing());
                if (report.repair()) {
                    table.put("repaired", t.repaired());
                    table.put("stillDiffering", t.stillDiffering());
                }
                table.put("seconds", t.took().toMillis() / 1000.0);
                List<Map<String, Object>> examples = new ArrayList<>();
                for (Difference d : t.examples()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("kind", d.kind());
                    e.put("key", d.key().values().stream().map(String::valueOf).toList());
                    if (!d.columns().isEmpty()) {
                        List<Map<String, Object>> columns = new ArrayList<>();
                        for (ColumnDifference c : d.columns()) {
                            Map<String, Object> column = new LinkedHashMap<>();
                            column.put("column", c.column());
                            column.put("old", c.oldValue());
                            column.put("new", c.newValue());
                            columns.add(column);
                        }
                        e.put("columns", columns);
                    }
                    examples.add(e);
                }
                table.put("differences", examples);
                tables.add(table);
            }
            doc.put("tables", tables);
            return doc;
        }
    }

    private final MirroredTables plan;
    private final PageReader oldPages;
    private final PageReader newPages;
    private final RowReader oldRows;
    private final RowReader newRows;
    private final KeyRanges oldRanges;
    private final KeyRanges newRanges;
    private final RowSync sync;
    private final Settings settings;
    private final Clock clock;

    /** Compares {@code old} with {@code target} as {@code plan} pairs their tables, repairing through {@code sync}. */
    public Verifier(MirroredTables plan, Store old, Store target, RowSync sync, Settings settings, Clock clock) {
        this.plan = plan;
        this.oldPages = old.pageReader();
        this.oldRows = old.rowReader();
        this.oldRanges = old.keyRanges();
        this.newPages = target.pageReader();
        this.newRows = target.rowReader();
        this.newRanges = target.keyRanges();
        this.sync = sync;
        this.settings = settings;
        this.clock = clock;
    }

    /** Verifies {@code only} (every table mirrored by row when empty), repairing differences when asked. */
    public Report run(Set<String> only, boolean repair) {
        Instant started = clock.instant();
        List<MirroredTable> tables = tables(only);
        // a few tables at once, and each reads its next page from the old store while it compares this one
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, settings.parallelTables()),
                Thread.ofPlatform().daemon().name("tandem-verify-", 0).factory());
        ExecutorService readers = Executors.newCachedThreadPool(Thread.ofPlatform().daemon()
                .name("tandem-verify-read-", 0).factory());
        // key ranges compared by fingerprints, a few at once across tables: tandem hashes one while the stores work on
        // others; few, since each holds a connection of the new store's pool, which also serves the mirror's syncs
        ExecutorService ranges = Executors.newFixedThreadPool(Math.max(1, settings.parallelTables()),
                Thread.ofPlatform().daemon().name("tandem-verify-range-", 0).factory());
        List<TableReport> reports = new ArrayList<>();
        try {
            List<Future<TableReport>> running = new ArrayList<>();
            for (MirroredTable table : tables) {
                running.add(workers.submit(() -> verify(table, repair, readers, ranges)));
            }
            for (Future<TableReport> f : running) {
                reports.add(result(f));
            }
        } finally {
            workers.shutdownNow();
            readers.shutdownNow();
            ranges.shutdownNow();
        }
        for (TableReport report : reports) {
            log.info("verify: {}: {} compared by {} ({} rows old, {} new), {} missing in new, {} extra in new, {} differing"
                    + "{} in {} ms", report.table(), report.compared(), report.method(), report.oldRows(), report.newRows(),
                    report.missing(), report.extra(), report.differing(), repair ? ", " + report.repaired()
                            + " repaired, " + report.stillDiffering() + " still differ" : "", report.took().toMillis());
        }
        return new Report(started, Duration.between(started, clock.instant()), reports, repair);
    }

    private List<MirroredTable> tables(Set<String> only) {
        Set<String> wanted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        wanted.addAll(only);
        List<MirroredTable> out = new ArrayList<>();
        for (MirroredTable t : plan.tables().values()) {
            if (t.mode() == MirroredTable.Mode.ROW && (wanted.isEmpty() || wanted.remove(t.name()))) {
                out.add(t);
            }
        }
        if (!wanted.isEmpty()) {
            throw new ProxyException(SqlState.UNDEFINED_TABLE, "cannot verify " + wanted + ": not tables mirrored by row",
                    null, "name tables the mirror plan copies by row (the plan is logged at startup)");
        }
        return out;
    }

    private static TableReport result(Future<TableReport> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException(SqlState.QUERY_CANCELED, "verification interrupted");
        }
    }

    private TableReport verify(MirroredTable table, boolean repair, ExecutorService readers, ExecutorService ranges) {
        long t0 = System.nanoTime();
        List<PgType> types = table.target().columns().stream().map(Column::type).toList();
        Comparison comparison = byFingerprints(table, types, readers, ranges);
        if (comparison == null) {
            comparison = new Comparison(table, types, settings.maxReported());
            try {
                merge(comparison, readers);
            } catch (OutOfOrder e) {
                log.info("verify: {}: the stores order its keys differently ({}); comparing by looking each key up instead",
                        table.name(), e.getMessage());
                comparison = new Comparison(table, types, settings.maxReported());
                comparison.method = Method.LOOKUPS;
                lookUp(comparison, readers);
            }
        }
        settle(comparison);
        Tally tally = comparison.tally;
        Set<Key> toRepair = comparison.toRepair;
        long repaired = 0;
        long still = 0;
        if (repair && !toRepair.isEmpty()) {
            for (List<Key> chunk : chunks(new ArrayList<>(toRepair), settings.batchSize())) {
                sync.sync(Map.of(table.name(), new LinkedHashSet<>(chunk)), List.of());
            }
            still = stillDiffering(table, toRepair, types);
            repaired = toRepair.size() - still;
        }
        return new TableReport(table.target().name(), comparison.method(), comparison.oldRows, comparison.newRows, tally.compared,
                tally.missing, tally.extra, tally.differing, List.copyOf(tally.examples), repaired, still,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * The table compared by fingerprints of key ranges ({@link Verifier}'s class comment), the ranges
     * a few at a time; null when the table does not qualify (its key, its column types, or a key in
     * the old store that is not an integer), and the rows are merged instead.
     */
    private Comparison byFingerprints(MirroredTable table, List<PgType> types, ExecutorService readers,
            ExecutorService rangeWorkers) {
        if (settings.chunkRows() <= 0 || !fingerprinted(table)) {
            return null;
        }
        KeyRanges.Extent olds = oldRanges.extent(table.source());
        KeyRanges.Extent news = newRanges.extent(table.target());
        if (!olds.integers() || !news.integers()) {
            log.info("verify: {}: some keys are not integers; comparing row by row", table.name());
            return null;
        }
        Comparison whole = new Comparison(table, types, settings.maxReported());
        whole.method = new Method("fingerprints", 0, 0, 0);
        if (olds.empty() && news.empty()) {
            return whole;
        }
        long lowest = Math.min(olds.empty() ? Long.MAX_VALUE : olds.lowest(), news.empty() ? Long.MAX_VALUE : news.lowest());
        long highest = Math.max(olds.empty() ? Long.MIN_VALUE : olds.highest(), news.empty() ? Long.MIN_VALUE : news.highest());
        if (lowest == Long.MIN_VALUE || (double) highest - lowest >= Long.MAX_VALUE / 2.0) {
            return null; // keys spread over more than half of bigint's range: range widths would overflow
        }
        double perKey = (double) Math.max(olds.rows(), news.rows()) / ((double) highest - lowest + 1);
        long width = Math.max(1, (long) Math.min(Long.MAX_VALUE / 4, Math.ceil(settings.chunkRows() / perKey)));
        List<CompletableFuture<Comparison>> ranges = new ArrayList<>();
        for (long after = lowest - 1; after < highest; after = highest - after <= width ? highest : after + width) {
            long from = after;
            long upTo = highest - after <= width ? highest : after + width;
            ranges.add(CompletableFuture.supplyAsync(() -> range(table, types, from, upTo, readers), rangeWorkers));
        }
        for (CompletableFuture<Comparison> range : ranges) {
            whole.absorb(join(range));
        }
        sample(whole, lowest, highest);
        return whole;
    }

    private boolean fingerprinted(MirroredTable table) {
        Table source = table.source();
        Table target = table.target();
        return target.key().size() == 1 && source.key().size() == 1 && integer(target.keyColumns().get(0).type())
                && integer(source.keyColumns().get(0).type()) && RowFingerprint.supports(target);
    }

    private static boolean integer(PgType type) {
        return type == PgType.INT2 || type == PgType.INT4 || type == PgType.INT8;
    }

    /** One key range {@code (after, upTo]}: fingerprints, halved while they differ and the range is large, then rows. */
    private Comparison range(MirroredTable table, List<PgType> types, long after, long upTo, ExecutorService readers) {
        Comparison part = new Comparison(table, types, settings.maxReported());
        compareRange(part, after, upTo, readers);
        return part;
    }

    private void compareRange(Comparison part, long after, long upTo, ExecutorService readers) {
        MirroredTable table = part.table;
        CompletableFuture<RowFingerprint.Fingerprint> theirs = CompletableFuture.supplyAsync(() -> newRanges
                .fingerprint(table.target(), table.target(), after, upTo)
                .orElseGet(() -> RowFingerprint.of(part.types, newRanges.rows(table.target(), after, upTo))), readers);
        RowFingerprint.Fingerprint ours = oldRanges.fingerprint(table.source(), table.target(), after, upTo)
                .orElseGet(() -> RowFingerprint.of(part.types,
                        () -> oldRanges.rows(table.source(), after, upTo).stream().map(table::targetRow).iterator()));
        RowFingerprint.Fingerprint news = join(theirs);
        if (ours.equals(news)) {
            part.ranges++;
            part.oldRows += ours.rows();
            part.newRows += news.rows();
            part.tally.compared += ours.rows();
            return;
        }
        if (Math.max(ours.rows(), news.rows()) > settings.batchSize() && upTo - after > 1) {
            long middle = after + (upTo - after) / 2;
            compareRange(part, after, middle, readers);
            compareRange(part, middle, upTo, readers);
            return;
        }
        part.ranges++;
        part.rangesByRow++;
        rowByRow(part, after, upTo);
    }

    /** A key range's rows from both stores, sorted by key and merged: each missing, extra or differing key named. */
    private void rowByRow(Comparison part, long after, long upTo) {
        MirroredTable table = part.table;
        int sourceKey = table.source().keyPositions()[0];
        int targetKey = table.target().keyPositions()[0];
        java.util.TreeMap<Long, Object[]> olds = new java.util.TreeMap<>();
        for (Object[] row : oldRanges.rows(table.source(), after, upTo)) {
            olds.put(((Number) row[sourceKey]).longValue(), row);
        }
        java.util.TreeMap<Long, Object[]> news = new java.util.TreeMap<>();
        for (Object[] row : newRanges.rows(table.target(), after, upTo)) {
            news.put(((Number) row[targetKey]).longValue(), row);
        }
        part.oldRows += olds.size();
        part.newRows += news.size();
        for (Map.Entry<Long, Object[]> e : olds.entrySet()) {
            Key key = Key.at(e.getValue(), new int[] {sourceKey});
            Object[] other = news.remove(e.getKey());
            if (other == null) {
                part.missing(key, table.targetKey(key));
            } else {
                part.compare(key, table.targetRow(e.getValue()), other);
            }
        }
        for (Object[] extra : news.values()) {
            part.extra(Key.at(extra, new int[] {targetKey}));
        }
    }

    /**
     * Whole rows at random keys compared column by column, where both stores have them: a check on
     * the fingerprints, which a hash collision or a blind spot of a hash function could fool.
     */
    private void sample(Comparison whole, long lowest, long highest) {
        if (settings.sampleRows() <= 0) {
            return;
        }
        MirroredTable table = whole.table;
        java.util.Random random = new java.util.Random();
        Set<Key> keys = new LinkedHashSet<>();
        for (int i = 0; i < settings.sampleRows(); i++) {
            long k = highest - lowest < settings.sampleRows() ? lowest + i : lowest + (long) (random.nextDouble() * (highest - lowest + 1));
            if (k > highest) {
                break;
            }
            keys.add(new Key(List.of(k)));
        }
        keys.removeAll(whole.toRepair);
        readBoth(table, keys).forEach((key, rows) -> {
            if (rows.old() != null && rows.now() != null) {
                whole.sampled++;
                whole.recheck(key, rows.old(), rows.now());
            }
        });
    }

    /**
     * The differing rows read again after {@link Settings#settle}: while the mirror runs, a row read
     * between its commit on the old store and its sync to the new one differs for a moment, and a
     * report naming it would be wrong. What still differs is reported (as it is now); the count of
     * rows compared stays.
     */
    private void settle(Comparison found) {
        if (found.toRepair.isEmpty() || settings.settle().isZero() || found.toRepair.size() > SETTLED_AT_MOST) {
            return;
        }
        try {
            Thread.sleep(settings.settle());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException(SqlState.QUERY_CANCELED, "verification interrupted");
        }
        Comparison now = byKeys(found.table, found.types, found.toRepair, settings.maxReported());
        found.tally.differencesOf(now.tally);
        found.toRepair.clear();
        found.toRepair.addAll(now.toRepair);
    }

    /** The rows of {@code sourceKeys} read from both stores now and compared; a key neither store has is the same. */
    private Comparison byKeys(MirroredTable table, List<PgType> types, Collection<Key> sourceKeys, int maxReported) {
        Comparison now = new Comparison(table, types, maxReported);
        for (List<Key> chunk : chunks(new ArrayList<>(sourceKeys), settings.batchSize())) {
            readBoth(table, chunk).forEach((key, rows) -> {
                if (rows.old() == null && rows.now() != null) {
                    now.extra(table.targetKey(key));
                } else if (rows.old() != null && rows.now() == null) {
                    now.missing(key, table.targetKey(key));
                } else if (rows.old() != null) {
                    now.compare(key, rows.old(), rows.now());
                }
            });
        }
        return now;
    }

    /**
     * What {@link #compare} found: the old store's keys whose rows differ, by table, and the first
     * few differences as a report line says them.
     */
    public record KeyComparison(long compared, Map<String, Set<Key>> differing, List<String> examples) {

        public boolean clean() {
            return differing.isEmpty();
        }

        public long differingRows() {
            return differing.values().stream().mapToLong(Set::size).sum();
        }
    }

    /**
     * The rows of {@code keys} (the old store's keys, by table) read from both stores now and compared
     * by meaning, with no second look: what a cutover checks of the rows written since the last
     * verification. Tables not mirrored by row are left out.
     */
    public KeyComparison compare(Map<String, Set<Key>> keys) {
        long compared = 0;
        Map<String, Set<Key>> differing = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, Set<Key>> e : keys.entrySet()) {
            MirroredTable table = plan.table(e.getKey());
            if (table == null || table.mode() != MirroredTable.Mode.ROW || e.getValue().isEmpty()) {
                continue;
            }
            List<PgType> types = table.target().columns().stream().map(Column::type).toList();
            Comparison c = byKeys(table, types, e.getValue(), settings.maxReported());
            compared += e.getValue().size();
            if (!c.toRepair.isEmpty()) {
                differing.put(table.name(), Set.copyOf(c.toRepair));
                for (Difference d : c.tally.examples) {
                    if (examples.size() < settings.maxReported()) {
                        examples.add(d.describe(table.target().name()));
                    }
                }
            }
        }
        return new KeyComparison(compared, differing, examples);
    }

    /** A key's row in each store, the old one as the new store's types; null where a store lacks the key. */
    private record BothRows(Object[] old, Object[] now) {
    }

    /** The rows of {@code sourceKeys} in both stores, by source key. */
    private Map<Key, BothRows> readBoth(MirroredTable table, Collection<Key> sourceKeys) {
        Map<Key, Object[]> old = oldRows.read(table.source(), sourceKeys);
        Map<Key, Key> byTarget = new LinkedHashMap<>();
        sourceKeys.forEach(k -> byTarget.put(table.targetKey(k), k));
        Map<Key, Object[]> now = newRows.read(table.target(), byTarget.keySet());
        Map<Key, BothRows> both = new LinkedHashMap<>();
        byTarget.forEach((target, source) -> {
            Object[] o = old.get(source);
            both.put(source, new BothRows(o == null ? null : table.targetRow(o), now.get(target)));
        });
        return both;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Both stores read in key order at once and merged, as a sort-merge join: a key only the old
     * store has is missing, one only the new store has is extra. Each store reads its next page
     * while this one is compared. Throws {@link OutOfOrder} as soon as either store's order is not
     * {@link KeyOrder}'s (text keys under a PostgreSQL collation other than "C", keys of mixed
     * kinds in SQLite), before anything was counted twice.
     */
    private void merge(Comparison comparison, ExecutorService readers) {
        MirroredTable table = comparison.table;
        int[] targetKeyIndex = table.target().keyPositions();
        int[] sourceKeyIndex = table.source().keyPositions();
        RowStream olds = new RowStream(oldPages, table.source(), settings.batchSize(), readers);
        RowStream news = new RowStream(newPages, table.target(), settings.batchSize(), readers);
        List<Object> lastOld = null;
        List<Object> lastNew = null;
        Object[] oldRow = nextTargetRow(table, olds);
        Object[] newRow = news.next();
        while (oldRow != null || newRow != null) {
            List<Object> oldKey = oldRow == null ? null : Key.at(oldRow, targetKeyIndex).values();
            List<Object> newKey = newRow == null ? null : Key.at(newRow, targetKeyIndex).values();
            int order = oldKey == null ? 1 : newKey == null ? -1 : compare(oldKey, newKey);
            if (order <= 0) {
                lastOld = ascending("old", lastOld, oldKey);
            }
            if (order >= 0) {
                lastNew = ascending("new", lastNew, newKey);
            }
            if (order == 0) {
                comparison.compare(Key.at(olds.current(), sourceKeyIndex), oldRow, newRow);
            } else if (order < 0) {
                comparison.missing(Key.at(olds.current(), sourceKeyIndex), new Key(oldKey));
            } else {
                comparison.extra(new Key(newKey));
            }
            if (order <= 0) {
                comparison.oldRows++;
                oldRow = nextTargetRow(table, olds);
            }
            if (order >= 0) {
                comparison.newRows++;
                newRow = news.next();
            }
        }
    }

    /** The old store's next row as a row of the new store's table, or null after the last. */
    private static Object[] nextTargetRow(MirroredTable table, RowStream olds) {
        Object[] sourceRow = olds.next();
        return sourceRow == null ? null : table.targetRow(sourceRow);
    }

    private static List<Object> ascending(String store, List<Object> last, List<Object> key) {
        if (last != null && compare(last, key) >= 0) {
            throw new OutOfOrder("the " + store + " store gave " + key + " after " + last);
        }
        return key;
    }

    private static int compare(List<Object> a, List<Object> b) {
        if (a.size() == 1 && a.get(0) instanceof Long x && b.get(0) instanceof Long y) {
            return Long.compare(x, y); // the usual key, without a detour through canonical forms
        }
        try {
            return KeyOrder.compare(a, b);
        } catch (IllegalArgumentException e) {
            throw new OutOfOrder(e.getMessage());
        }
    }

    /**
     * The old store read in key order, each page's keys looked up in the new store; then, when the
     * new store has more rows than were found, its keys looked up in the old store to name the extra.
     */
    private void lookUp(Comparison comparison, ExecutorService readers) {
        MirroredTable table = comparison.table;
        Table target = table.target();
        int[] sourceKeyIndex = table.source().keyPositions();
        RowStream olds = new RowStream(oldPages, table.source(), settings.batchSize(), readers);
        List<Object[]> page;
        while (!(page = olds.nextPage()).isEmpty()) {
            comparison.oldRows += page.size();
            Map<Key, Object[]> wanted = new LinkedHashMap<>();
            Map<Key, Key> sourceKeys = new LinkedHashMap<>();
            for (Object[] sourceRow : page) {
                Key sourceKey = Key.at(sourceRow, sourceKeyIndex);
                Key targetKey = table.targetKey(sourceKey);
                wanted.put(targetKey, table.targetRow(sourceRow));
                sourceKeys.put(targetKey, sourceKey);
            }
            Map<Key, Object[]> found = newRows.read(target, wanted.keySet());
            for (Map.Entry<Key, Object[]> e : wanted.entrySet()) {
                Object[] other = found.get(e.getKey());
                if (other == null) {
                    comparison.missing(sourceKeys.get(e.getKey()), e.getKey());
                } else {
                    comparison.compare(sourceKeys.get(e.getKey()), e.getValue(), other);
                }
            }
        }
        comparison.newRows = newPages.count(target);
        if (comparison.newRows > comparison.oldRows - comparison.tally.missing) {
            extras(comparison);
        }
    }

    /** The new store's keys in its order, looked up in the old store: those it lacks are extra. */
    private void extras(Comparison comparison) {
        MirroredTable table = comparison.table;
        Table target = table.target();
        int[] keyIndex = target.keyPositions();
        String cursor = null;
        while (true) {
            PageReader.Page page = newPages.read(target, cursor, settings.batchSize());
            if (page.isEmpty()) {
                return;
            }
            cursor = page.last();
            // the target key's values as the old store's key: its reader finds a value in any form it may be stored in
            List<Key> keys = page.rows().stream().map(r -> Key.at(r, keyIndex)).toList();
            Set<Key> present = new java.util.HashSet<>();
            for (Key k : oldRows.read(table.source(), keys).keySet()) {
                present.add(table.targetKey(k));
            }
            for (Key k : keys) {
                if (!present.contains(table.targetKey(k))) {
                    comparison.extra(k);
                }
            }
        }
    }

    private long stillDiffering(MirroredTable table, Set<Key> sourceKeys, List<PgType> types) {
        long still = 0;
        for (List<Key> chunk : chunks(new ArrayList<>(sourceKeys), settings.batchSize())) {
            for (BothRows rows : readBoth(table, chunk).values()) {
                boolean same = rows.old() == null ? rows.now() == null : rows.now() != null
                        && Equivalence.differingColumns(types, rows.old(), rows.now()).isEmpty();
                if (!same) {
                    still++;
                }
            }
        }
        return still;
    }

    private static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            out.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return out;
    }

    /** One table's comparison so far: rows read from each store, what differs, and the keys to copy again. */
    private static final class Comparison {
        final MirroredTable table;
        final List<PgType> types;
        final Tally tally;
        final Set<Key> toRepair = new LinkedHashSet<>();
        long oldRows;
        long newRows;
        Method method = Method.MERGE;
        long ranges;
        long rangesByRow;
        long sampled;

        Method method() {
            return ranges == 0 ? method : new Method(method.name(), ranges, rangesByRow, sampled);
        }

        /** A key range's comparison added to this one, its examples after this one's. */
        void absorb(Comparison part) {
            oldRows += part.oldRows;
            newRows += part.newRows;
            ranges += part.ranges;
            rangesByRow += part.rangesByRow;
            toRepair.addAll(part.toRepair);
            tally.absorb(part.tally);
        }

        /** A sampled row, already counted as compared by its range's fingerprint: only a difference counts. */
        void recheck(Key sourceKey, Object[] expected, Object[] found) {
            long compared = tally.compared;
            compare(sourceKey, expected, found);
            tally.compared = compared;
        }

        Comparison(MirroredTable table, List<PgType> types, int maxReported) {
            this.table = table;
            this.types = types;
            this.tally = new Tally(maxReported);
        }

        /** Both stores have the key: its rows, as the new store's types, compared column by column. */
        void compare(Key sourceKey, Object[] expected, Object[] found) {
            tally.compared++;
            List<Integer> columns = Equivalence.differingColumns(types, expected, found);
            if (!columns.isEmpty()) {
                List<Column> names = table.target().columns();
                tally.differs(table.targetKey(sourceKey), columns.stream().map(i -> new ColumnDifference(
                        names.get(i).name(), Equivalence.show(expected[i]), Equivalence.show(found[i]))).toList());
                toRepair.add(sourceKey);
            }
        }

        void missing(Key sourceKey, Key targetKey) {
            tally.missing(targetKey);
            toRepair.add(sourceKey);
        }

        void extra(Key targetKey) {
            tally.extra(targetKey);
            toRepair.add(targetKey);
        }
    }

    /** A table's rows in key order from one store, the next page read in the background while this one is used. */
    private static final class RowStream {
        private final PageReader reader;
        private final Table table;
        private final int pageSize;
        private final ExecutorService readers;
        private CompletableFuture<PageReader.Page> next;
        private List<Object[]> rows = List.of();
        private int position;
        private Object[] current;

        RowStream(PageReader reader, Table table, int pageSize, ExecutorService readers) {
            this.reader = reader;
            this.table = table;
            this.pageSize = pageSize;
            this.readers = readers;
            this.next = read(null);
        }

        /** The next row (also {@link #current()}), or null after the last. */
        Object[] next() {
            if (position == rows.size()) {
                rows = nextPage();
                position = 0;
            }
            current = position < rows.size() ? rows.get(position++) : null;
            return current;
        }

        Object[] current() {
            return current;
        }

        /** The next page's rows, empty after the last. */
        List<Object[]> nextPage() {
            if (next == null) {
                return List.of();
            }
            PageReader.Page page;
            try {
                page = next.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            next = page.isEmpty() || page.rows().size() < pageSize ? null : read(page.last());
            return page.rows();
        }

        private CompletableFuture<PageReader.Page> read(String after) {
            return CompletableFuture.supplyAsync(() -> reader.read(table, after, pageSize), readers);
        }
    }

    /** A store did not give its keys in {@link KeyOrder}: the merge cannot pair them. */
    private static final class OutOfOrder extends RuntimeException {
        OutOfOrder(String message) {
            super(message, null, false, false);
        }
    }

    /** Counts of one table's differences, and the first few of them. */
    private static final class Tally {
        final int max;
        final List<Difference> examples = new ArrayList<>();
        long compared;
        long missing;
        long extra;
        long differing;

        Tally(int max) {
            this.max = max;
        }

        void missing(Key key) {
            missing++;
            keep(new Difference("missing", key, List.of()));
        }

        void extra(Key key) {
            extra++;
            keep(new Difference("extra", key, List.of()));
        }

        void differs(Key key, List<ColumnDifference> columns) {
            differing++;
            keep(new Difference("differs", key, columns));
        }

        /** Takes {@code other}'s differences instead of these; the count of rows compared stays. */
        void differencesOf(Tally other) {
            missing = other.missing;
            extra = other.extra;
            differing = other.differing;
            examples.clear();
            examples.addAll(other.examples);
        }

        void absorb(Tally other) {
            compared += other.compared;
            missing += other.missing;
            extra += other.extra;
            differing += other.differing;
            for (Difference d : other.examples) {
                keep(d);
            }
        }

        private void keep(Difference d) {
            if (examples.size() < max) {
                examples.add(d);
            }
        }
    }
}
