package tandem.adapters.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.postgres.PostgresSchemaDefinitions;
import tandem.adapters.sqlite.SqliteSchemaDefinitions;
import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.Stores;
import tandem.adapters.testing.TestDatabase;
import tandem.core.schema.DdlWriter;
import tandem.core.schema.SchemaComparison;
import tandem.core.schema.SchemaDefinition;

/** Compare mode: a new store that already has the tables, with each kind of difference named. */
@ExtendWith(PostgresExtension.class)
class SchemaCompareIT {

    @Test
    void namesEveryDifferenceThatWouldChangeOrRefuseACopiedRow(TestDatabase db, @TempDir Path dir) throws SQLException {
        Stores.sqlite(dir, "app.db",
                "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0), "
                        + "score REAL, nickname TEXT)",
                "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), body TEXT)",
                "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT)").close();
        db.execute("CREATE TABLE users (id bigint PRIMARY KEY, email text, age integer, score real)",
                "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint NOT NULL, body varchar(20), "
                        + "extra text NOT NULL)");
        SchemaDefinition wanted = SqliteSchemaDefinitions.read(dir.resolve("app.db"), Map.of());
        List<String> differences;
        try (Connection c = db.connect()) {
            SchemaDefinition asCreated = PostgresSchemaDefinitions.readAsCreated(c, DdlWriter.statements(wanted));
            differences = SchemaComparison.differences(asCreated, PostgresSchemaDefinitions.read(c));
            assertThat(PostgresSchemaDefinitions.read(c).table("tags")).as("the check left nothing behind").isNull();
        }

        assertThat(differences).containsExactlyInAnyOrder(
                "users.age: type integer in the new store, but the old store's values need bigint (narrower: not every "
                        + "value fits)",
                "users.score: type real in the new store, but the old store's values need double precision (narrower: "
                        + "not every value fits)",
                "users.email: missing NOT NULL",
                "users.nickname: missing column; ALTER TABLE users ADD COLUMN nickname text",
                "users: missing unique constraint (email)",
                "users: missing check constraint CHECK (age >= 0)",
                "posts.body: type character varying(20) in the new store, but the old store's values need text "
                        + "(narrower: not every value fits)",
                "posts.extra: only in the new store, NOT NULL without a default; every copied row would be refused",
                "posts: missing foreign key (user_id) REFERENCES users (id)",
                "tags: missing table; create it (tandem schema --apply creates every table only into a new store that "
                        + "has none of them)");
    }
}
