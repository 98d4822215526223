package tandem.proxy.emulated;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.session.PrimaryMoved;
import tandem.core.session.TransactionStatus;
import tandem.core.sql.ClassificationCache;
import tandem.core.sql.CopyCommand;
import tandem.core.sql.StatementKind;
import tandem.core.sql.StatementSplitter;
import tandem.core.store.SessionSettings;
import tandem.core.store.SqlSession.Column;
import tandem.core.store.SqlSession.Cursor;
import tandem.core.store.SqlSession.PreparedSql;
import tandem.core.store.SqlSession;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;
import tandem.proxy.metrics.ProxyMetrics;
import tandem.proxy.session.Backend;
import tandem.proxy.session.ClientErrors;
import tandem.proxy.session.ClientOutput;
import tandem.proxy.session.ClientSession;
import tandem.proxy.wire.backend.BindComplete;
import tandem.proxy.wire.backend.CloseComplete;
import tandem.proxy.wire.backend.CommandComplete;
import tandem.proxy.wire.backend.CopyInResponse;
import tandem.proxy.wire.backend.EmptyQueryResponse;
import tandem.proxy.wire.backend.NoData;
import tandem.proxy.wire.backend.ParameterDescription;
import tandem.proxy.wire.backend.ParameterStatus;
import tandem.proxy.wire.backend.ParseComplete;
import tandem.proxy.wire.backend.PortalSuspended;
import tandem.proxy.wire.backend.ReadyForQuery;
import tandem.proxy.wire.backend.RowDescription;
import tandem.proxy.wire.frontend.Bind;
import tandem.proxy.wire.frontend.Close;
import tandem.proxy.wire.frontend.CopyData;
import tandem.proxy.wire.frontend.CopyDone;
import tandem.proxy.wire.frontend.CopyFail;
import tandem.proxy.wire.frontend.Describe;
import tandem.proxy.wire.frontend.Execute;
import tandem.proxy.wire.frontend.Flush;
import tandem.proxy.wire.frontend.FrontendMessage;
import tandem.proxy.wire.frontend.FunctionCall;
import tandem.proxy.wire.frontend.Parse;
import tandem.proxy.wire.frontend.Query;
import tandem.proxy.wire.frontend.Sync;

/**
 * A PostgreSQL server emulated for one client over a store that is not PostgreSQL: the protocol
 * half (statements, portals, formats, row limits, skip-until-Sync, ReadyForQuery) over the
 * statement half a {@link SqlSession} provides.
 *
 * <p>Store calls block, so the client's messages run on a worker thread, a batch (up to Sync,
 * Flush or a Query) at a time; the client's channel stops reading meanwhile, as a PostgreSQL
 * backend reads nothing while it executes. Results stream back in chunks.
 */
public final class EmulatedBackend implements Backend {

    private static final Logger log = LoggerFactory.getLogger(EmulatedBackend.class);
    /**
     * Platform threads, not virtual ones: SQLite runs in native code, which pins a virtual thread to
     * its carrier, and on a small machine a few long queries would stall every virtual thread in
     * the process. Idle threads end after a minute.
     */
    private static final ExecutorService WORKERS =
            Executors.newCachedThreadPool(Thread.ofPlatform().name("sqlite-session-", 0).daemon(true).factory());
    /** A client that never sends Sync still gets its messages run, a bounded number at a time. */
    private static final int MAX_PENDING = 1000;

    private final ClientSession session;
    private final ClientOutput out;
    private final Function<SessionSettings, SqlSession> sessions;
    private final ProxyMetrics.Route meters;
    private final ClassificationCache classifier;
    private final OutputBuffer output;

    // event loop side
    private final List<FrontendMessage> pending = new ArrayList<>();
    private boolean running;
    private boolean closed;
    /** As the last ReadyForQuery said; written by the worker, read on the event loop. */
    private volatile TransactionStatus reported = TransactionStatus.IDLE;

    // worker side: one batch runs at a time, handed over through the executor and the event loop
    private SqlSession sql;
    private final Map<String, PreparedSql> statements = new HashMap<>();
    private volatile java.util.function.Consumer<List<FrontendMessage>> onPrimaryMoved;
    /** The client's named statements as it sent them: what another backend needs to take the client over. */
    private final Map<String, Prepared> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    /** A statement as the client prepared it: its text and the parameter types it gave (0: unspecified). */
    public record Prepared(String sql, int[] parameterTypes) {
    }
    private final Map<String, Portal> portals = new HashMap<>();
    /** The COPY FROM STDIN under way, or null. */
    private CopyIn copying;
    private boolean inBatch;
    private boolean batchFailed;
    private boolean skipping;
    private long batchStarted;

    public EmulatedBackend(ClientSession session, Function<SessionSettings, SqlSession> sessions,
            ClassificationCache classifier, ProxyMetrics.Route meters) {
        this.session = session;
        this.out = session.output();
        this.sessions = sessions;
        this.meters = meters;
        this.classifier = classifier;
        this.output = new OutputBuffer(out);
    }

    @Override
    public Future<Map<String, String>> open() {
        Promise<Map<String, String>> opened = out.loop().newPromise();
        WORKERS.execute(() -> {
            try {
                sql = sessions.apply(new SessionSettings(session.user(), session.database(),
                        session.startupParameters()));
                opened.setSuccess(sql.reportedParameters());
            } catch (RuntimeException e) {
                opened.setFailure(e);
            }
        });
        return opened;
    }

    // ---- event loop side ---------------------------------------------------------------------------

    @Override
    public void receive(FrontendMessage message) {
        if (closed) {
            ReferenceCountUtil.release(message);
            return;
        }
        pending.add(message);
        if (endsBatch(message) || pending.size() >= MAX_PENDING) {
            runPending();
        }
    }

    private static boolean endsBatch(FrontendMessage message) {
        return message instanceof Sync || message instanceof Query || message instanceof Flush
                || message instanceof FunctionCall || message instanceof CopyData || message instanceof CopyDone
                || message instanceof CopyFail;
    }

    private void runPending() {
        if (running || pending.isEmpty()) {
            return;
        }
        List<FrontendMessage> batch = List.copyOf(pending);
        pending.clear();
        running = true;
        out.holdReading();
        WORKERS.execute(() -> {
            try {
                run(batch);
            } finally {
                out.loop().execute(this::finished);
            }
        });
    }

    private void finished() {
        running = false;
        out.releaseReading();
        if (closed) {
            WORKERS.execute(this::closeSession);
            return;
        }
        boolean complete = pending.stream().anyMatch(EmulatedBackend::endsBatch) || pending.size() >= MAX_PENDING;
        if (complete) {
            runPending();
        }
    }

    @Override
    public void endOfInput() {
        // output is flushed by the worker at the end of each batch
    }

    @Override
    public void clientWritabilityChanged(boolean writable) {
        output.writabilityChanged();
    }

    /**
     * Called on the client's event loop, instead of ending the session, when a batch finds before
     * running anything that a cutover moved the primary elsewhere ({@link PrimaryMoved}), with
     * that batch's messages and every one the client sent after it, in order: none of them ran
     * here, and the callee owns them now.
     */
    public void onPrimaryMoved(java.util.function.Consumer<List<FrontendMessage>> elsewhere) {
        this.onPrimaryMoved = elsewhere;
    }

    /** What the client changed with SET, as statements for a PostgreSQL session (read between two batches). */
    public Map<String, String> settingsAsSql() {
        SqlSession current = sql;
        return current == null ? Map.of() : current.settingsAsSql();
    }

    /** The client's named prepared statements, by name (read between two batches). */
    public Map<String, Prepared> namedStatements() {
        return Map.copyOf(parsed);
    }

    @Override
    public boolean isIdle() {
        return !running && pending.isEmpty() && reported == TransactionStatus.IDLE;
    }

    @Override
    public void cancel() {
        SqlSession current = sql;
        if (current != null) {
            current.cancel();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        if (running) {
            cancel();
        } else {
            WORKERS.execute(this::closeSession);
        }
    }

    private void closeSession() {
        output.discard();
        portals.values().forEach(Portal::close);
        portals.clear();
        if (sql != null) {
            try {
                sql.close();
            } catch (RuntimeException e) {
                log.warn("closing the SQLite session of client {} failed", session.processId(), e);
            }
        }
    }

    // ---- worker side ---------------------------------------------------------------------------------

    private void run(List<FrontendMessage> batch) {
        int handled = 0;
        // a second reference to each, kept until the batch ran: one that finds the primary moved is handed on whole
        batch.forEach(ReferenceCountUtil::retain);
        boolean handedOn = false;
        try {
            for (FrontendMessage message : batch) {
                try {
                    handle(message, batch);
                } finally {
                    handled++;
                    ReferenceCountUtil.release(message);
                }
            }
            output.handOver(true);
        } catch (PrimaryMoved moved) {
            // nothing of the batch ran on this store; the client hears nothing of it from here
            output.discard();
            batch.subList(handled, batch.size()).forEach(ReferenceCountUtil::release);
            java.util.function.Consumer<List<FrontendMessage>> elsewhere = onPrimaryMoved;
            if (elsewhere != null) {
                log.debug("session {}: {}; its batch goes to the new primary", session.processId(), moved.getMessage());
                handedOn = true;
                out.loop().execute(() -> {
                    List<FrontendMessage> all = new ArrayList<>(batch);
                    all.addAll(pending);
                    pending.clear();
                    elsewhere.accept(all);
                });
            } else {
                log.info("session {} ends: {}", session.processId(), moved.getMessage());
                out.loop().execute(() -> out.fail(moved));
            }
        } catch (RuntimeException e) {
            if (e instanceof ProxyException p && p.isFatal()) {
                log.info("session {} ends: {}", session.processId(), p.getMessage());
            } else {
                log.error("session {} failed", session.processId(), e);
            }
            output.discard();
            out.loop().execute(() -> out.fail(e));
        } finally {
            if (!handedOn) {
                batch.forEach(ReferenceCountUtil::release);
            }
        }
    }

    private void handle(FrontendMessage message, List<FrontendMessage> batch) {
        if (copying != null && !(message instanceof CopyData || message instanceof CopyDone
                || message instanceof CopyFail || message instanceof Flush || message instanceof Sync)) {
            copyFailed(new ProxyException(SqlState.PROTOCOL_VIOLATION, "unexpected " + message.getClass().getSimpleName()
                    + " message during COPY from stdin"));
        }
        if (message instanceof Query query) {
            simpleQuery(query);
            return;
        }
        if (message instanceof Sync) {
            sync();
            return;
        }
        if (message instanceof Flush) {
            output.handOver(true);
            return;
        }
        if (message instanceof FunctionCall) {
            error(new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "function calls (fastpath) are not supported on "
                    + "SQLite stores"));
            ready(sql.status());
            return;
        }
        if (message instanceof CopyData || message instanceof CopyDone || message instanceof CopyFail) {
            if (copying != null) {
                copy(message);
            }
            return; // outside a COPY: PostgreSQL ignores strays too
        }
        if (skipping) {
            return;
        }
        try {
            switch (message) {
                case Parse p -> parse(p);
                case Bind b -> bind(b, batch);
                case Describe d -> describe(d);
                case Execute e -> execute(e);
                case Close c -> close(c);
                default -> throw new ProxyException(SqlState.PROTOCOL_VIOLATION,
                        "unexpected " + message.getClass().getSimpleName() + " message");
            }
        } catch (ProxyException e) {
            error(e);
            batchFailed = true;
            skipping = true;
        }
    }

    private void simpleQuery(Query query) {
        skipping = false;
        List<String> statementsInQuery = StatementSplitter.split(query.sql());
        if (statementsInQuery.isEmpty()) {
            output.write(EmptyQueryResponse.INSTANCE);
            ready(sql.status());
            return;
        }
        boolean failed = false;
        try {
            boolean writes = statementsInQuery.stream().anyMatch(s -> mayWrite(s));
            batchStarted = meters.now();
            sql.beginBatch(writes);
            for (int i = 0; i < statementsInQuery.size(); i++) {
                String text = statementsInQuery.get(i);
                if (CopyCommand.isCopyFromStdin(text)) {
                    if (i + 1 < statementsInQuery.size()) {
                        throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "COPY FROM STDIN followed by other "
                                + "statements in one query is not supported on SQLite stores", null,
                                "send the COPY as a query of its own");
                    }
                    copying = CopyIn.start(sql, CopyCommand.parse(text));
                    output.write(new CopyInResponse(0, new short[copying.columns()]));
                    return; // the rows come as CopyData; CopyDone ends the query
                }
                PreparedSql statement = sql.prepare(text, List.of());
                if (!statement.parameterTypes().isEmpty()) {
                    throw new ProxyException(SqlState.UNDEFINED_PARAMETER, "there is no parameter $1");
                }
                try (Cursor cursor = sql.execute(statement, List.of())) {
                    if (statement.returnsRows()) {
                        output.write(rowDescription(cursor.columns(), new short[0]));
                    }
                    writeRows(cursor, Integer.MAX_VALUE, new short[0]);
                    output.write(new CommandComplete(cursor.commandTag()));
                }
                reportChangedParameters();
            }
        } catch (ProxyException e) {
            error(e);
            failed = true;
        }
        ready(endBatch(failed));
    }

    /** A message of the COPY under way: rows in, then its end (CopyDone) or the client's abandon (CopyFail). */
    private void copy(FrontendMessage message) {
        CopyIn copy = copying;
        try {
            if (message instanceof CopyData data && !copy.failed()) {
                byte[] bytes = new byte[data.data().readableBytes()];
                data.data().getBytes(data.data().readerIndex(), bytes);
                copy.accept(bytes);
            } else if (message instanceof CopyDone) {
                copying = null;
                if (copy.failed()) {
                    ready(endBatch(true));
                    return;
                }
                long rows = copy.finish();
                output.write(new CommandComplete("COPY " + rows));
                ready(endBatch(false));
            } else if (message instanceof CopyFail fail) {
                copying = null;
                if (!copy.failed()) {
                    error(new ProxyException(SqlState.QUERY_CANCELED, "COPY from stdin failed: " + fail.message()));
                }
                ready(endBatch(true));
            }
        } catch (ProxyException e) {
            if (copying == null) { // CopyDone: the last row failed
                error(e);
                ready(endBatch(true));
            } else {
                copyFailed(e);
            }
        }
    }

    /** The COPY fails now; what the client still streams is dropped until its CopyDone or CopyFail. */
    private void copyFailed(ProxyException e) {
        error(e);
        copying.fail();
    }

    private TransactionStatus endBatch(boolean failed) {
        TransactionStatus status;
        try {
            status = sql.endBatch(failed);
        } catch (ProxyException e) {
            error(e);
            failed = true;
            status = sql.endBatch(true);
        }
        if (batchStarted != 0) {
            meters.completed(batchStarted, failed);
            batchStarted = 0;
        }
        inBatch = false;
        if (status == TransactionStatus.IDLE) {
            portals.values().forEach(Portal::close);
            portals.clear();
        }
        return status;
    }

    private boolean mayWrite(String statement) {
        var classification = classifier.classify(statement);
        return classification.kind() != StatementKind.READ || classification.lockingRead();
    }

    private void parse(Parse parse) {
        String name = parse.statement();
        if (!name.isEmpty() && statements.containsKey(name)) {
            throw new ProxyException(SqlState.DUPLICATE_PREPARED_STATEMENT, "prepared statement \"" + name
                    + "\" already exists");
        }
        if (StatementSplitter.split(parse.sql()).size() > 1) {
            throw new ProxyException(SqlState.SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement");
        }
        List<PgType> types = new ArrayList<>(parse.parameterTypes().length);
        for (int oid : parse.parameterTypes()) {
            types.add(oid == 0 ? null : type(oid));
        }
        statements.put(name, sql.prepare(parse.sql(), types));
        if (!name.isEmpty()) {
            parsed.put(name, new Prepared(parse.sql(), parse.parameterTypes().clone()));
        }
        output.write(ParseComplete.INSTANCE);
    }

    private static PgType type(int oid) {
        PgType type = PgType.byOid(oid);
        if (type == null) {
            throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "parameter type with OID " + oid
                    + " is not supported on SQLite stores", null, "send the value as text (OID 0 or 25)");
        }
        return type;
    }

    private void bind(Bind bind, List<FrontendMessage> batch) {
        PreparedSql statement = statement(bind.statement());
        if (!bind.portal().isEmpty() && portals.containsKey(bind.portal())) {
            throw new ProxyException(SqlState.DUPLICATE_CURSOR, "portal \"" + bind.portal() + "\" already exists");
        }
        List<PgType> types = statement.parameterTypes();
        byte[][] values = bind.parameterValues();
        if (values.length != types.size()) {
            throw new ProxyException(SqlState.PROTOCOL_VIOLATION, "bind message supplies " + values.length
                    + " parameters, but prepared statement \"" + bind.statement() + "\" requires " + types.size());
        }
        short[] formats = bind.parameterFormats();
        if (formats.length > 1 && formats.length != values.length) {
            throw new ProxyException(SqlState.PROTOCOL_VIOLATION, "bind message has " + formats.length
                    + " parameter formats but " + values.length + " parameters");
        }
        PgSessionSettings settings = sql.outputSettings();
        List<Object> decoded = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            byte[] value = values[i];
            short format = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i];
            PgType type = types.get(i);
            if (value == null) {
                decoded.add(null);
            } else if (format == 0) {
                decoded.add(PgValues.decodeText(type, value, settings));
            } else if (format == 1) {
                decoded.add(PgValues.decodeBinary(type, value));
            } else {
                throw new ProxyException(SqlState.PROTOCOL_VIOLATION, "unsupported format code: " + format);
            }
        }
        if (!inBatch) {
            batchStarted = meters.now();
            sql.beginBatch(batchWrites(batch));
            inBatch = true;
        }
        Portal old = portals.put(bind.portal(), new Portal(statement, decoded, bind.resultFormats()));
        if (old != null) {
            old.close();
        }
        output.write(BindComplete.INSTANCE);
    }

    /** Whether anything bound in this batch may write: then the batch takes the store's writer. */
    private boolean batchWrites(List<FrontendMessage> batch) {
        Map<String, Boolean> parsedHere = new HashMap<>();
        for (FrontendMessage message : batch) {
            if (message instanceof Parse p) {
                parsedHere.put(p.statement(), mayWrite(p.sql()));
            } else if (message instanceof Bind b) {
                Boolean writes = parsedHere.get(b.statement());
                if (writes == null) {
                    PreparedSql known = statements.get(b.statement());
                    writes = known == null || !known.readOnly();
                }
                if (writes) {
                    return true;
                }
            }
        }
        return false;
    }

    private void describe(Describe describe) {
        if (describe.kind() == Describe.STATEMENT) {
            PreparedSql statement = statement(describe.name());
            int[] oids = statement.parameterTypes().stream().mapToInt(PgType::oid).toArray();
            output.write(new ParameterDescription(oids));
            output.write(statement.returnsRows() ? rowDescription(statement.columns(), new short[0]) : NoData.INSTANCE);
            return;
        }
        Portal portal = portal(describe.name());
        if (!portal.statement.returnsRows()) {
            output.write(NoData.INSTANCE);
            return;
        }
        // reads run now, so that expression columns are typed by their values; writes wait for Execute
        List<Column> columns = portal.statement.readOnly() ? portal.open(sql).columns() : portal.statement.columns();
        output.write(rowDescription(columns, portal.resultFormats));
    }

    private void execute(Execute execute) {
        Portal portal = portal(execute.portal());
        Cursor cursor = portal.open(sql);
        int limit = execute.maxRows() <= 0 ? Integer.MAX_VALUE : execute.maxRows();
        int sent = writeRows(cursor, limit, portal.resultFormats);
        if (sent == limit && limit != Integer.MAX_VALUE) {
            output.write(PortalSuspended.INSTANCE);
        } else {
            // PostgreSQL counts the rows of this Execute, not of the portal's whole life
            String tag = cursor.commandTag();
            output.write(new CommandComplete(tag.startsWith("SELECT ") ? "SELECT " + sent : tag));
            reportChangedParameters();
        }
    }

    private void close(Close close) {
        if (close.kind() == Close.STATEMENT) {
            statements.remove(close.name());
            parsed.remove(close.name());
        } else {
            Portal portal = portals.remove(close.name());
            if (portal != null) {
                portal.close();
            }
        }
        output.write(CloseComplete.INSTANCE);
    }

    private void sync() {
        TransactionStatus status = endBatch(batchFailed);
        batchFailed = false;
        skipping = false;
        ready(status);
    }

    private void ready(TransactionStatus status) {
        reported = status;
        output.write(new ReadyForQuery(status));
    }

    private PreparedSql statement(String name) {
        PreparedSql statement = statements.get(name);
        if (statement == null) {
            throw new ProxyException(SqlState.INVALID_SQL_STATEMENT_NAME, name.isEmpty()
                    ? "unnamed prepared statement does not exist"
                    : "prepared statement \"" + name + "\" does not exist");
        }
        return statement;
    }

    private Portal portal(String name) {
        Portal portal = portals.get(name);
        if (portal == null) {
            throw new ProxyException(SqlState.INVALID_CURSOR_NAME, name.isEmpty() ? "unnamed portal does not exist"
                    : "portal \"" + name + "\" does not exist");
        }
        return portal;
    }

    private RowDescription rowDescription(List<Column> columns, short[] formats) {
        checkFormats(formats, columns.size());
        List<RowDescription.Field> fields = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            fields.add(new RowDescription.Field(c.name(), c.tableOid(), c.columnNumber(), c.type().oid(),
                    (short) c.type().typlen(), -1, format(formats, i)));
        }
        return new RowDescription(fields);
    }

    /** Writes up to {@code limit} rows straight into the output, encoded as the client asked; returns how many. */
    private int writeRows(Cursor cursor, int limit, short[] formats) {
        List<Column> columns = cursor.columns();
        checkFormats(formats, columns.size());
        PgSessionSettings settings = sql.outputSettings();
        int sent = 0;
        while (sent < limit && cursor.next()) {
            ByteBuf buf = output.buffer();
            int start = buf.writerIndex();
            buf.writeByte('D');
            int lengthAt = buf.writerIndex();
            buf.writeInt(0);
            buf.writeShort(columns.size());
            try {
                for (int i = 0; i < columns.size(); i++) {
                    Object value = cursor.value(i);
                    if (value == null) {
                        buf.writeInt(-1);
                        continue;
                    }
                    PgType type = columns.get(i).type();
                    byte[] bytes = format(formats, i) == 1 ? PgValues.encodeBinary(type, value, settings)
                            : PgValues.encodeText(type, value, settings);
                    buf.writeInt(bytes.length);
                    buf.writeBytes(bytes);
                }
            } catch (RuntimeException e) {
                buf.writerIndex(start); // a value that cannot be read or encoded: the error follows, never half a row
                throw e;
            }
            buf.setInt(lengthAt, buf.writerIndex() - lengthAt);
            output.wrote();
            sent++;
        }
        return sent;
    }

    private static short format(short[] formats, int column) {
        return formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[column];
    }

    private static void checkFormats(short[] formats, int columns) {
        if (formats.length > 1 && formats.length != columns) {
            throw new ProxyException(SqlState.PROTOCOL_VIOLATION, "bind message has " + formats.length
                    + " result formats but query has " + columns + " columns");
        }
        for (short f : formats) {
            if (f != 0 && f != 1) {
                throw new ProxyException(SqlState.PROTOCOL_VIOLATION, "unsupported format code: " + f);
            }
        }
    }

    private void reportChangedParameters() {
        sql.changedParameters().forEach((name, value) -> output.write(new ParameterStatus(name, value)));
    }

    private void error(ProxyException e) {
        if (e.isFatal()) {
            throw e; // the session ends (a cutover moved the primary away from this store): run() closes it
        }
        log.debug("session {}: {}", session.processId(), e.toString());
        output.write(ClientErrors.response(e, false));
    }

    /** A bound statement: values decoded, and its cursor once it ran. */
    private static final class Portal {
        final PreparedSql statement;
        final List<Object> parameters;
        final short[] resultFormats;
        Cursor cursor;

        Portal(PreparedSql statement, List<Object> parameters, short[] resultFormats) {
            this.statement = statement;
            this.parameters = parameters;
            this.resultFormats = resultFormats;
        }

        Cursor open(SqlSession sql) {
            if (cursor == null) {
                cursor = sql.execute(statement, parameters);
            }
            return cursor;
        }

        void close() {
            if (cursor != null) {
                cursor.close();
                cursor = null;
            }
        }
    }
}
