package tandem.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.core.mirror.Key;

/** The audit over a real SQLite file and a real PostgreSQL, each test on a fresh pair of stores. */
@ExtendWith(PostgresExtension.class)
class AuditIT {

    private static TestDatabase db;
    private static Path dir;

    @BeforeAll
    static void setUp(TestDatabase database) throws IOException {
        db = database;
        dir = Files.createTempDirectory("audit-it");
    }

    @Test
    void identicalStoresAreClean() throws SQLException {
        DemoStores stores = DemoStores.create(db, dir, "identical");

        AuditResult result = stores.audit();

        assertThat(result.clean()).as(result.describe()).isTrue();
        assertThat(result.tables()).extracting(TableAudit::table, TableAudit::oldRows, TableAudit::newRows,
                TableAudit::matchingRows).containsExactlyInAnyOrder(
                        tuple("users", (long) DemoStores.USERS, (long) DemoStores.USERS, (long) DemoStores.USERS),
                        tuple("content", (long) DemoStores.CONTENT, (long) DemoStores.CONTENT, (long) DemoStores.CONTENT),
                        tuple("analytics_events", (long) DemoStores.EVENTS, (long) DemoStores.EVENTS,
                                (long) DemoStores.EVENTS));
        assertThat(result.describe()).endsWith("clean: the stores hold the same rows\n");
    }

    @Test
    void rowsThatDifferOnlyInRepresentationAreNotReported() throws SQLException {
        DemoStores stores = DemoStores.create(db, dir, "representation");
        UUID user = stores.users.get(3);
        UUID item = stores.content.get(5);
        stores.sqlite(
                // timestamps with a T, and with a zero fraction
                "UPDATE users SET created_at = replace(created_at, ' ', 'T'), updated_at = updated_at || '.000000' "
                        + "WHERE id = '" + user + "'",
                // a boolean as text, which SQLite's NUMERIC affinity keeps as text
                "UPDATE users SET is_active = CASE is_active WHEN 1 THEN 'true' ELSE 'f' END WHERE id = '" + user + "'",
                // a uuid in capitals; json with its keys in another order and without spaces
                "UPDATE content SET user_id = upper(user_id), metadata = json_object('words', "
                        + "json_extract(metadata, '$.words'), 'lang', 'en', 'tags', json(json_extract(metadata, '$.tags'))) "
                        + "WHERE id = '" + item + "'");

        AuditResult result = stores.audit();

        assertThat(result.clean()).as(result.describe()).isTrue();
        try (var c = stores.sqlite(); var rs = c.createStatement().executeQuery("SELECT u.created_at, "
                + "typeof(u.is_active), c.user_id, c.metadata FROM users u, content c WHERE u.id = '" + user
                + "' AND c.id = '" + item + "'")) {
            rs.next();
            assertThat(rs.getString(1)).as("the representations were planted").contains("T");
            assertThat(rs.getString(2)).isEqualTo("text");
            assertThat(rs.getString(3)).isUpperCase();
            assertThat(rs.getString(4)).startsWith("{\"words\":");
        }
    }

    @Test
    void findsEveryKindOfDifferencePlanted() throws SQLException {
        DemoStores stores = DemoStores.create(db, dir, "planted");
        UUID user = stores.users.get(0);
        UUID other = stores.users.get(1);
        UUID item = stores.content.get(0);
        UUID item2 = stores.content.get(1);
        stores.sqlite(
                "UPDATE users SET is_active = 1 - is_active WHERE id = '" + user + "'",
                "UPDATE users SET created_at = '2020-02-02 02:02:02' WHERE id = '" + user + "'",
                "UPDATE content SET view_count = view_count + 1 WHERE id = '" + item + "'",
                // a row the new store has and the old one lacks
                "DELETE FROM analytics_events WHERE id = 8");
        stores.postgres(
                "UPDATE users SET email = 'changed@example.com', display_name = NULL WHERE id = '" + user + "'",
                "UPDATE content SET user_id = '" + other + "', score = coalesce(score, 0) + 0.01, "
                        + "published = NOT published, metadata = jsonb_set(metadata, '{lang}', '\"de\"') "
                        + "WHERE id = '" + item + "'",
                // text compares exactly: one trailing space is a difference
                "UPDATE content SET body = coalesce(body, '') || ' ' WHERE id = '" + item2 + "'",
                "UPDATE analytics_events SET event_type = 'other', timestamp = timestamp + interval '1 microsecond' "
                        + "WHERE id = 5",
                "DELETE FROM analytics_events WHERE id = 7",
                "INSERT INTO analytics_events (id, user_id, event_type) VALUES (100000, '" + user + "', 'extra')");

        AuditResult result = stores.audit();

        assertThat(result.clean()).isFalse();
        TableAudit users = result.table("users");
        assertThat(users.differingRows()).isEqualTo(1);
        assertThat(users.differences()).extracting(d -> d.key(), d -> d.column()).containsExactly(
                tuple(Key.of(user), "email"), tuple(Key.of(user), "display_name"), tuple(Key.of(user), "is_active"),
                tuple(Key.of(user), "created_at"));
        assertThat(users.differences().get(1).newValue()).isNull();

        TableAudit content = result.table("content");
        assertThat(content.differingRows()).isEqualTo(2);
        assertThat(content.differences()).extracting(d -> d.key(), d -> d.column()).containsExactlyInAnyOrder(
                tuple(Key.of(item), "user_id"), tuple(Key.of(item), "metadata"), tuple(Key.of(item), "view_count"),
                tuple(Key.of(item), "score"), tuple(Key.of(item), "published"), tuple(Key.of(item2), "body"));

        TableAudit events = result.table("analytics_events");
        assertThat(events.onlyInOld()).isEqualTo(1);
        assertThat(events.onlyInOldKeys()).containsExactly(Key.of(7L));
        assertThat(events.onlyInNew()).isEqualTo(2);
        assertThat(events.onlyInNewKeys()).containsExactly(Key.of(8L), Key.of(100000L));
        assertThat(events.differences()).extracting(d -> d.key(), d -> d.column()).containsExactly(
                tuple(Key.of(5L), "event_type"), tuple(Key.of(5L), "timestamp"));
        assertThat(events.matchingRows()).isEqualTo(DemoStores.EVENTS - 3);

        assertThat(result.differenceCount()).isEqualTo(7);
        assertThat(result.describe())
                .contains("users [" + user + "]: email: old 'user1@example.com', new 'changed@example.com'")
                .contains("analytics_events: 1 row only in the old store: [[7]]")
                .endsWith("7 differences\n");
    }

    @Test
    void anOldPostgresStoreComparesToo() throws SQLException {
        DemoStores a = DemoStores.create(db, dir, "old_pg");
        DemoStores b = DemoStores.create(db, dir, "new_pg");
        b.postgres("UPDATE content SET title = 'x' WHERE id = '" + b.content.get(2) + "'");

        AuditResult result = Audit.compare(a.newEndpoint(), b.newEndpoint(), List.of("users", "content"));

        assertThat(result.tables()).extracting(TableAudit::table).containsExactly("users", "content");
        assertThat(result.table("users").clean()).isTrue();
        assertThat(result.table("content").differences()).extracting(d -> d.column()).containsExactly("title");
    }

    @Test
    void missingTablesAndColumnsAreProblems() throws SQLException {
        DemoStores stores = DemoStores.create(db, dir, "shapes");
        stores.postgres("ALTER TABLE users ADD COLUMN nickname TEXT", "CREATE TABLE extra (id INT PRIMARY KEY)",
                "CREATE TABLE no_key (n INT)");
        stores.sqlite("ALTER TABLE content ADD COLUMN legacy TEXT", "CREATE TABLE no_key (n INT)",
                "INSERT INTO no_key VALUES (1)");

        AuditResult result = stores.audit();

        assertThat(result.clean()).isFalse();
        assertThat(result.table("users").problems()).containsExactly("column nickname is only in the new store");
        assertThat(result.table("users").matchingRows()).isEqualTo(DemoStores.USERS);
        assertThat(result.table("content").problems()).containsExactly("column legacy is only in the old store");
        assertThat(result.table("extra").problems()).containsExactly("the table is only in the new store");
        assertThat(result.table("no_key").problems()).singleElement().asString().contains("no primary key");
        assertThat(result.table("no_key").oldRows()).isEqualTo(1);
        assertThat(stores.audit("nowhere").table("nowhere").problems()).containsExactly("no such table in either store");
    }

    @Test
    void keysTheOldStoreSortsOtherwiseAreReportedInsteadOfMispaired() throws SQLException {
        DemoStores stores = DemoStores.create(db, dir, "key_order");
        // as SQLite text an upper-case uuid sorts before lower-case letters, though as a uuid it is the last
        UUID last = stores.users.stream().max(Comparator.comparing(UUID::toString)).orElseThrow();
        stores.sqlite("UPDATE users SET id = upper(id) WHERE id = '" + last + "'");

        TableAudit users = stores.audit("users").table("users");

        assertThat(users.problems()).singleElement().asString().contains("the old store gives key")
                .contains("out of the new store's key order");
        assertThat(users.oldRows()).isEqualTo(DemoStores.USERS);
        assertThat(users.newRows()).isEqualTo(DemoStores.USERS);
    }

    @Test
    void theCommandLineExitsOneOnDifferencesAndZeroWhenClean() throws SQLException {
        DemoStores stores = DemoStores.create(db, dir, "cli");
        String[] args = {"audit", "--old", "jdbc:sqlite:" + stores.sqliteFile, "--new", stores.postgresUrl,
            "--new-user", db.user(), "--new-password", db.password(), "--tables", "users,content"};

        assertThat(Main.execute(args)).isZero();
        stores.postgres("DELETE FROM content WHERE id = '" + stores.content.get(0) + "'");
        assertThat(Main.execute(args)).isEqualTo(1);
        assertThat(Main.execute("audit", "--old", "jdbc:sqlite:" + dir.resolve("absent.db"), "--new",
                stores.postgresUrl, "--new-user", db.user())).isEqualTo(2);
    }
}
