package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * psql's catalog commands over a SQLite old store. Not differential: the owner psql prints is the
 * user that connected (tandem's SQLite has no roles), which differs from the direct run's.
 */
class PsqlSqliteIT {

    @Test
    void listsTheTablesOfPublic(@TempDir Path dir) throws Exception {
        try (Proxy proxy = Proxy.sqlite(Files.createFile(dir.resolve("app.db")), "app")) {
            Clients.Result made = Clients.run(dir, proxy.libpqEnvironment(), 60, "psql", "-X", "-v", "ON_ERROR_STOP=1",
                    "-c", "CREATE TABLE owners (id serial PRIMARY KEY)", "-c", "CREATE TABLE items (id serial PRIMARY KEY)",
                    "-c", "CREATE SCHEMA meta", "-c", "CREATE TABLE meta.log (id serial PRIMARY KEY)");
            assertThat(made.exitCode()).as(made.output()).isZero();
            Clients.Result listed = Clients.run(dir, proxy.libpqEnvironment(), 60, "psql", "-X", "-v", "ON_ERROR_STOP=1",
                    "-c", "\\dt");
            assertThat(listed.exitCode()).as(listed.output()).isZero();
            assertThat(listed.stdout()).isEqualTo("""
                            List of relations
                     Schema |  Name  | Type  | Owner\s
                    --------+--------+-------+-------
                     public | items  | table | app
                     public | owners | table | app
                    (2 rows)

                    """);
        }
    }
}
