package tandem.proxy.backend;

import java.util.ArrayDeque;

import tandem.core.mirror.WritePlan;
import tandem.core.sql.Classification;

/**
 * What the server owes, request by request in the order it will answer, with tandem's own answers
 * slotted in between; and how far the request at the head has got: the statements of a Query (or
 * the one of an Execute) whose CommandComplete arrived, and the first error the server sent for a
 * request tandem injected.
 */
final class ExpectedResponses {

    private final ArrayDeque<Expectation> queue = new ArrayDeque<>();
    private int completed;
    private ServerError failure;
    private ServerError polledFailure;

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    void add(Expectation expectation) {
        queue.add(expectation);
    }

    /** The request the next response answers, or null when nothing is owed. */
    Expectation peek() {
        return queue.peek();
    }

    /** Takes the head off the line; {@link #polledFailure()} then tells what error it had, if any. */
    Expectation poll() {
        polledFailure = failure;
        completed = 0;
        failure = null;
        return queue.poll();
    }

    /** The first error the server sent for the request last taken off the line, when tandem injected it. */
    ServerError polledFailure() {
        return polledFailure;
    }

    /** The head is an injected request and the server refused it: the first such error is kept. */
    void failed(ServerError error) {
        Expectation head = queue.peek();
        if (head != null && !head.forward() && failure == null) {
            failure = error;
        }
    }

    /** How the statement whose answer comes next was rewritten, or null. */
    WritePlan currentPlan() {
        Expectation head = queue.peek();
        return head == null ? null : head.planAfter(completed);
    }

    /** The statement the next CommandComplete belongs to, if known. */
    Classification nextStatement() {
        Expectation head = queue.peek();
        return head == null ? null : head.statementAfter(completed);
    }

    /** Statements of the head whose CommandComplete arrived. */
    int completed() {
        return completed;
    }

    void statementCompleted() {
        completed++;
    }

    /** How many ReadyForQuery the client is owed for what is in line. */
    int readyOwedToClient() {
        int owed = 0;
        for (Expectation e : queue) {
            if (e.endsWithReady() && e.forward()) {
                owed++;
            }
        }
        return owed;
    }

    /** Empties the line, releasing tandem's own answers not written yet. */
    void clear() {
        for (Expectation e : queue) {
            if (e instanceof Expectation.Local local) {
                local.bytes().release();
            }
        }
        queue.clear();
        completed = 0;
        failure = null;
    }
}
