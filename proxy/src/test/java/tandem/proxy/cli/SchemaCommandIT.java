package tandem.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.sqlite.SqliteStore;
import tandem.adapters.testing.DemoSchema;
import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.Stores;
import tandem.adapters.testing.TestDatabase;
import tandem.config.MigrationConfig;
import tandem.core.mirror.MirroredTable;
import tandem.core.mirror.MirroredTables;
import tandem.proxy.Main;

/** {@code tandem schema} as a user runs it: the demo's SQLite file, an embedded PostgreSQL, the exit codes. */
@ExtendWith(PostgresExtension.class)
class SchemaCommandIT {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Path config(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void theDemoSchemaIsCreatedInOneGoThenComparesAsCompatibleAndTheMirrorPlanAcceptsIt(TestDatabase db,
            @TempDir Path dir) throws Exception {
        Stores.sqlite(dir, "app.db", DemoSchema.sqlite()).close();
        Path file = config(dir, """
                stores:
                  old:
                    url: jdbc:sqlite:%s
                  new:
                    url: %s
                    user: %s
                    password: %s
                """.formatted(dir.resolve("app.db"), db.jdbcUrl(), db.user(), db.password()));

        Run printed = run("schema", "--config", file.toString());
        assertThat(printed.exit()).as(printed.err()).isZero();
        assertThat(printed.out()).startsWith("BEGIN;").contains("CREATE TABLE users (").endsWith("COMMIT;\n");
        assertThat(printed.err()).contains("run again with --apply");

        Run applied = run("schema", "--config", file.toString(), "--apply");
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.err()).contains("created 3 tables on the new store");

        Run compared = run("schema", "--config", file.toString());
        assertThat(compared.exit()).as(compared.err()).isZero();
        assertThat(compared.err()).contains("compatible");

        try (SqliteStore old = SqliteStore.open(tandem.config.StoreConfig.sqlite(dir.resolve("app.db")));
                PostgresStore pg = Stores.postgres("new", db)) {
            MirroredTables plan = MirroredTables.plan(MigrationConfig.defaults(), old, pg);
            assertThat(plan.tables().values()).extracting(MirroredTable::mode).containsOnly(MirroredTable.Mode.ROW);
        }

        try (Connection c = db.connect(); var s = c.createStatement()) {
            s.execute("ALTER TABLE content ALTER COLUMN view_count TYPE integer");
            s.execute("ALTER TABLE users DROP CONSTRAINT users_email_key");
        }
        Run different = run("schema", "--config", file.toString(), "--apply");
        assertThat(different.exit()).as(different.err()).isEqualTo(1);
        assertThat(different.err()).contains("--apply changes nothing", "2 differences",
                "content.view_count: type integer in the new store, but the old store's values need bigint",
                "users: missing unique constraint (email)");
    }

    @Test
    void errorsExitWithTwoAndSayWhatToFix(@TempDir Path dir) throws Exception {
        Run missing = run("schema", "--config", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml");

        Stores.sqlite(dir, "app.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)").close();
        Run unreachable = run("schema", "--config", config(dir, """
                stores:
                  old:
                    url: jdbc:sqlite:%s
                  new:
                    url: jdbc:postgresql://127.0.0.1:1/app
                """.formatted(dir.resolve("app.db"))).toString());
        assertThat(unreachable.exit()).isEqualTo(2);
        assertThat(unreachable.err()).contains("cannot connect to the new store", "hint: check stores.new.url");

        Run badOverride = run("schema", "--config", config(dir, """
                stores:
                  old:
                    url: jdbc:sqlite:%s
                schema:
                  columns:
                    t.n: timestamptz
                    t.missing: text
                """.formatted(dir.resolve("app.db"))).toString());
        assertThat(badOverride.exit()).isEqualTo(2);
        assertThat(badOverride.err()).contains("schema.columns.t.n: tandem's mirror cannot convert",
                "schema.columns.t.missing: the old store has no column t.missing");

        Run noNewStore = run("schema", "--config", config(dir, """
                stores:
                  old:
                    url: jdbc:sqlite:%s
                """.formatted(dir.resolve("app.db"))).toString(), "--apply");
        assertThat(noNewStore.exit()).isEqualTo(2);
        assertThat(noNewStore.out()).contains("CREATE TABLE t (");
        assertThat(noNewStore.err()).contains("--apply needs the new store, and stores.new is not configured");
    }
}
