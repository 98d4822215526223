package tandem.adapters.sqlite;

import java.util.List;

import tandem.core.sql.Classification;
import tandem.core.sql.TransactionControl;
import tandem.core.store.SqlSession;
import tandem.core.store.SqlSession.Column;
import tandem.core.type.PgType;

/**
 * A statement prepared by a {@link SqliteSession}: what it is, how it was translated, and what
 * Describe reports. Most statements run on SQLite; transaction control, SET, SHOW and a few
 * others are emulated by the session and never reach it.
 */
final class SqliteStatement implements SqlSession.PreparedSql {

    enum Kind {
        /** Runs on SQLite. */
        SQLITE,
        /** BEGIN, COMMIT, ROLLBACK, savepoints, SET TRANSACTION. */
        TRANSACTION,
        /** SET, RESET, SET SESSION CHARACTERISTICS. */
        SET,
        SHOW,
        SHOW_ALL,
        /** SET CONSTRAINTS ALL DEFERRED|IMMEDIATE: SQLite's defer_foreign_keys. */
        SET_CONSTRAINTS,
        /** LOCK TABLE: the writer lock covers it. */
        LOCK,
        /** TRUNCATE: DELETE FROM each table. */
        TRUNCATE,
        /** A schema statement in PostgreSQL's dialect, translated when it runs ({@link SchemaTranslator}). */
        SCHEMA,
        /** DISCARD ALL: RESET ALL. */
        DISCARD_ALL,
        /** Completes with its tag and does nothing (DEALLOCATE ALL, DISCARD PLANS, ...). */
        NOTHING,
        /** An empty statement. */
        EMPTY
    }

    final String sql;
    final Classification classification;
    final Kind kind;
    /** For SQLITE statements; null otherwise. */
    final Translation translation;
    /** What runs on SQLite: the translation with literals coerced to their columns' types. */
    final String sqliteSql;
    final List<PgType> parameterTypes;
    final List<Column> columns;
    /** One per column: how strictly values are held to the reported type. */
    final List<ColumnType> columnTypes;
    /** Source tables of the columns (null for expressions), for error messages. */
    final List<String> columnTables;
    /** For SHOW: the parameter; for SET CONSTRAINTS: DEFERRED or IMMEDIATE. */
    final String argument;

    SqliteStatement(String sql, Classification classification, Kind kind, Translation translation, String sqliteSql,
            List<PgType> parameterTypes, List<Column> columns, List<ColumnType> columnTypes, List<String> columnTables,
            String argument) {
        this.sql = sql;
        this.classification = classification;
        this.kind = kind;
        this.translation = translation;
        this.sqliteSql = sqliteSql;
        this.parameterTypes = List.copyOf(parameterTypes);
        this.columns = List.copyOf(columns);
        this.columnTypes = List.copyOf(columnTypes);
        this.columnTables = columnTables;
        this.argument = argument;
    }

    static SqliteStatement emulated(String sql, Classification c, Kind kind, String argument, List<Column> columns) {
        List<ColumnType> types = columns.stream().map(col -> ColumnType.expression(col.type())).toList();
        return new SqliteStatement(sql, c, kind, null, null, List.of(), columns, types, null, argument);
    }

    @Override
    public String sql() {
        return sql;
    }

    @Override
    public List<PgType> parameterTypes() {
        return parameterTypes;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public boolean returnsRows() {
        return !columns.isEmpty();
    }

    /**
     * Reads only: a SELECT without a locking clause, SHOW, and everything the session emulates
     * without touching SQLite.
     */
    @Override
    public boolean readOnly() {
        return switch (kind) {
            case SQLITE -> classification.kind() == tandem.core.sql.StatementKind.READ && !classification.lockingRead();
            case LOCK, TRUNCATE -> false;
            default -> true;
        };
    }

    @Override
    public String command() {
        return classification.command();
    }

    TransactionControl transaction() {
        return classification.transaction();
    }

    /** COMMIT, ROLLBACK and ROLLBACK TO are the statements a failed transaction block still runs. */
    boolean endsFailedBlock() {
        if (kind != Kind.TRANSACTION || transaction() == null) {
            return false;
        }
        return switch (transaction().command()) {
            case COMMIT, ROLLBACK, ROLLBACK_TO -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return "SqliteStatement[" + kind + ": " + sql + "]";
    }

    @Override
    public boolean typedByValue(int i) {
        return readOnly() && columnTypes.get(i).decidedByValue(); // as RowsCursor settles them
    }
}
