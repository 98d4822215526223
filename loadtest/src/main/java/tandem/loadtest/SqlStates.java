package tandem.loadtest;

import java.sql.SQLException;

/** The SQLSTATEs the workload acts on, and how it names an error that came without one. */
final class SqlStates {

    static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {
    }

    /** The SQLSTATE, or the exception's class when the driver gave none (a bug, or a failure before the server). */
    static String of(Throwable e) {
        if (e instanceof SQLException s && s.getSQLState() != null) {
            return s.getSQLState();
        }
        return e.getClass().getSimpleName();
    }

    /** Class 08: the connection is gone, and the client needs a new one. */
    static boolean connectionLost(Throwable e) {
        return e instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08");
    }
}
