package tandem.adapters.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.session.TransactionStatus;
import tandem.core.sql.Classification;
import tandem.core.sql.SetCommand;
import tandem.core.sql.StatementKind;
import tandem.core.sql.TableRef;
import tandem.core.sql.TransactionControl;
import tandem.core.store.SessionSettings;
import tandem.core.store.SqlSession;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;

/**
 * One client's PostgreSQL session, emulated over a {@link SqliteStore}.
 *
 * <h2>Transactions</h2>
 * Outside an explicit block, a batch is one implicit transaction: everything in it commits at
 * {@link #endBatch}, or nothing does. BEGIN makes the transaction explicit until COMMIT or
 * ROLLBACK; after an error in it, the block is failed and answers 25P02 until ROLLBACK (or
 * ROLLBACK TO a savepoint, which recovers it); COMMIT of a failed block rolls back and completes
 * as ROLLBACK.
 *
 * <p>A transaction takes a connection at its first statement that needs SQLite, not at BEGIN, and
 * gives it back at its end, so clients share the store's one writer by taking turns:
 * <ul>
 * <li>reads run on a reader, in one SQLite read transaction (a consistent snapshot);
 * <li>the first statement that writes (or locks rows: SELECT ... FOR UPDATE) moves the transaction
 *     to the writer with {@code BEGIN IMMEDIATE}, which takes SQLite's write lock up front, so two
 *     writers never deadlock upgrading a read lock; the writer is then held to the end.
 * </ul>
 * Moving from a reader's snapshot to the writer's newer data mid-transaction is what PostgreSQL's
 * default READ COMMITTED allows (each statement sees what has committed). A block that asks for
 * REPEATABLE READ or SERIALIZABLE takes the writer at its first statement and holds it, which is
 * serializable: stronger than asked, as PostgreSQL permits. BEGIN READ ONLY stays on a reader
 * and refuses writes with 25006. Every isolation level is accepted.
 *
 * <h2>Session state</h2>
 * SET, RESET, SHOW, DISCARD and SET SESSION CHARACTERISTICS are answered from
 * {@link SessionParameters} without touching SQLite; SET is transactional. statement_timeout and
 * {@link #cancel()} interrupt the running SQLite statement ({@code sqlite3_interrupt}).
 *
 * <p>Not thread-safe, except {@link #cancel()}: the protocol half calls it from one thread at a time.
 */
final class SqliteSession implements SqlSession, ConnectionState.Session {

    private enum Mode {
        /** Between batches, no transaction. */
        IDLE,
        /** A batch's implicit transaction. */
        IMPLICIT,
        /** BEGIN ... COMMIT. */
        EXPLICIT,
        /** An explicit block after an error: only ROLLBACK [TO] and COMMIT run. */
        FAILED
    }

    /** An explicit block's characteristics. */
    private record Block(boolean readOnly, String isolation) {

        /** REPEATABLE READ and SERIALIZABLE hold the writer from the first statement. */
        boolean serializable() {
            return !readOnly && (isolation.equals("serializable") || isolation.equals("repeatable read"));
        }
    }

    private final SqliteStore store;
    private final StatementPreparer preparer;
    private final SessionSettings settings;
    private final SessionParameters parameters;

    private Mode mode = Mode.IDLE;
    private boolean inBatch;
    private boolean implicitFailed;
    private Block block;
    /** Whether a statement has run in the explicit block (SET TRANSACTION must come first). */
    private boolean blockStarted;
    private Lease lease;
    /** Readers left behind by a move to the writer while a cursor still read from them; released at the end. */
    private final List<Lease> retired = new ArrayList<>();
    private final List<String> savepoints = new ArrayList<>();
    private final Set<RowsCursor> cursors = new LinkedHashSet<>();
    private boolean deferForeignKeys;
    private Instant transactionStart;
    private Instant statementStart;

    private final StatementInterrupts interrupts;

    SqliteSession(SqliteStore store, SessionSettings settings) {
        this.store = store;
        this.preparer = new StatementPreparer(store);
        this.interrupts = new StatementInterrupts(store.timer());
        this.settings = settings;
        this.parameters = new SessionParameters(settings.user(), store.serverVersion(), settings.parameters());
        this.transactionStart = store.clock().instant();
        this.statementStart = transactionStart;
    }

    // ---- the contract ----

    @Override
    public PreparedSql prepare(String sql, List<PgType> declared) {
        Classification c = store.classify(sql);
        if (mode == Mode.FAILED && !endsFailedBlock(c)) {
            throw aborted();
        }
        try {
            SqliteStatement emulated = preparer.emulated(sql, c);
            if (emulated != null) {
                return emulated;
            }
            Translation translation = preparer.translate(sql, c, declared);
            return withConnection(state -> preparer.describe(sql, c, translation, declared, state));
        } catch (ProxyException e) {
            throw failed(e);
        }
    }

    @Override
    public void beginBatch(boolean writes) {
        // writes is only a hint: a transaction takes the writer at its first statement that writes
        inBatch = true;
        if (mode == Mode.IDLE) {
            startImplicit();
        }
    }

    @Override
    public Cursor execute(PreparedSql prepared, List<Object> values) {
        SqliteStatement statement = (SqliteStatement) prepared;
        if (mode == Mode.IDLE) {
            startImplicit(); // a caller that skipped beginBatch gets a transaction all the same
        }
        if (mode == Mode.FAILED && !statement.endsFailedBlock()) {
            throw aborted();
        }
        statementStart = store.clock().instant();
        try {
            Cursor cursor = switch (statement.kind) {
                case SQLITE -> run(statement, values);
                case TRANSACTION -> transaction(statement);
                case SET -> set(statement);
                case SHOW -> show(statement);
                case SHOW_ALL -> showAll();
                case SET_CONSTRAINTS -> setConstraints(statement);
                case LOCK -> lock();
                case TRUNCATE -> truncate(statement);
                case SCHEMA -> schema(statement);
                case DISCARD_ALL -> discardAll();
                case NOTHING, EMPTY -> FixedCursor.command(statement.command());
            };
            if (mode == Mode.EXPLICIT && statement.kind == SqliteStatement.Kind.SQLITE) {
                blockStarted = true;
            }
            return cursor;
        } catch (ProxyException e) {
            throw failed(e);
        }
    }

    @Override
    public TransactionStatus endBatch(boolean failed) {
        inBatch = false;
        switch (mode) {
            case IMPLICIT -> {
                mode = Mode.IDLE;
                if (failed || implicitFailed) {
                    rollbackTransaction();
                } else {
                    commitTransaction();
                }
            }
            case EXPLICIT -> {
                if (failed) {
                    mode = Mode.FAILED;
                }
            }
            default -> {
            }
        }
        return status();
    }

    @Override
    public TransactionStatus status() {
        return switch (mode) {
            case IDLE, IMPLICIT -> TransactionStatus.IDLE;
            case EXPLICIT -> TransactionStatus.IN_TRANSACTION;
            case FAILED -> TransactionStatus.FAILED;
        };
    }

    @Override
    public PgSessionSettings outputSettings() {
        return parameters.settings();
    }

    @Override
    public Map<String, String> reportedParameters() {
        return parameters.reported();
    }

    @Override
    public Map<String, String> changedParameters() {
        return parameters.changed();
    }

    @Override
    public Map<String, String> settingsAsSql() {
        return parameters.asSql();
    }

    @Override
    public void cancel() {
        interrupts.cancel();
    }

    @Override
    public void close() {
        try {
            interrupts.stopAll();
            closeCursors();
            if (lease != null) {
                lease.rollbackQuietly();
            }
        } finally {
            releaseLeases();
            mode = Mode.IDLE;
        }
    }

    // ---- what tandem's SQL functions ask (ConnectionState.Session) ----

    @Override
    public Instant transactionStart() {
        return transactionStart;
    }

    @Override
    public Instant statementStart() {
        return statementStart;
    }

    @Override
    public Instant now() {
        return store.clock().instant();
    }

    @Override
    public PgSessionSettings settings() {
        return parameters.settings();
    }

    @Override
    public String setting(String name) {
        return parameters.currentSetting(name);
    }

    @Override
    public String user() {
        return settings.user();
    }

    @Override
    public String database() {
        return settings.database();
    }

    // ---- preparing ----

    @FunctionalInterface
    private interface OnConnection<T> {
        T apply(ConnectionState state) throws SQLException;
    }

    /**
     * Runs on the connection the transaction holds (so it sees the transaction's own schema
     * changes), else on a reader borrowed for the moment.
     */
    private <T> T withConnection(OnConnection<T> work) {
        Lease borrowed = null;
        ConnectionState state;
        if (lease != null) {
            state = lease.state;
        } else {
            borrowed = acquire(false);
            state = borrowed.state;
        }
        try {
            return work.apply(state);
        } catch (SQLException e) {
            throw SqliteErrors.map(e, state.takeFunctionError(), false, null, null);
        } finally {
            if (borrowed != null) {
                borrowed.release();
            }
        }
    }

    // ---- running on SQLite ----

    private Cursor run(SqliteStatement statement, List<Object> values) {
        Lease on = connectionFor(!statement.readOnly());
        ConnectionState state = on.state;
        ConnectionState.Cached cached;
        try {
            if (statement.translation.readsCatalogs()) {
                SqliteCatalogs.refresh(state.connection);
            }
            cached = state.statement(statement.sqliteSql, -1);
        } catch (SQLException e) {
            throw SqliteErrors.map(e, state.takeFunctionError(), false, statement.sql, statement.sqliteSql);
        }
        PreparedStatement ps = cached.statement;
        boolean keepCached = false;
        Object token = null;
        try {
            int count = cached.shape.parameterCount();
            for (int i = 1; i <= count; i++) {
                ParameterBinder.bind(ps, i, i <= values.size() ? values.get(i - 1) : null);
            }
            token = interrupts.start(state, parameters.statementTimeout());
            if (cached.shape.columnCount() > 0 || !statement.columns.isEmpty()) {
                ResultSet rs = ps.executeQuery();
                if (rs.getMetaData().getColumnCount() != statement.columns.size()) {
                    rs.close();
                    throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "cached plan must not change result type",
                            null, "the table changed since the statement was prepared; prepare it again");
                }
                RowsCursor cursor = new RowsCursor(this, on, cached, rs, statement, token);
                cursors.add(cursor);
                keepCached = true;
                return cursor;
            }
            long changed = ps.executeLargeUpdate();
            return FixedCursor.command(tag(statement.command(), changed));
        } catch (SQLException e) {
            throw SqliteErrors.map(e, state.takeFunctionError(), interrupts.timedOut(), statement.sql, statement.sqliteSql);
        } finally {
            if (!keepCached) {
                interrupts.stop(token);
                state.release(cached);
            }
        }
    }

    /** The connection for the next statement: the transaction's, moved to the writer if this one writes. */
    private Lease connectionFor(boolean writes) {
        if (writes && (block != null && block.readOnly())) {
            throw new ProxyException(SqlState.READ_ONLY_SQL_TRANSACTION, "cannot execute statement in a read-only "
                    + "transaction");
        }
        boolean wantWriter = writes || (block != null && block.serializable()) || !store.hasReaders();
        if (lease != null) {
            if (wantWriter && !lease.isWriter()) {
                moveToWriter();
            }
            return lease;
        }
        lease = begin(wantWriter);
        return lease;
    }

    private Lease begin(boolean writer) {
        Lease l = acquire(writer);
        try {
            l.state.attach(this);
            l.execute(writer ? "BEGIN IMMEDIATE" : "BEGIN");
            for (String savepoint : savepoints) {
                l.execute("SAVEPOINT " + quoteIdentifier(savepoint));
            }
            if (deferForeignKeys) {
                l.execute("PRAGMA defer_foreign_keys = ON");
            }
            return l;
        } catch (SQLException e) {
            l.rollbackQuietly();
            l.release();
            throw SqliteErrors.map(e, null, false, null, null);
        }
    }

    /**
     * The transaction read on a reader and now writes: continue on the writer. The reader saw only
     * committed data and changed nothing, so nothing is lost; reads from here on see the writer's
     * newer data, which is READ COMMITTED's promise.
     */
    private void moveToWriter() {
        Lease reader = lease;
        boolean readerBusy = cursors.stream().anyMatch(c -> c.lease == reader);
        lease = null;
        if (readerBusy) {
            retired.add(reader);
        } else {
            reader.rollbackQuietly();
            reader.release();
        }
        lease = begin(true);
    }

    /** Waits for a connection; cancel() interrupts the wait. */
    private Lease acquire(boolean writer) {
        return interrupts.waiting(() -> store.acquire(writer));
    }

    /** A cursor's statement failed while stepping: the error, mapped, with the cursor closed. */
    ProxyException statementFailed(RowsCursor cursor, SQLException e) {
        ProxyException mapped = SqliteErrors.map(e, cursor.lease.state.takeFunctionError(), interrupts.timedOut(),
                cursor.cached.sql, cursor.cached.sql);
        cursor.finish();
        return failed(mapped);
    }

    void cursorFinished(RowsCursor cursor) {
        if (cursors.remove(cursor)) {
            interrupts.stop(cursor.token);
            cursor.lease.state.release(cursor.cached);
        }
    }

    // ---- transactions ----

    private void startImplicit() {
        mode = Mode.IMPLICIT;
        implicitFailed = false;
        block = null;
        blockStarted = false;
        transactionStart = store.clock().instant();
        parameters.begin();
    }

    private Cursor transaction(SqliteStatement statement) {
        TransactionControl tc = statement.transaction();
        String tag = statement.command();
        switch (tc.command()) {
            case BEGIN -> {
                if (mode == Mode.IMPLICIT) {
                    mode = Mode.EXPLICIT;
                    block = new Block(tc.readOnly() || parameters.defaultReadOnly(),
                            tc.isolationLevel() != null ? tc.isolationLevel() : parameters.defaultIsolation());
                    blockStarted = lease != null;
                }
                // BEGIN inside a block: PostgreSQL warns and carries on
                return FixedCursor.command(tag);
            }
            case COMMIT -> {
                boolean wasFailed = mode == Mode.FAILED;
                Block chained = block;
                if (tc.chain() && mode == Mode.IMPLICIT) {
                    throw new ProxyException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
                            "COMMIT AND CHAIN can only be used in transaction blocks");
                }
                if (wasFailed) {
                    rollbackTransaction();
                } else {
                    commitTransaction();
                }
                afterTransaction(tc.chain() ? chained : null);
                return FixedCursor.command(wasFailed ? "ROLLBACK" : "COMMIT");
            }
            case ROLLBACK -> {
                Block chained = block;
                if (tc.chain() && mode == Mode.IMPLICIT) {
                    throw new ProxyException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
                            "ROLLBACK AND CHAIN can only be used in transaction blocks");
                }
                rollbackTransaction();
                afterTransaction(tc.chain() ? chained : null);
                return FixedCursor.command("ROLLBACK");
            }
            case SAVEPOINT -> {
                requireBlock("SAVEPOINT");
                savepoints.add(tc.savepoint());
                parameters.savepoint(tc.savepoint());
                onLease("SAVEPOINT " + quoteIdentifier(tc.savepoint()));
                return FixedCursor.command("SAVEPOINT");
            }
            case RELEASE -> {
                requireBlock("RELEASE SAVEPOINT");
                int at = savepoint(tc.savepoint());
                onLease("RELEASE " + quoteIdentifier(tc.savepoint()));
                savepoints.subList(at, savepoints.size()).clear();
                parameters.release(tc.savepoint());
                return FixedCursor.command("RELEASE");
            }
            case ROLLBACK_TO -> {
                if (mode != Mode.EXPLICIT && mode != Mode.FAILED) {
                    throw new ProxyException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
                            "ROLLBACK TO SAVEPOINT can only be used in transaction blocks");
                }
                int at = savepoint(tc.savepoint());
                closeCursors();
                onLease("ROLLBACK TO " + quoteIdentifier(tc.savepoint()));
                savepoints.subList(at + 1, savepoints.size()).clear();
                parameters.rollbackTo(tc.savepoint());
                mode = Mode.EXPLICIT;
                return FixedCursor.command("ROLLBACK");
            }
            case SET_TRANSACTION -> {
                setTransaction(tc);
                return FixedCursor.command("SET");
            }
            default -> throw Refusals.twoPhaseCommit();
        }
    }

    /** After COMMIT or ROLLBACK: the rest of the batch is a new implicit transaction (or a chained block). */
    private void afterTransaction(Block chained) {
        mode = Mode.IDLE;
        if (inBatch || chained != null) {
            startImplicit();
        }
        if (chained != null) {
            mode = Mode.EXPLICIT;
            block = chained;
        }
    }

    private void setTransaction(TransactionControl tc) {
        if (mode != Mode.EXPLICIT) {
            return; // PostgreSQL: WARNING, SET TRANSACTION can only be used in transaction blocks
        }
        if (blockStarted) {
            throw new ProxyException(SqlState.ACTIVE_SQL_TRANSACTION, "SET TRANSACTION ISOLATION LEVEL must be called "
                    + "before any query");
        }
        block = new Block(tc.readOnly() || block.readOnly(), tc.isolationLevel() != null ? tc.isolationLevel()
                : block.isolation());
    }

    private void requireBlock(String command) {
        if (mode != Mode.EXPLICIT) {
            throw new ProxyException(SqlState.NO_ACTIVE_SQL_TRANSACTION, command
                    + " can only be used in transaction blocks");
        }
    }

    private int savepoint(String name) {
        int at = savepoints.lastIndexOf(name);
        if (at < 0) {
            throw new ProxyException(SqlState.INVALID_SAVEPOINT_SPECIFICATION, "savepoint \"" + name
                    + "\" does not exist");
        }
        return at;
    }

    /** Runs transaction control on the held connection; with none yet, {@link #begin} replays it later. */
    private void onLease(String sql) {
        if (lease == null) {
            return;
        }
        try {
            lease.execute(sql);
        } catch (SQLException e) {
            throw SqliteErrors.map(e, null, false, sql, sql);
        }
    }

    private void commitTransaction() {
        try {
            closeCursors();
            if (lease != null) {
                try {
                    lease.execute("COMMIT");
                } catch (SQLException e) {
                    lease.rollbackQuietly();
                    parameters.rollback();
                    throw SqliteErrors.map(e, lease.state.takeFunctionError(), false, "COMMIT", "COMMIT");
                }
            }
            parameters.commit();
        } finally {
            endTransaction();
        }
    }

    private void rollbackTransaction() {
        try {
            closeCursors();
            if (lease != null) {
                lease.rollbackQuietly();
            }
            parameters.rollback();
        } finally {
            endTransaction();
        }
    }

    private void endTransaction() {
        releaseLeases();
        savepoints.clear();
        deferForeignKeys = false;
        block = null;
        blockStarted = false;
        if (mode != Mode.IDLE) {
            mode = Mode.IDLE;
        }
    }

    private void closeCursors() {
        for (RowsCursor cursor : List.copyOf(cursors)) {
            cursor.finish();
        }
    }

    private void releaseLeases() {
        if (lease != null) {
            lease.release();
            lease = null;
        }
        for (Lease l : retired) {
            l.rollbackQuietly();
            l.release();
        }
        retired.clear();
    }

    /** An error: inside an explicit block the block is failed; an implicit transaction will roll back. */
    private ProxyException failed(ProxyException e) {
        if (mode == Mode.EXPLICIT) {
            mode = Mode.FAILED;
        } else if (mode == Mode.IMPLICIT) {
            implicitFailed = true;
        }
        return e;
    }

    private static ProxyException aborted() {
        return new ProxyException(SqlState.IN_FAILED_SQL_TRANSACTION,
                "current transaction is aborted, commands ignored until end of transaction block");
    }

    private static boolean endsFailedBlock(Classification c) {
        if (c.kind() != StatementKind.TRANSACTION || c.transaction() == null) {
            return false;
        }
        return switch (c.transaction().command()) {
            case COMMIT, ROLLBACK, ROLLBACK_TO -> true;
            default -> false;
        };
    }

    // ---- session commands ----

    private Cursor set(SqliteStatement statement) {
        SetCommand s = statement.classification.set();
        boolean local = s.scope() == SetCommand.Scope.LOCAL;
        String name = s.name();
        if (name != null && name.startsWith("transaction_")) {
            return setTransactionParameter(name, s);
        }
        if (s.resetAll()) {
            parameters.resetAll();
        } else if (s.reset() || s.isDefault()) {
            parameters.reset(name, local);
        } else {
            parameters.set(name, s.value(), local);
        }
        return FixedCursor.command(statement.command());
    }

    /** SET transaction_isolation / transaction_read_only: SET TRANSACTION by another name. */
    private Cursor setTransactionParameter(String name, SetCommand s) {
        if (s.reset() || s.isDefault() || s.value() == null) {
            return FixedCursor.command("SET");
        }
        String value = SettingValues.fromSql(name, s.value());
        TransactionControl tc = switch (name) {
            case "transaction_isolation" -> new TransactionControl(TransactionControl.Command.SET_TRANSACTION, null,
                    null, false, value.toLowerCase(Locale.ROOT), false);
            case "transaction_read_only" -> new TransactionControl(TransactionControl.Command.SET_TRANSACTION, null,
                    null, SettingValues.bool(name, value).equals("on"), null, false);
            default -> null;
        };
        if (tc != null) {
            setTransaction(tc);
        }
        return FixedCursor.command("SET");
    }

    private Cursor show(SqliteStatement statement) {
        String name = statement.argument;
        String value = switch (name) {
            case "transaction_isolation" -> block != null ? block.isolation() : parameters.defaultIsolation();
            case "transaction_read_only" -> block != null && block.readOnly() ? "on"
                    : block == null && parameters.defaultReadOnly() ? "on" : "off";
            default -> parameters.show(name);
        };
        List<List<Object>> rows = new ArrayList<>();
        rows.add(java.util.Collections.singletonList(value));
        return new FixedCursor(statement.columns, rows, "SHOW");
    }

    private Cursor showAll() {
        List<List<Object>> rows = new ArrayList<>();
        for (KnownParameters.Parameter p : KnownParameters.all()) {
            rows.add(List.of(p.name(), parameters.show(p.name()), ""));
        }
        return new FixedCursor(List.of(new Column("name", PgType.TEXT, 0, (short) 0),
                new Column("setting", PgType.TEXT, 0, (short) 0), new Column("description", PgType.TEXT, 0, (short) 0)),
                rows, "SHOW");
    }

    private Cursor setConstraints(SqliteStatement statement) {
        if (mode != Mode.EXPLICIT) {
            return FixedCursor.command("SET CONSTRAINTS"); // PostgreSQL: WARNING, no effect outside a block
        }
        deferForeignKeys = statement.argument.equals("deferred");
        onLease("PRAGMA defer_foreign_keys = " + (deferForeignKeys ? "ON" : "OFF"));
        return FixedCursor.command("SET CONSTRAINTS");
    }

    private Cursor lock() {
        requireBlock("LOCK TABLE");
        connectionFor(true); // the writer: no other session writes until this block ends
        blockStarted = true;
        return FixedCursor.command("LOCK TABLE");
    }

    private Cursor truncate(SqliteStatement statement) {
        Lease on = connectionFor(true);
        boolean restart = statement.sql.toLowerCase(Locale.ROOT).contains("restart identity");
        Object token = interrupts.start(on.state, parameters.statementTimeout());
        try {
            for (TableRef table : statement.classification.writeTables()) {
                on.execute("DELETE FROM " + quoteIdentifier(table.name()));
                if (restart) {
                    on.execute("DELETE FROM sqlite_sequence WHERE name = '" + table.name().replace("'", "''")
                            + "' AND EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence')");
                }
            }
        } catch (SQLException e) {
            throw SqliteErrors.map(e, on.state.takeFunctionError(), interrupts.timedOut(), statement.sql, statement.sql);
        } finally {
            interrupts.stop(token);
        }
        return FixedCursor.command("TRUNCATE TABLE");
    }

    /** A schema statement, translated against the schema as the writer sees it now, its steps in this transaction. */
    private Cursor schema(SqliteStatement statement) {
        Lease on = connectionFor(true);
        SchemaTranslator.SchemaChange change = SchemaTranslator.translate(statement.sql, statement.command(),
                new LiveSchema(on.state.connection));
        Object token = interrupts.start(on.state, parameters.statementTimeout());
        String step = statement.sql;
        try {
            for (String s : change.steps()) {
                step = s;
                on.execute(s);
            }
        } catch (SQLException e) {
            throw SqliteErrors.map(e, on.state.takeFunctionError(), interrupts.timedOut(), statement.sql, step);
        } finally {
            interrupts.stop(token);
        }
        return FixedCursor.command(change.tag());
    }

    private Cursor discardAll() {
        if (mode == Mode.EXPLICIT) {
            throw new ProxyException(SqlState.ACTIVE_SQL_TRANSACTION, "DISCARD ALL cannot run inside a transaction "
                    + "block");
        }
        parameters.resetAll();
        return FixedCursor.command("DISCARD ALL");
    }

    // ---- helpers ----

    /** The CommandComplete tag PostgreSQL writes for a command that affected or returned {@code n} rows. */
    static String tag(String command, long n) {
        return switch (command) {
            case "INSERT" -> "INSERT 0 " + n;
            case "UPDATE", "DELETE", "SELECT", "MERGE", "MOVE", "FETCH", "COPY" -> command + " " + n;
            default -> command;
        };
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
