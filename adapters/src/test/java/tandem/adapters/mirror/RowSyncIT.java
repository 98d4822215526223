package tandem.adapters.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.sqlite.SqliteStore;
import tandem.adapters.testing.DemoSchema;
import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.Stores;
import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.MigrationConfig;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.Changes;
import tandem.core.mirror.Key;
import tandem.core.mirror.MirroredTables;
import tandem.core.mirror.RowSync;
import tandem.core.mirror.RowWriter;

/** RowSync on real stores: the demo's SQLite old store to its PostgreSQL new store, and PostgreSQL to PostgreSQL. */
class RowSyncIT {

    static Changes changes(String token, Object... tableThenKeys) {
        Map<String, Set<Key>> keys = new LinkedHashMap<>();
        for (int i = 0; i < tableThenKeys.length; i += 2) {
            keys.computeIfAbsent((String) tableThenKeys[i], t -> new java.util.TreeSet<>()).add((Key) tableThenKeys[i + 1]);
        }
        return new Changes(token, keys);
    }

    static List<List<Object>> rows(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @ExtendWith(PostgresExtension.class)
    class FromSqlite {

        Path dir;
        SqliteStore old;
        PostgresStore pg;
        TestDatabase db;
        RowSync sync;
        Connection app;

        @BeforeAll
        void open(TestDatabase db, @TempDir Path dir) throws SQLException {
            this.db = db;
            this.dir = dir;
            db.execute(DemoSchema.postgres());
            old = Stores.sqlite(dir, "app.db", DemoSchema.sqlite());
            pg = Stores.postgres("new", db);
            MirroredTables plan = MirroredTables.plan(MigrationConfig.defaults(), old, pg);
            sync = RowSync.between(old, pg, plan);
            app = Stores.sqliteConnection(dir.resolve("app.db"));
        }

        @AfterAll
        void close() throws SQLException {
            app.close();
            old.close();
            pg.close();
        }

        String user(String email) throws SQLException {
            String id = UUID.randomUUID().toString();
            try (PreparedStatement ps = app.prepareStatement("INSERT INTO users (id, email, display_name, is_active, "
                    + "created_at, updated_at) VALUES (?, ?, 'Ann', 1, '2024-01-15 10:30:00', '2024-01-15 10:30:00.25')")) {
                ps.setString(1, id);
                ps.setString(2, email);
                ps.executeUpdate();
            }
            return id;
        }

        void sql(String sql, Object... parameters) throws SQLException {
            try (PreparedStatement ps = app.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setObject(i + 1, parameters[i]);
                }
                ps.executeUpdate();
            }
        }

        @Test
        void insertsUpdatesAndDeletesReachTheNewStoreWithConvertedTypes() throws SQLException {
            String id = user("ann@example.com");
            assertThat(sync.sync(changes("t1", "users", Key.of(id)), List.of())).isEqualTo(1);
            assertThat(rows(db, "SELECT id, email, display_name, is_active, created_at, updated_at FROM users WHERE id = '"
                    + id + "'")).containsExactly(List.of(UUID.fromString(id), "ann@example.com", "Ann", true,
                            java.sql.Timestamp.valueOf("2024-01-15 10:30:00"),
                            java.sql.Timestamp.valueOf("2024-01-15 10:30:00.25")));

            String post = UUID.randomUUID().toString();
            sql("INSERT INTO content (id, user_id, title, content_type, metadata, view_count, score, published, created_at) "
                    + "VALUES (?, ?, 'Hello', 'post', '{\"tags\": [\"a\", \"b\"], \"n\": 1}', 3, 4.5, 0, "
                    + "'2024-02-01 08:00:00')", post, id);
            sync.sync(changes("t2", "content", Key.of(post)), List.of());
            assertThat(rows(db, "SELECT metadata = '{\"n\": 1, \"tags\": [\"a\", \"b\"]}'::jsonb, view_count, score, "
                    + "published FROM content WHERE id = '" + post + "'")).containsExactly(List.of(true, 3, 4.5, false));

            sql("UPDATE users SET display_name = 'Ann B', is_active = 0 WHERE id = ?", id);
            sql("UPDATE content SET view_count = view_count + 1, metadata = NULL WHERE id = ?", post);
            sync.sync(changes("t3", "users", Key.of(id), "content", Key.of(post)), List.of());
            assertThat(rows(db, "SELECT display_name, is_active FROM users WHERE id = '" + id + "'"))
                    .containsExactly(List.of("Ann B", false));
            assertThat(rows(db, "SELECT view_count, metadata FROM content WHERE id = '" + post + "'"))
                    .containsExactly(Arrays.asList(4, null));

            sql("DELETE FROM content WHERE id = ?", post);
            sync.sync(changes("t4", "content", Key.of(post)), List.of());
            assertThat(rows(db, "SELECT count(*) FROM content WHERE id = '" + post + "'")).containsExactly(List.of(0L));
        }

        @Test
        void parentsAreWrittenBeforeChildrenAndDeletedAfterThemInOneTransaction() throws SQLException {
            String id = user("bob@example.com");
            String post = UUID.randomUUID().toString();
            sql("INSERT INTO content (id, user_id, title, content_type) VALUES (?, ?, 'Hi', 'post')", post, id);
            // the child is listed first: the writer orders by foreign key, not by the map
            sync.sync(changes("t1", "content", Key.of(post), "users", Key.of(id)), List.of());
            assertThat(rows(db, "SELECT u.email FROM content c JOIN users u ON u.id = c.user_id WHERE c.id = '" + post
                    + "'")).containsExactly(List.of("bob@example.com"));

            sql("DELETE FROM content WHERE id = ?", post);
            sql("DELETE FROM users WHERE id = ?", id);
            sync.sync(changes("t2", "users", Key.of(id), "content", Key.of(post)), List.of());
            assertThat(rows(db, "SELECT count(*) FROM users WHERE id = '" + id + "'")).containsExactly(List.of(0L));
        }

        @Test
        void aRowWhoseParentTheNewStoreLacksFailsNamingTheConstraintAndWritesNothing() throws SQLException {
            String id = user("carol@example.com");
            String post = UUID.randomUUID().toString();
            sql("INSERT INTO content (id, user_id, title, content_type) VALUES (?, ?, 'Orphan', 'post')", post, id);
            String other = user("dave@example.com");
            assertThatThrownBy(() -> sync.sync(changes("t1", "content", Key.of(post), "users", Key.of(other)), List.of()))
                    .isInstanceOfSatisfying(ProxyException.class, e -> {
                        assertThat(e.state()).isEqualTo(SqlState.FOREIGN_KEY_VIOLATION);
                        assertThat(e.getMessage()).contains("store \"new\"").contains("content_user_id_fkey");
                        assertThat(e.detail()).contains(id);
                        assertThat(e.hint()).contains("not in the new store yet");
                    });
            assertThat(rows(db, "SELECT count(*) FROM users WHERE id = '" + other + "'"))
                    .as("the transaction rolled back as a whole").containsExactly(List.of(0L));
            sync.sync(changes("t2", "users", Key.of(id)), List.of());
            sync.sync(changes("t3", "content", Key.of(post)), List.of());
            assertThat(rows(db, "SELECT title FROM content WHERE id = '" + post + "'")).containsExactly(List.of("Orphan"));
        }

        @Test
        void autoincrementIdsAreCopiedAndTheIdentitySequenceMovesPastThem() throws SQLException {
            sql("INSERT INTO analytics_events (id, event_type, event_data, timestamp) VALUES (7000, 'view', "
                    + "'{\"x\": 1}', '2024-03-01 12:00:00')");
            sql("INSERT INTO analytics_events (event_type) VALUES ('click')");
            List<Key> ids = new ArrayList<>();
            try (Statement s = app.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM analytics_events")) {
                while (rs.next()) {
                    ids.add(Key.of(rs.getLong(1)));
                }
            }
            Object[] keys = ids.stream().flatMap(k -> java.util.stream.Stream.of("analytics_events", k)).toArray();
            sync.sync(changes("t1", keys), List.of());
            assertThat(rows(db, "SELECT id, event_type FROM analytics_events ORDER BY id")).containsExactly(
                    List.of(7000L, "view"), List.of(7001L, "click"));
            // after cutover the application inserts into the new store directly
            assertThat(rows(db, "INSERT INTO analytics_events (event_type) VALUES ('direct') RETURNING id").get(0).get(0))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LONG).isGreaterThan(7001L);
        }

        @Test
        void aValueTheNewStoreCannotHoldFailsNamingTableColumnAndValue() throws SQLException {
            sql("INSERT INTO users (id, email) VALUES ('user-42', 'eve@example.com')");
            assertThatThrownBy(() -> sync.sync(changes("t1", "users", Key.of("user-42")), List.of()))
                    .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.getMessage())
                            .contains("table users, column id").contains("\"user-42\"").contains("uuid"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @ExtendWith(PostgresExtension.class)
    class FromPostgres {

        TestDatabase oldDb;
        TestDatabase newDb;
        PostgresStore old;
        PostgresStore pg;
        RowSync sync;

        static final String TYPES = "CREATE TABLE types (id int4 GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a int2, b int8, "
                + "c numeric(10,2), d real, e double precision, f boolean, g text, h varchar(10), i char(3), j bytea, "
                + "k date, l time, m timestamp, n timestamptz, o uuid, p json, q jsonb, r int4[], s text[], "
                + "t interval, u mood, doubled int8 GENERATED ALWAYS AS (b * 2) STORED)";

        @BeforeAll
        void open(TestDatabase db) {
            oldDb = db;
            newDb = TestPostgres.shared().createDatabase("rowsync_new");
            for (TestDatabase d : List.of(oldDb, newDb)) {
                d.execute(DemoSchema.postgres());
                d.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')", TYPES,
                        "CREATE TABLE tree (id serial PRIMARY KEY, parent int REFERENCES tree, name text)",
                        "CREATE TABLE pairs (a int, b text, v text, PRIMARY KEY (b, a))",
                        "CREATE TABLE audit (at timestamptz DEFAULT now(), line text)");
            }
            old = Stores.postgres("old", oldDb);
            pg = Stores.postgres("new", newDb);
            sync = RowSync.between(old, pg, MirroredTables.plan(MigrationConfig.defaults(), old, pg));
        }

        @AfterAll
        void close() {
            old.close();
            pg.close();
        }

        @Test
        void everyTypeArrivesExactlyAndGeneratedColumnsAreComputedByTheNewStore() throws SQLException {
            oldDb.execute("INSERT INTO types (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u) VALUES "
                    + "(-2, 9007199254740993, 12.30, 0.1, 0.1, true, E'multi\\nline', 'short', 'ab', '\\x00ff', "
                    + "'0044-03-15 BC', '24:00', '2024-01-15 10:30:00.123456', '2024-01-15 10:30:00+05:30', "
                    + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\": 1,  \"a\": [1, 2]}', '{\"b\": 1, \"a\": 2}', "
                    + "'{1,NULL,3}', '{\"x y\",\"\\\\\"}', '1 day 02:00:00', 'sad'), "
                    + "(NULL, NULL, 'NaN', 'Infinity', '-Infinity', NULL, NULL, NULL, NULL, NULL, 'infinity', NULL, "
                    + "'-infinity', 'infinity', NULL, NULL, NULL, '{}', NULL, NULL, NULL)");
            sync.sync(changes("t1", "types", Key.of(1), "types", Key.of(2)), List.of());
            String all = "SELECT id, a, b, c::text, d::text, e::text, f, g, h, i, j::text, k::text, l::text, m::text, "
                    + "n::text, o, p::text, q::text, r::text, s::text, t::text, u::text, doubled FROM types ORDER BY id";
            assertThat(rows(newDb, all)).isEqualTo(rows(oldDb, all)).hasSize(2);
        }

        @Test
        void aSelfReferencingTableTakesParentAndChildInOneSyncAndItsSerialMovesOn() throws SQLException {
            oldDb.execute("INSERT INTO tree (id, parent, name) VALUES (1500, NULL, 'root'), (1501, 1500, 'leaf')");
            sync.sync(changes("t1", "tree", Key.of(1501), "tree", Key.of(1500)), List.of());
            assertThat(rows(newDb, "SELECT id, parent, name FROM tree ORDER BY id")).containsExactly(
                    Arrays.asList(1500, null, "root"), List.of(1501, 1500, "leaf"));
            assertThat((Integer) rows(newDb, "INSERT INTO tree (name) VALUES ('direct') RETURNING id").get(0).get(0))
                    .isGreaterThan(1501);
        }

        @Test
        void compositeKeysAreMatchedColumnByColumnAndDeletedWhenGone() throws SQLException {
            oldDb.execute("INSERT INTO pairs VALUES (1, 'x', 'one'), (2, 'x', 'two'), (1, 'y', 'three')");
            sync.sync(changes("t1", "pairs", Key.of("x", 1), "pairs", Key.of("x", 2), "pairs", Key.of("y", 1)), List.of());
            oldDb.execute("DELETE FROM pairs WHERE a = 2", "UPDATE pairs SET v = 'uno' WHERE b = 'x'");
            sync.sync(changes("t2", "pairs", Key.of("x", 1), "pairs", Key.of("x", 2)), List.of());
            assertThat(rows(newDb, "SELECT b, a, v FROM pairs ORDER BY b, a")).containsExactly(List.of("x", 1, "uno"),
                    List.of("y", 1, "three"));
        }

        @Test
        void statementsOnKeylessTablesAreReplayedWithTheirParameters() throws SQLException {
            sync.sync(Map.of(), List.of(new RowWriter.Replay("INSERT INTO audit (at, line) VALUES ($2::timestamptz, $1)",
                    List.of("logged in", "2024-01-15 10:30:00+00")), new RowWriter.Replay(
                            "INSERT INTO audit (line) SELECT '{\"a\": 1}'::jsonb ? 'a' || ' ' || $1", List.of("?"))));
            assertThat(rows(newDb, "SELECT at = '2024-01-15 10:30:00+00', line FROM audit ORDER BY line"))
                    .containsExactly(List.of(true, "logged in"), List.of(false, "true ?"));
        }

        @Test
        void keysMayArriveAsAnyIntegerClassAndNumericScale() {
            oldDb.execute("CREATE TABLE prices (amount numeric PRIMARY KEY, label text)",
                    "INSERT INTO prices VALUES (1.50, 'a')");
            newDb.execute("CREATE TABLE prices (amount numeric PRIMARY KEY, label text)");
            RowSync fresh = RowSync.between(old, pg, MirroredTables.plan(MigrationConfig.defaults(), old, pg));
            fresh.sync(changes("t1", "prices", Key.of(new BigDecimal("1.5"))), List.of());
            assertThat(pg.rowReader().read(pg.schema().table("prices"), List.of(Key.of(new BigDecimal("1.500")))))
                    .hasSize(1);
        }
    }

    static LocalDateTime at(String text) {
        return LocalDateTime.parse(text);
    }
}
