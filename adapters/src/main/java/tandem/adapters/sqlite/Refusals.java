package tandem.adapters.sqlite;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * The PostgreSQL features a SQLite store cannot give the same meaning, each refused with 0A000,
 * the construct named, and what to do instead. Refusing is the point: an answer that looks right
 * but means something else is worse than an error.
 */
final class Refusals {

    private Refusals() {
    }

    static ProxyException of(String construct, String hint) {
        return new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, construct + " is not supported on SQLite stores",
                null, hint);
    }

    static ProxyException arrays(String construct) {
        return of("arrays (" + construct + ")", "SQLite has no array type: use IN ($1, $2, ...) instead of "
                + "= ANY($1), or keep lists in a JSON text column and read them with json_each()");
    }

    static ProxyException copy() {
        return of("COPY", "COPY is supported only against PostgreSQL stores; use INSERT ... VALUES with several rows");
    }

    static ProxyException notifications(String command) {
        return of(command, "notifications need a PostgreSQL store; poll a table instead");
    }

    static ProxyException temporaryTables() {
        return of("temporary tables", "a temporary table would live on one pooled SQLite connection and vanish "
                + "between transactions; use a regular table with a session key, or a CTE (WITH ...)");
    }

    static ProxyException advisoryLocks(String function) {
        return of("advisory locks (" + function + ")", "SQLite has one writer at a time: run the critical "
                + "section inside BEGIN ... COMMIT with a write first, which serialises it");
    }

    static ProxyException regex(String operator) {
        return of("regular expression operator " + operator, "use LIKE (case-sensitive) or ILIKE, or match in "
                + "the application");
    }

    static ProxyException similarTo() {
        return of("SIMILAR TO", "use LIKE or ILIKE patterns");
    }

    static ProxyException distinctOn() {
        return of("DISTINCT ON", "pick the row per group with a window function: SELECT ... FROM (SELECT *, "
                + "row_number() OVER (PARTITION BY key ORDER BY ...) AS rn FROM t) WHERE rn = 1");
    }

    static ProxyException twoPhaseCommit() {
        return of("two-phase commit", "commit the transaction normally");
    }

    static ProxyException sqlCursors(String command) {
        return of(command, "SQL-level cursors are not emulated; fetch in pages with LIMIT and a key "
                + "(WHERE id > $1 ORDER BY id LIMIT n), or use the extended protocol's row limits (pgjdbc setFetchSize)");
    }

    static ProxyException sqlPreparedStatements(String command) {
        return of(command, "use the extended protocol (Parse/Bind/Execute), which every driver speaks");
    }

    static ProxyException procedures(String command) {
        return of(command, "SQLite has no stored procedures; run the statements from the application");
    }

    static ProxyException serialTypes(String type) {
        return of("the " + type + " type", "write the column as INTEGER PRIMARY KEY AUTOINCREMENT (a SQLite "
                + "serial column would otherwise accept NULL keys)");
    }

    static ProxyException tandemFunctionInSchema(String function) {
        return of(function + "() in a schema statement", function + "() is tandem's emulation and would tie the "
                + "SQLite schema to tandem (other SQLite tools could no longer write the table); use CURRENT_TIMESTAMP, "
                + "a literal, or set the value from the application");
    }

    static ProxyException castsInSchema() {
        return of("PostgreSQL casts (::) in a schema statement", "write the value without a cast; SQLite columns "
                + "take the declared type's affinity");
    }

    static ProxyException selectInto() {
        return of("SELECT ... INTO", "use CREATE TABLE name AS SELECT ...");
    }

    static ProxyException explain() {
        return of("EXPLAIN", "SQLite plans look nothing like PostgreSQL's; run EXPLAIN QUERY PLAN against the "
                + "SQLite file with the sqlite3 shell");
    }

    static ProxyException interval() {
        return of("interval arithmetic", "SQLite has no interval type: compute the bound in the application and "
                + "pass it as a parameter, or use SQLite's datetime(x, '+1 day') modifiers");
    }

    static ProxyException extract() {
        return of("EXTRACT", "use strftime('%Y', column) and friends, or date parts computed in the application");
    }

    static ProxyException bitStrings() {
        return of("bit-string constants (B'...', X'...')", "pass the bytes as a bytea parameter");
    }

    static ProxyException catalogFunction(String function) {
        return of(function + "()", "catalog and server functions need a PostgreSQL store");
    }

    static ProxyException setConfig() {
        return of("set_config()", "use SET name = value (or SET LOCAL inside a transaction)");
    }
}
