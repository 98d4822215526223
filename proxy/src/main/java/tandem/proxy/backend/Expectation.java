package tandem.proxy.backend;

import java.util.List;

import io.netty.buffer.ByteBuf;
import tandem.core.mirror.WritePlan;
import tandem.core.sql.Classification;

/**
 * One message sent to the server and the responses still owed for it, in the order the server will
 * send them; or, for {@link Kind#LOCAL}, a response tandem writes itself when its turn comes.
 */
final class Expectation {

    enum Kind {
        PARSE, BIND, DESCRIBE_STATEMENT, DESCRIBE_PORTAL, EXECUTE, CLOSE, SYNC, QUERY, FUNCTION_CALL, LOCAL;

        /** Messages whose failure makes the server skip the rest of the batch up to Sync. */
        boolean isExtended() {
            return this == PARSE || this == BIND || this == DESCRIBE_STATEMENT || this == DESCRIBE_PORTAL
                    || this == EXECUTE || this == CLOSE;
        }

        /** Messages answered up to and including ReadyForQuery. */
        boolean endsWithReady() {
            return this == SYNC || this == QUERY || this == FUNCTION_CALL;
        }
    }

    final Kind kind;
    /** False for messages tandem injected: their responses are not the client's business. */
    final boolean forward;
    /** For LOCAL: the bytes to write. */
    ByteBuf local;
    /** For PARSE: the server-side statement name it creates. */
    String statementName;
    /** For PARSE, and LOCAL answers to a Parse: the client's statement, forgotten if the Parse does not happen. */
    String clientName;
    Object clientStatement;
    /** For QUERY and EXECUTE: what was run, statement by statement, to follow SETs and transactions. */
    List<Classification> statements;
    /** For QUERY: how each statement was rewritten for mirroring (null: none was), and their texts. */
    List<WritePlan> plans;
    List<String> texts;
    /** For EXECUTE and DESCRIBE: how the statement was rewritten, and the portal's result formats. */
    WritePlan plan;
    short[] formats = new short[0];
    /** For EXECUTE of a statement replayed on the secondary: its text and parameters. */
    String replaySql;
    List<Object> replayParameters;
    int completed;
    /** The first error the server sent for an injected message. */
    ServerError failure;
    /** Runs once all responses arrived (or the error did). */
    Runnable onDone;

    private Expectation(Kind kind, boolean forward) {
        this.kind = kind;
        this.forward = forward;
    }

    static Expectation of(Kind kind) {
        return new Expectation(kind, true);
    }

    static Expectation injected(Kind kind) {
        return new Expectation(kind, false);
    }

    static Expectation local(ByteBuf response) {
        Expectation e = new Expectation(Kind.LOCAL, true);
        e.local = response;
        return e;
    }

    /** How the statement whose answer comes next was rewritten, or null. */
    WritePlan currentPlan() {
        if (plan != null) {
            return plan;
        }
        return plans != null && completed < plans.size() ? plans.get(completed) : null;
    }

    /** The statement the next CommandComplete belongs to, if known. */
    Classification nextStatement() {
        return statements != null && completed < statements.size() ? statements.get(completed) : null;
    }

    @Override
    public String toString() {
        return kind + (forward ? "" : " (injected)");
    }
}
