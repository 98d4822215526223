package tandem.adapters.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * Turns what pgjdbc and HikariCP throw during tandem's own work on a PostgreSQL store (syncs,
 * introspection, the repair log) into a {@link ProxyException}: the SQLSTATE kept where tandem
 * names it and otherwise its class (08 connection, 22 data, 23 integrity...), a message that says
 * which store and what tandem was doing, the server's detail, and a hint where the cause is known.
 * Core decides from the state alone whether a store is unavailable or a row is at fault.
 */
final class PgErrors {

    private PgErrors() {
    }

    static ProxyException translate(String store, String doing, SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return new ProxyException(SqlState.CONNECTION_FAILURE, "store \"" + store + "\": " + doing
                    + ": no connection: " + e.getMessage(), null, "check that the store is up and reachable", false, e);
        }
        String code = e.getSQLState() == null ? "" : e.getSQLState();
        SqlState state = state(code);
        String detail = null;
        String hint = null;
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            detail = m.getDetail();
            hint = m.getHint();
        }
        if (state == SqlState.FOREIGN_KEY_VIOLATION && String.valueOf(e.getMessage()).contains("update or delete on")) {
            hint = "rows of the " + store + " store still reference this one: they go with their own sync (or the "
                    + "backfill), and the repair drainer retries this one until then";
        } else if (state == SqlState.FOREIGN_KEY_VIOLATION) {
            hint = "the referenced row is not in the " + store + " store yet: it arrives with the backfill or with its "
                    + "own sync, and the repair drainer retries this one until then";
        } else if (code.startsWith("08") || code.isEmpty()) {
            state = code.isEmpty() ? SqlState.CONNECTION_FAILURE : state;
            hint = hint != null ? hint : "check that the store is up and reachable";
        }
        return new ProxyException(state, "store \"" + store + "\": " + doing + ": " + firstLine(e.getMessage()), detail,
                hint, false, e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The named state for {@code code}, else the closest one of its class. */
    static SqlState state(String code) {
        for (SqlState s : SqlState.values()) {
            if (s.code().equals(code)) {
                return s;
            }
        }
        String cls = code.length() >= 2 ? code.substring(0, 2) : "";
        return switch (cls) {
            case "08" -> SqlState.CONNECTION_FAILURE;
            case "22" -> SqlState.DATA_EXCEPTION;
            case "23" -> SqlState.INTEGRITY_CONSTRAINT_VIOLATION;
            case "25" -> SqlState.INVALID_TRANSACTION_STATE;
            case "40" -> SqlState.SERIALIZATION_FAILURE;
            case "42" -> SqlState.SYNTAX_ERROR;
            case "53" -> SqlState.OUT_OF_MEMORY;
            case "57" -> SqlState.ADMIN_SHUTDOWN;
            case "58" -> SqlState.IO_ERROR;
            default -> SqlState.INTERNAL_ERROR;
        };
    }
}
