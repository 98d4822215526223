package tandem.core.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.Key;
import tandem.core.mirror.KeyCodec;
import tandem.core.mirror.WritePlan;
import tandem.core.sql.Classification;
import tandem.core.sql.ClassificationCache;
import tandem.core.sql.StatementKind;
import tandem.core.sql.TransactionControl;
import tandem.core.store.ReadQueries;
import tandem.core.store.SqlSession;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;

/**
 * An emulated session on a primary that is not PostgreSQL (SQLite), made to mirror: it carries out
 * the {@link SessionPolicy}'s decisions at the statement level, as the relay carries them out at the
 * wire level for a PostgreSQL primary.
 *
 * <p>A write on a mirrored table runs rewritten so that it returns its keys; the keys are taken
 * out of what the client sees and written to the repair log by the same session, in the client's
 * transaction, under a token tandem makes up per transaction (SQLite has no transaction id). When
 * the transaction commits, {@link #endBatch} hands its keys to the mirror ({@link SessionWrites}) and returns only once
 * they are synced or queued, so the client's ReadyForQuery, and with it the acknowledgement of its
 * commit, waits for the secondary exactly as long as the mirror timeout allows.
 *
 * <p>Writes on tables mirrored by statement are remembered with their parameters and replayed
 * after the commit; statements tandem cannot mirror faithfully fail at prepare with 0A000.
 *
 * <p>Reads are where the relay would send them: a plain read outside a transaction that has
 * written goes to the secondary with the configured probability, its values shown in the types
 * the primary described (a read the secondary fails is run on the primary, unseen, and counted);
 * a sample of the reads the primary serves is compared on both stores by {@link ShadowReads}.
 */
public final class MirroredSession implements SqlSession {

    private static final Logger log = LoggerFactory.getLogger(MirroredSession.class);
    /**
     * Most keys logged per INSERT: a bulk write's keys go in a few statements rather than one per
     * row. Statements are made for powers of two only, so a session prepares at most seven.
     */
    private static final int LOG_CHUNK = 64;

    private final SqlSession inner;
    private final SessionPolicy policy;
    private final ClassificationCache classifier;
    private final ReadQueries secondary;
    private final Counter servedBySecondary;
    private final SessionWrites writes;
    private final Map<Integer, PreparedSql> logInserts = new HashMap<>();
    private boolean wroteInBatch;
    /** Inside an explicit transaction block (the inner session reports its implicit ones as transactions too). */
    private boolean inBlock;
    /** Admitted by the policy's gate: from the first batch outside a transaction until the session is idle again. */
    private final AtomicBoolean admitted = new AtomicBoolean();
    /** The session's thread while it waits at the policy's gate, so that a cancel can wake it. */
    private volatile Thread atGate;
    /** The store this session runs on, the primary when it started. */
    private final String primary;

    /**
     * @param secondary where reads routed to the secondary run (unused when the policy routes none)
     * @param servedBySecondary reads the secondary served
     */
    public MirroredSession(SqlSession inner, SessionPolicy policy, ClassificationCache classifier,
            ReadQueries secondary, Counter servedBySecondary) {
        this.inner = inner;
        this.policy = policy;
        this.classifier = classifier;
        this.secondary = secondary;
        this.servedBySecondary = servedBySecondary;
        this.writes = policy.newWrites();
        this.primary = policy.primary();
    }

    /**
     * A cutover made another store the primary: this session's store is not, and the session cannot
     * move (its statements are the emulation's), so it ends; the client reconnects to the new primary.
     */
    private void checkStillPrimary() {
        String now = policy.primary();
        if (primary != null && now != null && !primary.equals(now)) {
            throw new PrimaryMoved(now, primary);
        }
    }

    @Override
    public PreparedSql prepare(String sql, List<PgType> parameterTypes) {
        if (!admitted.get()) {
            checkStillPrimary(); // a statement parsed between transactions
        }
        Classification classification = classifier.classify(sql);
        WritePlan plan = policy.plan(sql, classification);
        return switch (plan) {
            case WritePlan.Pass pass -> {
                PreparedSql prepared = inner.prepare(sql, parameterTypes);
                TransactionControl transaction = classification.transaction();
                if (transaction != null) {
                    yield new TransactionSql(prepared, transaction);
                }
                yield classification.kind() == StatementKind.READ && !classification.lockingRead()
                        ? new ReadSql(prepared, sql, classification) : prepared;
            }
            case WritePlan.Refuse refusal -> throw refusal.error();
            case WritePlan.Capture capture -> new CapturedSql(inner.prepare(capture.sql(), parameterTypes), capture);
            case WritePlan.Replay replay -> new ReplayedSql(inner.prepare(sql, parameterTypes), sql);
        };
    }

    @Override
    public void beginBatch(boolean writes) {
        inBlock = inner.status() != TransactionStatus.IDLE;
        if (!admitted.get()) {
            atGate = Thread.currentThread();
            try {
                policy.gate().admitWaiting(); // a cutover may be holding new transactions back
            } catch (InterruptedException e) {
                // the interrupt was the client's cancel: the pooled thread goes on serving the session
                throw new ProxyException(SqlState.QUERY_CANCELED, "canceling statement due to user request", null,
                        "it was waiting to start while tandem held new transactions back (a cutover)");
            } finally {
                atGate = null;
                Thread.interrupted(); // a cancel that came as the gate opened must not reach the store's calls
            }
            try {
                checkStillPrimary();
            } catch (ProxyException moved) {
                policy.gate().leave();
                throw moved;
            }
            admitted.set(true);
        }
        inner.beginBatch(writes);
    }

    @Override
    public Cursor execute(PreparedSql statement, List<Object> parameters) {
        if (statement instanceof ReadSql read) {
            return read(read, parameters);
        }
        if (!statement.readOnly()) {
            wroteInBatch = true;
        }
        if (statement instanceof CapturedSql captured) {
            return capture(captured, parameters);
        }
        if (statement instanceof ReplayedSql replayed) {
            Cursor cursor = inner.execute(replayed.inner, parameters);
            writes.replay(replayed.clientSql, parameters);
            return cursor;
        }
        if (statement instanceof TransactionSql control) {
            Cursor cursor = inner.execute(control.inner, parameters);
            return switch (control.transaction.command()) {
                case BEGIN -> {
                    inBlock = true;
                    yield cursor;
                }
                case COMMIT, ROLLBACK -> new TransactionEndCursor(cursor, control.transaction.chain());
                default -> cursor; // savepoints: the transaction and its writes go on
            };
        }
        return inner.execute(statement, parameters);
    }

    private Cursor read(ReadSql statement, List<Object> parameters) {
        List<Classification> batch = List.of(statement.classification);
        SessionPolicy.ReadRoute route = policy.route(batch, wroteInBatch || inBlock);
        if (route == SessionPolicy.ReadRoute.SECONDARY && typedByValue(statement.inner)) {
            // the primary types such a column by its first value at each execution, and a client that
            // kept an earlier execution's type (pgjdbc, reading binary) would misread the secondary's
            route = SessionPolicy.ReadRoute.PRIMARY;
        }
        switch (route) {
            case SECONDARY -> {
                try {
                    long started = System.nanoTime();
                    Cursor served = SecondaryCursor.open(secondary, statement.clientSql, parameters,
                            statement.inner.columns());
                    policy.secondaryAnswered(System.nanoTime() - started);
                    servedBySecondary.increment();
                    return served;
                } catch (ProxyException e) {
                    policy.secondaryFailed(e.getMessage(), e.state().code().startsWith("08"));
                }
            }
            case PRIMARY_AND_SHADOW -> policy.shadow(statement.clientSql, parameters, statement.classification);
            case PRIMARY -> {
            }
        }
        return inner.execute(statement.inner, parameters);
    }

    /**
     * Runs a rewritten write to the end at once (a write runs to completion in PostgreSQL too,
     * whatever rows the client fetches), logs its keys, and serves the client's own rows from memory.
     */
    private Cursor capture(CapturedSql statement, List<Object> parameters) {
        WritePlan.Capture plan = statement.plan;
        int lead = plan.leadingColumns();
        List<Object[]> rows = new ArrayList<>();
        List<Key> keys = new ArrayList<>();
        String tag;
        List<Column> columns;
        try (Cursor cursor = inner.execute(statement.inner, parameters)) {
            columns = cursor.columns();
            while (cursor.next()) {
                Object[] key = new Object[plan.keyColumns().size()];
                for (int k = 0; k < key.length; k++) {
                    key[k] = cursor.value(plan.keyColumns().get(k));
                }
                keys.add(new Key(Arrays.asList(key)));
                if (plan.clientReturning()) {
                    Object[] row = new Object[columns.size() - lead];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = cursor.value(lead + i);
                    }
                    rows.add(row);
                }
            }
            tag = cursor.commandTag();
        }
        if (!keys.isEmpty()) {
            logKeys(plan.table().name(), keys);
        }
        List<Column> clientColumns = plan.clientReturning() ? columns.subList(lead, columns.size()) : List.of();
        return new BufferedCursor(List.copyOf(clientColumns), rows, tag);
    }

    private void logKeys(String table, List<Key> keys) {
        String token = writes.token();
        if (token == null) {
            token = "sqlite-" + UUID.randomUUID();
            writes.token(token);
        }
        for (int from = 0, size; from < keys.size(); from += size) {
            size = Integer.highestOneBit(Math.min(LOG_CHUNK, keys.size() - from));
            List<Key> chunk = keys.subList(from, from + size);
            List<Object> parameters = new ArrayList<>(chunk.size() + 2);
            parameters.add(token);
            parameters.add(table);
            for (Key key : chunk) {
                parameters.add(KeyCodec.encode(key));
            }
            try (Cursor done = inner.execute(logInsert(chunk.size()), parameters)) {
                while (done.next()) {
                    // no rows: the insert has run once the cursor is read
                }
            }
            chunk.forEach(key -> writes.key(table, key));
        }
    }

    /** {@code INSERT INTO tandem_repair_log ... VALUES ($1, $2, $3), ($1, $2, $4), ...} for this many keys. */
    private PreparedSql logInsert(int keys) {
        return logInserts.computeIfAbsent(keys, n -> {
            StringBuilder sql = new StringBuilder("INSERT INTO tandem_repair_log (token, table_name, key) VALUES ");
            List<PgType> types = new ArrayList<>(n + 2);
            types.add(PgType.TEXT);
            types.add(PgType.TEXT);
            for (int i = 0; i < n; i++) {
                sql.append(i == 0 ? "" : ", ").append("($1, $2, $").append(i + 3).append(')');
                types.add(PgType.TEXT);
            }
            return inner.prepare(sql.toString(), types);
        });
    }

    @Override
    public TransactionStatus endBatch(boolean failed) {
        wroteInBatch = false;
        TransactionStatus status = inner.endBatch(failed);
        if (status == TransactionStatus.IDLE) {
            if (failed) {
                writes.rolledBack();
            } else {
                writes.committed();
            }
        }
        // blocks the session's thread (a platform thread of its own) until the client may hear of its commits
        writes.syncCommitted().join();
        if (status == TransactionStatus.IDLE) {
            leaveGate();
        }
        return status;
    }

    private void leaveGate() {
        if (admitted.compareAndSet(true, false)) {
            policy.gate().leave();
        }
    }

    @Override
    public TransactionStatus status() {
        return inner.status();
    }

    @Override
    public PgSessionSettings outputSettings() {
        return inner.outputSettings();
    }

    @Override
    public Map<String, String> reportedParameters() {
        return inner.reportedParameters();
    }

    @Override
    public Map<String, String> changedParameters() {
        return inner.changedParameters();
    }

    @Override
    public Map<String, String> settingsAsSql() {
        return inner.settingsAsSql();
    }

    @Override
    public void cancel() {
        Thread waiting = atGate;
        if (waiting != null) {
            waiting.interrupt();
        }
        inner.cancel();
    }

    @Override
    public void close() {
        writes.rolledBack();
        leaveGate();
        inner.close();
    }

    /** A statement of the inner session with what this session knows of it; describes itself as the inner one. */
    private abstract static class WrappedSql implements PreparedSql {
        final PreparedSql inner;

        WrappedSql(PreparedSql inner) {
            this.inner = inner;
        }

        @Override
        public String sql() {
            return inner.sql();
        }

        @Override
        public List<PgType> parameterTypes() {
            return inner.parameterTypes();
        }

        @Override
        public List<Column> columns() {
            return inner.columns();
        }

        @Override
        public boolean returnsRows() {
            return inner.returnsRows();
        }

        @Override
        public boolean readOnly() {
            return inner.readOnly();
        }

        @Override
        public String command() {
            return inner.command();
        }

        @Override
        public boolean typedByValue(int i) {
            return inner.typedByValue(i);
        }
    }

    /** A write rewritten to return its keys first: it describes itself as the client's statement. */
    private static final class CapturedSql extends WrappedSql {
        final WritePlan.Capture plan;

        CapturedSql(PreparedSql inner, WritePlan.Capture plan) {
            super(inner);
            this.plan = plan;
        }

        @Override
        public List<Column> columns() {
            List<Column> all = inner.columns();
            return plan.clientReturning() ? all.subList(plan.leadingColumns(), all.size()) : List.of();
        }

        @Override
        public boolean returnsRows() {
            return plan.clientReturning();
        }

        @Override
        public boolean readOnly() {
            return false;
        }
    }

    private static boolean typedByValue(PreparedSql statement) {
        for (int i = 0; i < statement.columns().size(); i++) {
            if (statement.typedByValue(i)) {
                return true;
            }
        }
        return false;
    }

    /** A plain read, which may be served by the secondary or compared there. */
    private static final class ReadSql extends WrappedSql {
        final String clientSql;
        final Classification classification;

        ReadSql(PreparedSql inner, String clientSql, Classification classification) {
            super(inner);
            this.clientSql = clientSql;
            this.classification = classification;
        }
    }

    /** BEGIN, COMMIT, ROLLBACK, savepoints: what they do to the transaction decides what becomes of its keys. */
    private static final class TransactionSql extends WrappedSql {
        final TransactionControl transaction;

        TransactionSql(PreparedSql inner, TransactionControl transaction) {
            super(inner);
            this.transaction = transaction;
        }
    }

    /** A write on a table mirrored by statement: run as sent, replayed on the secondary after the commit. */
    private static final class ReplayedSql extends WrappedSql {
        final String clientSql;

        ReplayedSql(PreparedSql inner, String clientSql) {
            super(inner);
            this.clientSql = clientSql;
        }

        @Override
        public boolean readOnly() {
            return false;
        }
    }

    /** The rows of a captured write, as the client's own statement would have returned them. */
    private static final class BufferedCursor implements Cursor {
        private final List<Column> columns;
        private final List<Object[]> rows;
        private final String tag;
        private int next;
        private Object[] row;

        BufferedCursor(List<Column> columns, List<Object[]> rows, String tag) {
            this.columns = columns;
            this.rows = rows;
            this.tag = tag;
        }

        @Override
        public List<Column> columns() {
            return columns;
        }

        @Override
        public boolean next() {
            if (next == rows.size()) {
                row = null;
                return false;
            }
            row = rows.get(next++);
            return true;
        }

        @Override
        public Object value(int column) {
            return row[column];
        }

        @Override
        public String commandTag() {
            return tag;
        }

        @Override
        public void close() {
        }
    }

    /**
     * COMMIT or ROLLBACK of an explicit block: its tag says what became of the transaction (a
     * COMMIT of a failed block answers ROLLBACK), which decides whether its keys are synced.
     */
    private final class TransactionEndCursor implements Cursor {
        private final Cursor inner;
        private final boolean chain;
        private boolean settled;

        TransactionEndCursor(Cursor inner, boolean chain) {
            this.inner = inner;
            this.chain = chain;
        }

        @Override
        public List<Column> columns() {
            return inner.columns();
        }

        @Override
        public boolean next() {
            return inner.next();
        }

        @Override
        public Object value(int column) {
            return inner.value(column);
        }

        @Override
        public String commandTag() {
            String tag = inner.commandTag();
            if (!settled) {
                settled = true;
                inBlock = chain; // AND CHAIN opens the next transaction at once
                if (tag.equals("COMMIT")) {
                    writes.committed();
                } else {
                    writes.rolledBack();
                }
            }
            return tag;
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
