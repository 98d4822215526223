package tandem.adapters.sqlite;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * Turns SQLite's errors into PostgreSQL's: the SQLSTATE by SQLite result code (and, for plain
 * SQLITE_ERROR, by message), a message worded as PostgreSQL words it where that is easy, SQLite's
 * own message as the detail, and a hint where SQLite's limits explain the failure.
 */
final class SqliteErrors {

    private static final Pattern NEAR = Pattern.compile("near \"(.*)\": syntax error");
    private static final Pattern CONSTRAINT_COLUMNS = Pattern.compile("constraint failed: (.*)");

    private SqliteErrors() {
    }

    static ProxyException canceled(boolean timeout) {
        return new ProxyException(SqlState.QUERY_CANCELED, timeout ? "canceling statement due to statement timeout"
                : "canceling statement due to user request");
    }

    /**
     * @param function the error a tandem function raised during the statement, which wins: it has
     *     the PostgreSQL SQLSTATE already
     * @param translated the SQL as SQLite ran it, shown with syntax errors when it differs from the client's
     */
    static ProxyException map(SQLException e, ProxyException function, boolean timedOut, String source,
            String translated) {
        if (function != null) {
            return function;
        }
        String message = sqliteMessage(e);
        String detail = "SQLite: " + message;
        String code = e instanceof SQLiteException se ? se.getResultCode().name() : "SQLITE_ERROR";
        if (code.startsWith("SQLITE_INTERRUPT")) {
            return canceled(timedOut);
        }
        if (code.startsWith("SQLITE_CONSTRAINT")) {
            return constraint(code, message, detail);
        }
        if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
            return new ProxyException(SqlState.LOCK_NOT_AVAILABLE, "could not obtain a lock on the SQLite database: "
                    + message, null, "another process holds SQLite's lock on the file for longer than busy_timeout; "
                            + "only tandem should write the database while it serves it");
        }
        if (code.startsWith("SQLITE_READONLY")) {
            return new ProxyException(SqlState.READ_ONLY_SQL_TRANSACTION, "cannot write the SQLite database: "
                    + message, null, "check that tandem may write the database file and its directory");
        }
        if (code.startsWith("SQLITE_FULL")) {
            return new ProxyException(SqlState.DISK_FULL, "could not write the SQLite database: disk full", detail, null);
        }
        if (code.startsWith("SQLITE_NOMEM")) {
            return new ProxyException(SqlState.OUT_OF_MEMORY, "out of memory", detail, null);
        }
        if (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN")) {
            return new ProxyException(SqlState.IO_ERROR, "could not read or write the SQLite database: " + message,
                    detail, "check the disk and the file's permissions");
        }
        if (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB")) {
            return new ProxyException(SqlState.DATA_CORRUPTED, "the SQLite database is damaged: " + message, detail,
                    "run PRAGMA integrity_check with the sqlite3 shell");
        }
        if (code.startsWith("SQLITE_TOOBIG")) {
            return new ProxyException(SqlState.PROGRAM_LIMIT_EXCEEDED, "value too large for SQLite: " + message);
        }
        if (code.startsWith("SQLITE_MISMATCH")) {
            return new ProxyException(SqlState.DATATYPE_MISMATCH, "datatype mismatch", detail,
                    "an INTEGER PRIMARY KEY column takes integers only");
        }
        return byMessage(message, detail, source, translated);
    }

    private static ProxyException constraint(String code, String message, String detail) {
        Matcher m = CONSTRAINT_COLUMNS.matcher(message);
        String what = m.find() ? m.group(1) : "";
        String table = what.contains(".") ? what.substring(0, what.indexOf('.')) : "";
        String columns = columns(what);
        return switch (code) {
            case "SQLITE_CONSTRAINT_UNIQUE" -> new ProxyException(SqlState.UNIQUE_VIOLATION,
                    "duplicate key value violates unique constraint \"" + table + "_" + columns.replace(", ", "_")
                            + "_key\"", "Key (" + columns + ") already exists. " + detail, null);
            case "SQLITE_CONSTRAINT_PRIMARYKEY" -> new ProxyException(SqlState.UNIQUE_VIOLATION,
                    "duplicate key value violates unique constraint \"" + table + "_pkey\"",
                    "Key (" + columns + ") already exists. " + detail, null);
            case "SQLITE_CONSTRAINT_NOTNULL" -> new ProxyException(SqlState.NOT_NULL_VIOLATION,
                    "null value in column \"" + columns + "\" of relation \"" + table + "\" violates not-null constraint",
                    detail, null);
            case "SQLITE_CONSTRAINT_FOREIGNKEY" -> new ProxyException(SqlState.FOREIGN_KEY_VIOLATION,
                    "insert, update or delete violates a foreign key constraint", detail,
                    "SQLite does not say which row; PRAGMA foreign_key_check lists the rows that break one");
            case "SQLITE_CONSTRAINT_CHECK" -> new ProxyException(SqlState.CHECK_VIOLATION,
                    "new row violates check constraint \"" + what + "\"", detail, null);
            case "SQLITE_CONSTRAINT_TRIGGER" -> new ProxyException(SqlState.RAISE_EXCEPTION, message, detail, null);
            case "SQLITE_CONSTRAINT_DATATYPE" -> new ProxyException(SqlState.DATATYPE_MISMATCH, message, detail,
                    "the table is STRICT: the value must have the column's type");
            default -> new ProxyException(SqlState.INTEGRITY_CONSTRAINT_VIOLATION, message, detail, null);
        };
    }

    /** {@code users.email, users.name} → {@code email, name}. */
    private static String columns(String what) {
        StringBuilder out = new StringBuilder();
        for (String part : what.split(",\\s*")) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(part.contains(".") ? part.substring(part.indexOf('.') + 1) : part);
        }
        return out.toString();
    }

    private static ProxyException byMessage(String message, String detail, String source, String translated) {
        Matcher near = NEAR.matcher(message);
        if (near.find()) {
            String token = near.group(1);
            String hint = token.equals("::") || token.equals(":") ? "PostgreSQL casts are translated in queries but "
                    + "not in schema statements" : null;
            String ranAs = translated != null && !translated.equals(source) ? detail + "\nran on SQLite as: "
                    + translated : detail;
            return new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + token + "\"", ranAs, hint);
        }
        if (message.startsWith("incomplete input")) {
            return new ProxyException(SqlState.SYNTAX_ERROR, "syntax error at end of input", detail, null);
        }
        if (message.startsWith("no such table: ")) {
            String table = message.substring("no such table: ".length());
            String lower = table.toLowerCase();
            boolean catalog = lower.startsWith("pg_") || lower.contains("information_schema");
            return new ProxyException(SqlState.UNDEFINED_TABLE, "relation \"" + table + "\" does not exist", detail,
                    catalog ? "tandem answers these catalogs over SQLite: " + String.join(", ",
                            new java.util.TreeSet<>(SqliteCatalogs.TABLES)) + "; others need a PostgreSQL store (or read "
                            + "sqlite_schema and pragma_table_info('table'))" : null);
        }
        if (message.startsWith("no such column: ")) {
            return new ProxyException(SqlState.UNDEFINED_COLUMN, "column \"" + message.substring("no such column: "
                    .length()) + "\" does not exist", detail, null);
        }
        if (message.startsWith("no such function: ")) {
            String function = message.substring("no such function: ".length());
            return new ProxyException(SqlState.UNDEFINED_FUNCTION, "function " + function + " does not exist", detail,
                    "SQLite stores offer SQLite's functions plus now(), gen_random_uuid(), greatest(), least() and "
                            + "current_setting(); for dates use strftime() and datetime()");
        }
        if (message.startsWith("no such savepoint: ")) {
            return new ProxyException(SqlState.INVALID_SAVEPOINT_SPECIFICATION, "savepoint \""
                    + message.substring("no such savepoint: ".length()) + "\" does not exist", detail, null);
        }
        if (message.startsWith("ambiguous column name: ")) {
            return new ProxyException(SqlState.AMBIGUOUS_COLUMN, "column reference \""
                    + message.substring("ambiguous column name: ".length()) + "\" is ambiguous", detail, null);
        }
        if (message.contains("already exists")) {
            String what = message.replaceFirst("^(table|index|view|trigger) ", "").replace(" already exists", "");
            return new ProxyException(SqlState.DUPLICATE_TABLE, "relation " + what + " already exists", detail, null);
        }
        if (message.startsWith("no such index: ")) {
            return new ProxyException(SqlState.UNDEFINED_OBJECT, "index \"" + message.substring("no such index: "
                    .length()) + "\" does not exist", detail, null);
        }
        if (message.startsWith("cannot VACUUM from within a transaction")) {
            return new ProxyException(SqlState.ACTIVE_SQL_TRANSACTION, "VACUUM cannot run inside a transaction block",
                    detail, "tandem runs every statement in a transaction; VACUUM the file with the sqlite3 shell");
        }
        if (message.startsWith("too many SQL variables")) {
            return new ProxyException(SqlState.PROGRAM_LIMIT_EXCEEDED, "too many parameters for SQLite", detail,
                    "split the statement into batches of fewer than 32766 parameters");
        }
        return new ProxyException(SqlState.INTERNAL_ERROR, "SQLite: " + message, null, null);
    }

    /** SQLite's own message, without sqlite-jdbc's "[CODE] generic text (...)" wrapping. */
    static String sqliteMessage(SQLException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.toString();
        }
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            String prefix = "[" + code.name() + "] " + code.message + " (";
            if (m.startsWith(prefix) && m.endsWith(")")) {
                return m.substring(prefix.length(), m.length() - 1);
            }
        }
        return m;
    }
}
