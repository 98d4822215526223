package tandem.adapters.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.session.TransactionStatus;
import tandem.core.sql.Classification;
import tandem.core.sql.SetCommand;
import tandem.core.sql.SqlLexer;
import tandem.core.sql.StatementKind;
import tandem.core.sql.TableRef;
import tandem.core.sql.Token;
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

    private static final Logger log = LoggerFactory.getLogger(SqliteSession.class);

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

    // cancel and statement_timeout arrive on other threads
    private final Object running = new Object();
    private ConnectionState runningOn;
    /** Identifies the statement runningOn belongs to: a later one replaces it, an earlier one's end must not clear it. */
    private Object runningToken;
    private Thread waitingThread;
    private boolean cancelRequested;
    private boolean timedOut;
    private ScheduledFuture<?> timeout;

    SqliteSession(SqliteStore store, SessionSettings settings) {
        this.store = store;
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
            return switch (c.kind()) {
                case EMPTY -> SqliteStatement.emulated(sql, c, SqliteStatement.Kind.EMPTY, null, List.of());
                case TRANSACTION -> transactionStatement(sql, c);
                case SESSION -> sessionStatement(sql, c);
                default -> storeStatement(sql, c, declared);
            };
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
    public void cancel() {
        synchronized (running) {
            if (runningOn != null) {
                cancelRequested = true;
                interrupt(runningOn);
            } else if (waitingThread != null) {
                cancelRequested = true;
                waitingThread.interrupt();
            }
        }
    }

    @Override
    public void close() {
        try {
            stopRunning(runningToken);
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

    private SqliteStatement transactionStatement(String sql, Classification c) {
        TransactionControl tc = c.transaction();
        switch (tc.command()) {
            case PREPARE_TRANSACTION, COMMIT_PREPARED, ROLLBACK_PREPARED -> throw Refusals.twoPhaseCommit();
            default -> {
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.TRANSACTION, null, List.of());
            }
        }
    }

    private SqliteStatement sessionStatement(String sql, Classification c) {
        String command = c.command();
        switch (command) {
            case "SET", "RESET" -> {
                if (c.set() == null) {
                    throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error in " + command + " statement");
                }
                if (!c.set().resetAll() && !c.set().reset() && !c.set().isDefault() && c.set().value() == null) {
                    throw Refusals.of("SET ... FROM CURRENT", "give the value: SET name = value");
                }
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.SET, null, List.of());
            }
            case "SHOW" -> {
                String name = showName(sql);
                if (name.equals("all")) {
                    return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.SHOW_ALL, null, List.of(
                            new Column("name", PgType.TEXT, 0, (short) 0), new Column("setting", PgType.TEXT, 0, (short) 0),
                            new Column("description", PgType.TEXT, 0, (short) 0)));
                }
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.SHOW, name,
                        List.of(new Column(SessionParameters.canonicalName(name), PgType.TEXT, 0, (short) 0)));
            }
            case "SET CONSTRAINTS" -> {
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.SET_CONSTRAINTS, constraintsMode(sql),
                        List.of());
            }
            case "DISCARD ALL" -> {
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.DISCARD_ALL, null, List.of());
            }
            case "DISCARD PLANS", "DISCARD SEQUENCES", "DISCARD TEMP", "DEALLOCATE ALL" -> {
                return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.NOTHING, null, List.of());
            }
            case "DEALLOCATE" -> throw new ProxyException(SqlState.INVALID_SQL_STATEMENT_NAME,
                    "prepared statement does not exist", null, "SQL-level PREPARE is not emulated on SQLite stores");
            case "LISTEN", "UNLISTEN", "NOTIFY" -> throw Refusals.notifications(command);
            case "PREPARE", "EXECUTE" -> throw Refusals.sqlPreparedStatements(command);
            case "DECLARE CURSOR", "CLOSE CURSOR", "CLOSE" -> throw Refusals.sqlCursors(command);
            default -> throw Refusals.of(command.isEmpty() ? "this statement" : command,
                    "SQLite stores emulate SET, RESET, SHOW and DISCARD ALL of PostgreSQL's session commands");
        }
    }

    private SqliteStatement storeStatement(String sql, Classification c, List<PgType> declared) {
        if (c.command().equals("LOCK TABLE")) {
            return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.LOCK, null, List.of());
        }
        if (c.command().equals("TRUNCATE TABLE")) {
            checkTruncate(sql);
            return SqliteStatement.emulated(sql, c, SqliteStatement.Kind.TRUNCATE, null, List.of());
        }
        for (PgType type : declared) {
            if (type != null && type.isArray()) {
                throw Refusals.arrays("a parameter of type " + type.sqlName());
            }
        }
        Translation translation = store.translator().translate(sql, c);
        return withConnection(state -> describe(sql, c, translation, declared, state));
    }

    /**
     * Prepares the translated statement on a connection to learn its columns and parameters, after
     * giving untyped literals and parameters the types of the columns they meet.
     */
    private SqliteStatement describe(String sql, Classification c, Translation t, List<PgType> declared,
            ConnectionState state) throws SQLException {
        ColumnContext context = new ColumnContext(t, c, table -> {
            Map<String, String> out = new java.util.LinkedHashMap<>();
            for (SqliteStore.TableColumn column : store.columns(state, table)) {
                out.put(column.name(), column.declaredType());
            }
            return out;
        });
        List<PgType> parameterTypes = ParameterInference.infer(t, declared, context);
        String sqliteSql = coerceToColumns(t, context, parameterTypes);
        ConnectionState.Cached cached = state.statement(sqliteSql, state.schemaVersion());
        StatementShape shape;
        try {
            shape = cached.shape;
        } finally {
            state.release(cached);
        }
        int n = shape.columnCount();
        List<Translation.SelectItem> items = alignItems(t.items(), n);
        List<Column> columns = new ArrayList<>(n);
        List<ColumnType> types = new ArrayList<>(n);
        List<String> tables = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Translation.SelectItem item = items == null ? null : items.get(i);
            ColumnType declaredType = TypeNames.declared(shape.declaredTypes()[i]);
            ColumnType type;
            if (item != null && item.type() != null && item.type().basis() == ColumnType.Basis.EXPRESSION) {
                type = item.type();
            } else if (declaredType.basis() == ColumnType.Basis.DECLARED) {
                type = declaredType;
            } else if (item != null && item.parameter() > 0 && item.parameter() <= parameterTypes.size()) {
                type = ColumnType.expression(parameterTypes.get(item.parameter() - 1));
            } else if (item != null && item.type() != null) {
                type = item.type();
            } else {
                type = ColumnType.UNKNOWN;
            }
            String name = item != null && item.name() != null ? item.name()
                    : fallbackName(shape.names()[i], shape.tables()[i]);
            columns.add(new Column(name, type.type(), 0, (short) 0));
            types.add(type);
            tables.add(shape.tables()[i]);
        }
        return new SqliteStatement(sql, c, SqliteStatement.Kind.SQLITE, t, sqliteSql, parameterTypes, columns, types,
                tables, null);
    }

    /**
     * PostgreSQL gives an untyped literal the type of the column it meets: {@code ref = 'B0EE...'}
     * compares uuids, {@code active = 'true'} booleans, and {@code INSERT ... VALUES ('2024-01-15T10:30Z')}
     * into a timestamp column stores a timestamp. SQLite would compare and store the text as written,
     * so such literals, and parameters the client sent as text, are cast to the column's type.
     */
    private static String coerceToColumns(Translation t, ColumnContext context, List<PgType> parameterTypes) {
        Map<Integer, String> casts = new HashMap<>();
        List<Token> tokens = t.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            boolean candidate;
            if (token.type().isString()) {
                candidate = true;
            } else if (token.type() == tandem.core.sql.TokenType.PARAMETER && token.raw(t.source()).startsWith("$")) {
                int n = Integer.parseInt(token.raw(t.source()).substring(1));
                PgType type = n <= parameterTypes.size() ? parameterTypes.get(n - 1) : PgType.TEXT;
                candidate = type == PgType.TEXT || type == PgType.VARCHAR || type == PgType.BPCHAR
                        || type == PgType.UNKNOWN;
            } else {
                candidate = false;
            }
            if (!candidate || isCastOperand(tokens, i) || t.template().castsToken(i)) {
                continue;
            }
            CastTarget target = TypeNames.coercion(context.declaredTypeAt(i));
            if (target != null) {
                casts.put(i, target.function() + "(" + target.extraArguments() + ")");
            }
        }
        return casts.isEmpty() ? t.sql() : t.template().render(casts);
    }

    /** {@code 'x'::type} and {@code CAST('x' AS type)}: the client typed the value already. */
    private static boolean isCastOperand(List<Token> tokens, int i) {
        boolean castAfter = i + 1 < tokens.size() && tokens.get(i + 1).type() == tandem.core.sql.TokenType.CAST;
        boolean castCall = i >= 2 && i + 1 < tokens.size() && tokens.get(i + 1).isKeyword("as")
                && tokens.get(i - 1).type() == tandem.core.sql.TokenType.LEFT_PAREN && tokens.get(i - 2).isKeyword("cast");
        return castAfter || castCall;
    }

    /**
     * The select items, one per result column: a single {@code *} stands for however many columns
     * the statement has beyond the other items; with more than one the columns cannot be told apart.
     */
    private static List<Translation.SelectItem> alignItems(List<Translation.SelectItem> items, int columns) {
        if (items == null) {
            return null;
        }
        long stars = items.stream().filter(i -> i == SelectItems.STAR).count();
        if (stars == 0) {
            return items.size() == columns ? items : null;
        }
        int expanded = columns - (items.size() - 1);
        if (stars > 1 || expanded < 0) {
            return null;
        }
        List<Translation.SelectItem> aligned = new ArrayList<>(columns);
        for (Translation.SelectItem item : items) {
            if (item == SelectItems.STAR) {
                for (int k = 0; k < expanded; k++) {
                    aligned.add(SelectItems.STAR);
                }
            } else {
                aligned.add(item);
            }
        }
        return aligned;
    }

    /**
     * SQLite's name for a column the text could not name: a table column's name, or for an
     * expression its text, which would show tandem's translation; PostgreSQL says ?column?.
     */
    private static String fallbackName(String sqliteName, String table) {
        if (sqliteName == null) {
            return "?column?";
        }
        if (table != null && !table.isEmpty()) {
            return sqliteName;
        }
        for (int i = 0; i < sqliteName.length(); i++) {
            char c = sqliteName.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '$') {
                return "?column?";
            }
        }
        return sqliteName;
    }

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
            cached = state.statement(statement.sqliteSql, -1);
        } catch (SQLException e) {
            throw SqliteErrors.map(e, state.takeFunctionError(), false, statement.sql, statement.sqliteSql);
        }
        PreparedStatement ps = cached.statement;
        boolean keepCached = false;
        Object token = null;
        try {
            int parameters = cached.shape.parameterCount();
            for (int i = 1; i <= parameters; i++) {
                ParameterBinder.bind(ps, i, i <= values.size() ? values.get(i - 1) : null);
            }
            token = startRunning(state);
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
            throw SqliteErrors.map(e, state.takeFunctionError(), timedOut, statement.sql, statement.sqliteSql);
        } finally {
            if (!keepCached) {
                stopRunning(token);
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
        synchronized (running) {
            waitingThread = Thread.currentThread();
            cancelRequested = false;
        }
        try {
            return store.acquire(writer);
        } finally {
            synchronized (running) {
                waitingThread = null;
                Thread.interrupted(); // a cancel that arrived just after the wait ended must not linger
            }
        }
    }

    /** Arms statement_timeout and makes the statement cancellable; returns its token. */
    private Object startRunning(ConnectionState state) {
        Duration limit = parameters.statementTimeout();
        Object token = new Object();
        synchronized (running) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            runningOn = state;
            runningToken = token;
            cancelRequested = false;
            timedOut = false;
            timeout = limit == null ? null
                    : store.timer().schedule(() -> timeUp(token), limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        return token;
    }

    private void stopRunning(Object token) {
        synchronized (running) {
            if (token == null || token != runningToken) {
                return;
            }
            runningOn = null;
            runningToken = null;
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
        }
    }

    private void timeUp(Object token) {
        synchronized (running) {
            if (runningToken == token && runningOn != null) {
                ConnectionState state = runningOn;
                timedOut = true;
                interrupt(state);
            }
        }
    }

    private static void interrupt(ConnectionState state) {
        try {
            state.connection.getDatabase().interrupt();
        } catch (SQLException e) {
            log.debug("could not interrupt a SQLite statement", e);
        }
    }

    /** A cursor's statement failed while stepping: the error, mapped, with the cursor closed. */
    ProxyException statementFailed(RowsCursor cursor, SQLException e) {
        ProxyException mapped = SqliteErrors.map(e, cursor.lease.state.takeFunctionError(), timedOut,
                cursor.cached.sql, cursor.cached.sql);
        cursor.finish();
        return failed(mapped);
    }

    void cursorFinished(RowsCursor cursor) {
        if (cursors.remove(cursor)) {
            stopRunning(cursor.token);
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
        Object token = startRunning(on.state);
        try {
            for (TableRef table : statement.classification.writeTables()) {
                on.execute("DELETE FROM " + quoteIdentifier(table.name()));
                if (restart) {
                    on.execute("DELETE FROM sqlite_sequence WHERE name = '" + table.name().replace("'", "''")
                            + "' AND EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence')");
                }
            }
        } catch (SQLException e) {
            throw SqliteErrors.map(e, on.state.takeFunctionError(), timedOut, statement.sql, statement.sql);
        } finally {
            stopRunning(token);
        }
        return FixedCursor.command("TRUNCATE TABLE");
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

    /** SHOW name, SHOW TIME ZONE, SHOW TRANSACTION ISOLATION LEVEL, SHOW ALL: the parameter, lower case. */
    private static String showName(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        StringBuilder words = new StringBuilder();
        for (int i = 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            switch (t.type()) {
                case IDENTIFIER, QUOTED_IDENTIFIER -> words.append(words.isEmpty() ? "" : " ").append(t.text());
                case DOT -> words.append('.');
                case SEMICOLON -> {
                }
                default -> throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + t.raw(sql)
                        + "\"");
            }
        }
        String name = words.toString().replace(" .", ".").replace(". ", ".");
        return switch (name) {
            case "" -> throw new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at end of input");
            case "time zone" -> "timezone";
            case "transaction isolation level" -> "transaction_isolation";
            case "session authorization" -> "session_authorization";
            default -> name.toLowerCase(Locale.ROOT);
        };
    }

    private static String constraintsMode(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        if (tokens.size() == 4 && tokens.get(2).isKeyword("all")
                && (tokens.get(3).isKeyword("deferred") || tokens.get(3).isKeyword("immediate"))) {
            return tokens.get(3).text();
        }
        throw Refusals.of("SET CONSTRAINTS for named constraints", "SQLite defers all foreign keys or none: SET "
                + "CONSTRAINTS ALL DEFERRED");
    }

    private static void checkTruncate(String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.contains("cascade")) {
            throw Refusals.of("TRUNCATE ... CASCADE", "truncate the referencing tables first, or declare the foreign "
                    + "keys ON DELETE CASCADE and use DELETE");
        }
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
