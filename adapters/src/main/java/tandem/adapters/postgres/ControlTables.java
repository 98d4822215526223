package tandem.adapters.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Creates tandem's own tables in schema {@code tandem} of a PostgreSQL store: in one transaction
 * under an advisory lock, since {@code CREATE ... IF NOT EXISTS} alone can still fail when two
 * replicas race (both see no table, one insert into the catalog loses).
 */
final class ControlTables {

    private ControlTables() {
    }

    /** Runs {@code statements} (each idempotent) after {@code CREATE SCHEMA IF NOT EXISTS tandem}, serialised by {@code table}. */
    static void create(String store, DataSource pool, String table, String... statements) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(hashtextextended('" + table + " ddl', 0))");
                s.execute("CREATE SCHEMA IF NOT EXISTS tandem");
                for (String statement : statements) {
                    s.execute(statement);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw PgErrors.translate(store, "creating tandem's table " + table, e);
        }
    }
}
