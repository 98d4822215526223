package tandem.proxy.backend;

import java.util.List;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import tandem.core.mirror.WritePlan;
import tandem.core.sql.Classification;

/**
 * One message sent to the server and the responses it owes for it, in the order the server will
 * send them; or, {@link Local}, a response tandem writes itself when its turn comes. A message
 * tandem injected ({@code forward} false) is answered to tandem alone: the client never sees it.
 */
sealed interface Expectation {

    /** False for messages tandem injected: their responses are not the client's business. */
    boolean forward();

    /** Whether an error in answer to it makes the server skip the rest of the batch up to Sync. */
    default boolean isExtended() {
        return this instanceof Parse || this instanceof Bind || this instanceof DescribeStatement
                || this instanceof DescribePortal || this instanceof Execute || this instanceof Close;
    }

    /** Whether it is answered up to and including ReadyForQuery. */
    default boolean endsWithReady() {
        return this instanceof Sync || this instanceof Query || this instanceof FunctionCall;
    }

    /** How the statement whose answer comes after {@code completed} statements was rewritten, or null. */
    default WritePlan planAfter(int completed) {
        return null;
    }

    /** The statement the CommandComplete after {@code completed} others belongs to, if known. */
    default Classification statementAfter(int completed) {
        return null;
    }

    /**
     * A Parse. {@code statementName} is the server-side statement it creates (null for the unnamed);
     * the client's statement ({@code clientName} null for the unnamed one or an injected Parse) is
     * forgotten if the Parse does not happen.
     */
    record Parse(boolean forward, String statementName, String clientName, ClientStatement clientStatement)
            implements Expectation {
    }

    record Bind() implements Expectation {
        @Override
        public boolean forward() {
            return true;
        }
    }

    /** A Describe of a statement; {@code plan}: how it was rewritten, or null. */
    record DescribeStatement(boolean forward, WritePlan plan) implements Expectation {
        @Override
        public WritePlan planAfter(int completed) {
            return plan;
        }
    }

    /** A Describe of a portal; {@code plan}: how its statement was rewritten, or null; the portal's result formats. */
    record DescribePortal(WritePlan plan, short[] formats) implements Expectation {
        @Override
        public boolean forward() {
            return true;
        }

        @Override
        public WritePlan planAfter(int completed) {
            return plan;
        }
    }

    /**
     * An Execute of a portal whose statement is known (null {@code statement} otherwise), how it was
     * rewritten, the result formats asked for, and, for a statement replayed on the secondary, its
     * text and parameters.
     */
    record Execute(Classification statement, WritePlan plan, short[] formats, String replaySql,
            List<Object> replayParameters) implements Expectation {

        static final Execute UNKNOWN = new Execute(null, null, new short[0], null, null);

        @Override
        public boolean forward() {
            return true;
        }

        @Override
        public WritePlan planAfter(int completed) {
            return plan;
        }

        @Override
        public Classification statementAfter(int completed) {
            return completed == 0 ? statement : null;
        }
    }

    record Close(boolean forward) implements Expectation {
    }

    record Sync(boolean forward) implements Expectation {
    }

    /**
     * A simple Query: what it runs, statement by statement (null when not classified), how each was
     * rewritten for mirroring and their texts (null when none was); {@code onDone}, for an injected
     * one, gets its first error (or null) once its ReadyForQuery arrived.
     */
    record Query(boolean forward, List<Classification> statements, List<WritePlan> plans, List<String> texts,
            Consumer<ServerError> onDone) implements Expectation {

        static Query of(List<Classification> statements) {
            return new Query(true, statements, null, null, null);
        }

        Query rewritten(List<WritePlan> newPlans, List<String> newTexts) {
            return new Query(forward, statements, newPlans, newTexts, onDone);
        }

        @Override
        public WritePlan planAfter(int completed) {
            return plans != null && completed < plans.size() ? plans.get(completed) : null;
        }

        @Override
        public Classification statementAfter(int completed) {
            return statements != null && completed < statements.size() ? statements.get(completed) : null;
        }
    }

    record FunctionCall() implements Expectation {
        @Override
        public boolean forward() {
            return true;
        }
    }

    /**
     * An answer tandem gives itself, written to the client when every response before it has been;
     * when it answers a Parse of a statement the server already has, the client's statement, forgotten
     * if the answer is dropped (an error earlier in the batch).
     */
    record Local(ByteBuf bytes, String clientName, ClientStatement clientStatement) implements Expectation {

        Local(ByteBuf bytes) {
            this(bytes, null, null);
        }

        @Override
        public boolean forward() {
            return true;
        }
    }
}
