package tandem.adapters.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.sqlite.SqliteStore;
import tandem.adapters.testing.DemoSchema;
import tandem.adapters.testing.Stores;
import tandem.core.mirror.Column;
import tandem.core.mirror.Schema;
import tandem.core.mirror.Table;
import tandem.core.type.PgType;

class SqliteSchemaTest {

    @TempDir
    Path dir;

    @Test
    void readsTheDemoTablesWithTypesFromTheirDeclarations() {
        try (SqliteStore store = Stores.sqlite(dir, "demo.db", DemoSchema.sqlite())) {
            Schema schema = store.schema();
            assertThat(schema.tables().keySet()).containsExactly("analytics_events", "content", "users");
            Table users = schema.table("users");
            assertThat(users.columns()).extracting(Column::type).containsExactly(PgType.TEXT, PgType.TEXT, PgType.TEXT,
                    PgType.TEXT, PgType.BOOL, PgType.TIMESTAMP, PgType.TIMESTAMP);
            assertThat(users.key()).containsExactly("id");
            assertThat(users.uniqueKeys()).containsExactly(List.of("email"));
            assertThat(users.column("email").nullable()).isFalse();
            // SQLite lets a TEXT PRIMARY KEY of a rowid table hold NULL unless declared NOT NULL
            assertThat(users.column("id").nullable()).isTrue();

            Table content = schema.table("content");
            assertThat(content.column("metadata").type()).isEqualTo(PgType.JSON);
            assertThat(content.column("score").type()).isEqualTo(PgType.FLOAT8);
            assertThat(content.column("view_count").type()).isEqualTo(PgType.INT8);
            assertThat(content.foreignKeys()).containsExactly(new Table.ForeignKey(List.of("user_id"), "users",
                    List.of("id")));

            Table events = schema.table("analytics_events");
            assertThat(events.key()).containsExactly("id");
            assertThat(events.column("id").nullable()).as("the rowid alias is never NULL").isFalse();
            assertThat(events.column("timestamp").type()).isEqualTo(PgType.TIMESTAMP);
        }
    }

    @Test
    void compositeKeysFollowTheirDeclaredOrderAndUndeclaredColumnsKeepRawValues() {
        try (SqliteStore store = Stores.sqlite(dir, "t.db",
                "CREATE TABLE parent (a INT, b TEXT, PRIMARY KEY (b, a)) WITHOUT ROWID",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, pa INT, pb TEXT, anything, code TEXT, "
                        + "FOREIGN KEY (pb, pa) REFERENCES parent, UNIQUE (code))",
                "CREATE UNIQUE INDEX child_partial ON child (pa) WHERE pa > 0",
                "CREATE UNIQUE INDEX child_expression ON child (lower(code))",
                "CREATE TABLE log (line TEXT)")) {
            Schema schema = store.schema();
            Table parent = schema.table("parent");
            assertThat(parent.key()).containsExactly("b", "a");
            assertThat(parent.column("a").nullable()).as("key columns of WITHOUT ROWID tables are NOT NULL").isFalse();
            Table child = schema.table("child");
            assertThat(child.column("anything").type()).isEqualTo(PgType.UNKNOWN);
            assertThat(child.uniqueKeys()).containsExactly(List.of("code"));
            assertThat(child.foreignKeys()).containsExactly(new Table.ForeignKey(List.of("pb", "pa"), "parent",
                    List.of("b", "a")));
            assertThat(schema.table("log").hasKey()).isFalse();
        }
    }

    @Test
    void tandemsAndSqlitesOwnTablesAreLeftOutAndVirtualTablesAreUnmirrorable() {
        try (SqliteStore store = Stores.sqlite(dir, "v.db", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
                "CREATE TABLE tandem_repair_log (id INTEGER PRIMARY KEY AUTOINCREMENT, token TEXT)",
                "CREATE VIRTUAL TABLE notes_search USING fts5(body)")) {
            Schema schema = store.schema();
            assertThat(schema.tables().keySet()).containsExactly("notes");
            assertThat(schema.unmirrorable()).containsOnlyKeys("notes_search");
            assertThat(schema.unmirrorable().get("notes_search")).contains("virtual table");
        }
    }
}
