package tandem.core.mirror;

import java.util.List;
import java.util.Objects;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * What to do with one statement so that the rows it writes on the primary reach the secondary:
 * {@link Pass} it on, {@link Capture} its keys, {@link Replay} it, or {@link Refuse} it. Plans are
 * immutable and cached by statement text.
 */
public sealed interface WritePlan {

    Pass PASS = new Pass();

    /** Not a write on a mirrored table (a read, a write on a table not mirrored, a SET...): forward it unchanged. */
    record Pass() implements WritePlan {
    }

    /**
     * A write on a mirrored table with a primary key: run {@link #sql()} instead of the client's
     * statement, then undo the rewrite in its result. Every result row starts with
     * {@link #leadingColumns()} columns the client did not ask for; strip them from RowDescription
     * and each DataRow. If the client's statement had no RETURNING ({@link #clientReturning()}
     * false), send it no rows at all: no RowDescription (Describe answers NoData) and no DataRow.
     * Either way its CommandComplete is {@link #tag(long)} of the number of rows the rewritten
     * statement returned, which is the number of rows the client's statement changed. A Bind that
     * gives one result format code per column gives them for the client's columns only: prepend
     * {@link #leadingColumns()} text (0) codes. On PostgreSQL a portal over the rewritten statement
     * runs to completion on its first Execute (a data-modifying WITH query always does), as the
     * client's own INSERT ... RETURNING would, so a row limit on Execute only pages the result.
     *
     * @param sql the statement to run on the primary; it takes the client's parameters unchanged
     * @param table the mirrored table written; its key columns are the captured values' order
     * @param command the client statement's command: INSERT, UPDATE, DELETE or MERGE
     * @param clientReturning whether the client's statement has a RETURNING clause of its own
     * @param leadingColumns how many result columns tandem added in front of the client's
     * @param tokenColumn the column (among the leading ones) holding the transaction token under
     *     which the repair log rows were written; -1 when the rewrite writes none (SQLite, whose
     *     emulated session writes them itself)
     * @param keyColumns the columns holding the row's key, in {@code table.key()} order
     */
    record Capture(String sql, Table table, String command, boolean clientReturning, int leadingColumns,
            int tokenColumn, List<Integer> keyColumns) implements WritePlan {

        public Capture {
            Objects.requireNonNull(sql, "sql");
            Objects.requireNonNull(table, "table");
            keyColumns = List.copyOf(keyColumns);
        }

        /** The CommandComplete tag the client's own statement would have got: {@code INSERT 0 n}, {@code UPDATE n}... */
        public String tag(long rows) {
            return command.equals("INSERT") ? "INSERT 0 " + rows : command + " " + rows;
        }
    }

    /**
     * A write on a mirrored table that has no primary key, so there is no key to capture: forward it
     * unchanged and, once the primary commits, run it again on the secondary with the same
     * parameters.
     */
    record Replay(Table table) implements WritePlan {
    }

    /**
     * A statement tandem cannot mirror faithfully: answer the client with {@link #error()} and run
     * nothing. {@code table} is the mirrored table concerned.
     */
    record Refuse(String table, String message, String detail, String hint) implements WritePlan {

        /** A new exception each time (exceptions carry a stack, so one is not shared between threads). */
        public ProxyException error() {
            return new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, message, detail, hint);
        }
    }
}
