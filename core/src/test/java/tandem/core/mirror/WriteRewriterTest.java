package tandem.core.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.sql.StatementClassifier;
import tandem.core.store.StoreKind;
import tandem.core.type.PgType;

class WriteRewriterTest {

    private static final StatementClassifier CLASSIFIER = new StatementClassifier();

    static final Table USERS = table("users", List.of("id"), List.of(List.of("email")), "id", "email", "display_name");
    static final Table MEMBERSHIPS = table("memberships", List.of("org_id", "user_id"), List.of(), "org_id", "user_id",
            "role");
    static final Table EVENTS = table("analytics_events", List.of("id"), List.of(), "id", "event_type");
    static final Table AUDIT = table("audit_log", List.of(), List.of(), "at", "what");

    static final Map<String, Table> MIRRORED = Map.of("users", USERS, "memberships", MEMBERSHIPS,
            "analytics_events", EVENTS, "audit_log", AUDIT);

    private static final String LOG = "tandem_l AS (INSERT INTO tandem.repair_log (token, table_name, key) SELECT"
            + " pg_current_xact_id()::text, ";
    private static final String TAIL = " SELECT pg_current_xact_id()::text AS tandem_token, * FROM tandem_w";

    static Table table(String name, List<String> key, List<List<String>> unique, String... columns) {
        return new Table(name, java.util.Arrays.stream(columns).map(c -> new Column(c, PgType.TEXT, "text", true)).toList(),
                key, unique, List.of());
    }

    private static WritePlan plan(StoreKind dialect, String sql) {
        return new WriteRewriter(dialect, MIRRORED::get).plan(sql, CLASSIFIER.classify(sql));
    }

    private static WritePlan.Capture postgres(String sql) {
        WritePlan plan = plan(StoreKind.POSTGRES, sql);
        assertThat(plan).isInstanceOf(WritePlan.Capture.class);
        return (WritePlan.Capture) plan;
    }

    private static WritePlan.Capture sqlite(String sql) {
        WritePlan plan = plan(StoreKind.SQLITE, sql);
        assertThat(plan).isInstanceOf(WritePlan.Capture.class);
        return (WritePlan.Capture) plan;
    }

    private static WritePlan.Refuse refused(StoreKind dialect, String sql) {
        WritePlan plan = plan(dialect, sql);
        assertThat(plan).isInstanceOf(WritePlan.Refuse.class);
        return (WritePlan.Refuse) plan;
    }

    private static WritePlan.Refuse refused(String sql) {
        return refused(StoreKind.POSTGRES, sql);
    }

    @Nested
    class OnPostgres {

        @Test
        void insertBecomesAWithQueryThatLogsItsKeysInTheSameStatement() {
            WritePlan.Capture capture = postgres("INSERT INTO users (id, email) VALUES ($1, $2)");
            assertThat(capture.sql()).isEqualTo("WITH tandem_w AS (INSERT INTO users (id, email) VALUES ($1, $2)"
                    + " RETURNING users.\"id\" AS tandem_k0), " + LOG + "'users', jsonb_build_array(tandem_k0)"
                    + " FROM tandem_w)" + TAIL);
            assertThat(capture.clientReturning()).isFalse();
            assertThat(capture.leadingColumns()).isEqualTo(2);
            assertThat(capture.tokenColumn()).isZero();
            assertThat(capture.keyColumns()).containsExactly(1);
            assertThat(capture.command()).isEqualTo("INSERT");
            assertThat(capture.tag(3)).isEqualTo("INSERT 0 3");
            assertThat(capture.table()).isSameAs(USERS);
        }

        @Test
        void clientsReturningListFollowsTheKeysUnchanged() {
            WritePlan.Capture capture = postgres(
                    "UPDATE users AS u SET display_name = $1 FROM memberships m WHERE m.user_id = u.id RETURNING *, upper(u.email) AS shout");
            assertThat(capture.sql()).isEqualTo("WITH tandem_w AS (UPDATE users AS u SET display_name = $1 FROM"
                    + " memberships m WHERE m.user_id = u.id RETURNING u.\"id\" AS tandem_k0, *, upper(u.email) AS shout), "
                    + LOG + "'users', jsonb_build_array(tandem_k0) FROM tandem_w)" + TAIL);
            assertThat(capture.clientReturning()).isTrue();
            assertThat(capture.tag(2)).isEqualTo("UPDATE 2");
        }

        @Test
        void compositeKeysAreCapturedInKeyOrder() {
            WritePlan.Capture capture = postgres("DELETE FROM memberships USING users WHERE users.id = memberships.user_id"
                    + " AND users.email LIKE $1");
            assertThat(capture.sql()).isEqualTo("WITH tandem_w AS (DELETE FROM memberships USING users WHERE"
                    + " users.id = memberships.user_id AND users.email LIKE $1 RETURNING memberships.\"org_id\" AS"
                    + " tandem_k0, memberships.\"user_id\" AS tandem_k1), " + LOG + "'memberships',"
                    + " jsonb_build_array(tandem_k0, tandem_k1) FROM tandem_w)" + TAIL);
            assertThat(capture.leadingColumns()).isEqualTo(3);
            assertThat(capture.keyColumns()).containsExactly(1, 2);
            assertThat(capture.tag(0)).isEqualTo("DELETE 0");
        }

        @Test
        void clientsWithQueriesJoinTheOuterWithList() {
            WritePlan.Capture capture = postgres("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)"
                    + " INSERT INTO analytics_events (event_type) SELECT 'e' || i FROM n RETURNING id");
            assertThat(capture.sql()).isEqualTo("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3),"
                    + " tandem_w AS (INSERT INTO analytics_events (event_type) SELECT 'e' || i FROM n RETURNING"
                    + " analytics_events.\"id\" AS tandem_k0, id), " + LOG + "'analytics_events',"
                    + " jsonb_build_array(tandem_k0) FROM tandem_w)" + TAIL);
        }

        @Test
        void schemaQualifiedTargetIsReferredToByItsName() {
            WritePlan.Capture capture = postgres("delete from public.users where id = $1");
            assertThat(capture.sql()).startsWith("WITH tandem_w AS (delete from public.users where id = $1 RETURNING"
                    + " users.\"id\" AS tandem_k0), ");
        }

        @Test
        void leadingCommentsAndTrailingSemicolonsStayOutsideTheWithQuery() {
            WritePlan.Capture capture = postgres("/* app=shop */ DELETE FROM users WHERE id = 1 -- by admin\n;");
            assertThat(capture.sql()).startsWith("/* app=shop */ WITH tandem_w AS (DELETE FROM users WHERE id = 1"
                    + " RETURNING users.\"id\" AS tandem_k0), ");
            assertThat(capture.sql()).endsWith(TAIL + " -- by admin\n;");
        }

        @Test
        void upsertIsCapturedAndMayAssignTheKeyFromExcludedWhenTheConflictTargetIsTheKey() {
            WritePlan.Capture capture = postgres("INSERT INTO users AS x (id, email) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE"
                    + " SET id = excluded.id, email = excluded.email RETURNING xmax = 0 AS inserted");
            assertThat(capture.sql()).startsWith("WITH tandem_w AS (INSERT INTO users AS x (id, email) VALUES ($1, $2) ON"
                    + " CONFLICT (id) DO UPDATE SET id = excluded.id, email = excluded.email RETURNING x.\"id\" AS"
                    + " tandem_k0, xmax = 0 AS inserted), ");
            assertThat(postgres("INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT DO NOTHING").sql())
                    .startsWith("WITH tandem_w AS (INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                            + " RETURNING users.\"id\" AS tandem_k0), ");
        }

        @Test
        void mergeReturnsTheKeysOfInsertedUpdatedAndDeletedRows() {
            WritePlan.Capture capture = postgres("MERGE INTO users t USING (VALUES ($1, $2)) s(id, email) ON t.id = s.id::uuid"
                    + " WHEN MATCHED AND s.email IS NULL THEN DELETE WHEN MATCHED THEN UPDATE SET email = s.email"
                    + " WHEN NOT MATCHED THEN INSERT (id, email) VALUES (s.id::uuid, s.email)");
            assertThat(capture.sql()).startsWith("WITH tandem_w AS (MERGE INTO users t USING (VALUES ($1, $2)) s(id, email)"
                    + " ON t.id = s.id::uuid WHEN MATCHED AND s.email IS NULL THEN DELETE WHEN MATCHED THEN UPDATE SET"
                    + " email = s.email WHEN NOT MATCHED THEN INSERT (id, email) VALUES (s.id::uuid, s.email) RETURNING"
                    + " t.\"id\" AS tandem_k0), ");
            assertThat(capture.tag(4)).isEqualTo("MERGE 4");
        }

        @Test
        void postgres18ReturningWithOldAndNewKeepsItsAliasesFirst() {
            assertThat(postgres("UPDATE users SET email = $1 WHERE id = $2 RETURNING WITH (OLD AS o, NEW AS n) o.email, n.email")
                    .sql()).startsWith("WITH tandem_w AS (UPDATE users SET email = $1 WHERE id = $2 RETURNING WITH (OLD AS o,"
                            + " NEW AS n) users.\"id\" AS tandem_k0, o.email, n.email), ");
        }

        @Test
        void quotedNamesAreQuotedAgainAndQuotesInTheTableNameAreEscaped() {
            Table odd = table("Odd\"Name's", List.of("Key"), List.of(), "Key");
            WritePlan plan = new WriteRewriter(StoreKind.POSTGRES, Map.of("Odd\"Name's", odd)::get)
                    .plan("UPDATE \"Odd\"\"Name's\" SET \"Key\" = \"Key\" WHERE false", CLASSIFIER.classify(
                            "UPDATE \"Odd\"\"Name's\" SET \"Key\" = \"Key\" WHERE false"));
            assertThat(plan).isInstanceOf(WritePlan.Refuse.class);
            String delete = "DELETE FROM \"Odd\"\"Name's\"";
            WritePlan.Capture capture = (WritePlan.Capture) new WriteRewriter(StoreKind.POSTGRES,
                    Map.of("Odd\"Name's", odd)::get).plan(delete, CLASSIFIER.classify(delete));
            assertThat(capture.sql()).isEqualTo("WITH tandem_w AS (DELETE FROM \"Odd\"\"Name's\" RETURNING"
                    + " \"Odd\"\"Name's\".\"Key\" AS tandem_k0), " + LOG + "'Odd\"Name''s', jsonb_build_array(tandem_k0)"
                    + " FROM tandem_w)" + TAIL);
        }
    }

    @Nested
    class OnSqlite {

        @Test
        void keysGoInANewReturningClauseWithoutATokenColumn() {
            WritePlan.Capture capture = sqlite("INSERT INTO users (id, email) VALUES (?, ?)");
            assertThat(capture.sql()).isEqualTo("INSERT INTO users (id, email) VALUES (?, ?) RETURNING \"id\" AS tandem_k0");
            assertThat(capture.leadingColumns()).isEqualTo(1);
            assertThat(capture.tokenColumn()).isEqualTo(-1);
            assertThat(capture.keyColumns()).containsExactly(0);
            assertThat(capture.clientReturning()).isFalse();
        }

        @Test
        void keysGoInFrontOfTheClientsReturningList() {
            WritePlan.Capture capture = sqlite("UPDATE memberships SET role = ?1 WHERE user_id = ?2 RETURNING role, *;");
            assertThat(capture.sql()).isEqualTo("UPDATE memberships SET role = ?1 WHERE user_id = ?2 RETURNING \"org_id\" AS"
                    + " tandem_k0, \"user_id\" AS tandem_k1, role, *;");
            assertThat(capture.clientReturning()).isTrue();
            assertThat(capture.keyColumns()).containsExactly(0, 1);
        }

        @Test
        void returningComesBeforeTheOrderByAndLimitOfAnUpdateOrDelete() {
            assertThat(sqlite("DELETE FROM analytics_events WHERE event_type = 'x' ORDER BY id LIMIT 10").sql())
                    .isEqualTo("DELETE FROM analytics_events WHERE event_type = 'x' RETURNING \"id\" AS tandem_k0 ORDER BY id"
                            + " LIMIT 10");
            assertThat(sqlite("INSERT INTO analytics_events (event_type) SELECT what FROM audit_log ORDER BY at LIMIT 5").sql())
                    .isEqualTo("INSERT INTO analytics_events (event_type) SELECT what FROM audit_log ORDER BY at LIMIT 5"
                            + " RETURNING \"id\" AS tandem_k0");
        }

        @Test
        void conflictResolutionsThatReportEveryChangedRowAreCaptured() {
            assertThat(sqlite("INSERT OR IGNORE INTO users (id, email) VALUES (?, ?), (?, ?)").sql())
                    .endsWith(" RETURNING \"id\" AS tandem_k0");
            assertThat(sqlite("INSERT OR ROLLBACK INTO users (id, email) VALUES (?, ?)").command()).isEqualTo("INSERT");
            assertThat(sqlite("UPDATE OR ABORT users SET email = ? WHERE id = ?").command()).isEqualTo("UPDATE");
            assertThat(sqlite("INSERT OR FAIL INTO users (id, email) VALUES (?, ?)").sql()).endsWith("RETURNING \"id\" AS tandem_k0");
            assertThat(sqlite("INSERT INTO users (id, email) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET email = excluded.email")
                    .sql()).endsWith("excluded.email RETURNING \"id\" AS tandem_k0");
        }

        @Test
        void replaceIsCapturedWhenThePrimaryKeyIsTheOnlyUniqueKey() {
            assertThat(sqlite("REPLACE INTO analytics_events (id, event_type) VALUES (?, ?)").sql())
                    .isEqualTo("REPLACE INTO analytics_events (id, event_type) VALUES (?, ?) RETURNING \"id\" AS tandem_k0");
            assertThat(sqlite("INSERT OR REPLACE INTO analytics_events (id, event_type) VALUES (?, ?)").command())
                    .isEqualTo("INSERT");
        }

        @Test
        void replaceIsRefusedWhenAnotherUniqueKeyCouldMakeItDeleteADifferentRow() {
            WritePlan.Refuse refuse = refused(StoreKind.SQLITE, "INSERT OR REPLACE INTO users (id, email) VALUES (?, ?)");
            assertThat(refuse.message()).isEqualTo("INSERT OR REPLACE on mirrored table \"users\" may delete rows that"
                    + " tandem cannot see");
            assertThat(refuse.detail()).contains("(email)");
            assertThat(refuse.hint()).contains("ON CONFLICT");
            assertThat(refused(StoreKind.SQLITE, "REPLACE INTO users (id, email) VALUES (?, ?)").message())
                    .startsWith("INSERT OR REPLACE");
            assertThat(refused(StoreKind.SQLITE, "UPDATE OR REPLACE users SET email = ? WHERE id = ?").message())
                    .startsWith("UPDATE OR REPLACE");
        }

        @Test
        void orFailIsRefusedWhereItMayKeepRowsWhoseKeysItNeverReturns() {
            assertThat(refused(StoreKind.SQLITE, "INSERT OR FAIL INTO users (id, email) VALUES (?, ?), (?, ?)").message())
                    .isEqualTo("INSERT OR FAIL on mirrored table \"users\" cannot be mirrored when it may write several rows");
            refused(StoreKind.SQLITE, "INSERT OR FAIL INTO users (id, email) SELECT id, email FROM users");
            refused(StoreKind.SQLITE, "UPDATE OR FAIL users SET email = lower(email)");
        }

        @Test
        void mergeIsLeftToSqliteToReject() {
            assertThat(plan(StoreKind.SQLITE, "MERGE INTO users t USING x s ON t.id = s.id WHEN MATCHED THEN DELETE"))
                    .isSameAs(WritePlan.PASS);
        }
    }

    @Nested
    class Passing {

        @Test
        void readsSessionAndTransactionStatementsPass() {
            for (String sql : List.of("SELECT * FROM users", "SET search_path = public", "BEGIN", "COMMIT", "",
                    "SELECT nextval('users_seq')", "SELECT * FROM users FOR UPDATE", "EXPLAIN DELETE FROM users",
                    "SHOW TimeZone", "CALL refresh_users()", "VACUUM users")) {
                assertThat(plan(StoreKind.POSTGRES, sql)).as(sql).isSameAs(WritePlan.PASS);
            }
        }

        @Test
        void writesOnTablesThatAreNotMirroredPass() {
            for (String sql : List.of("INSERT INTO sessions VALUES (1)", "UPDATE other.users SET email = 'x'",
                    "DELETE FROM sessions USING users WHERE sessions.user_id = users.id",
                    "WITH d AS (DELETE FROM sessions RETURNING *) INSERT INTO old_sessions SELECT * FROM d",
                    "ALTER TABLE sessions ADD COLUMN x int", "TRUNCATE sessions", "DROP INDEX users_email_idx",
                    "CREATE TABLE t AS SELECT * FROM users", "COPY sessions FROM STDIN")) {
                assertThat(plan(StoreKind.POSTGRES, sql)).as(sql).isSameAs(WritePlan.PASS);
            }
        }

        @Test
        void sqliteSyntaxIsLeftToPostgresToReject() {
            assertThat(plan(StoreKind.POSTGRES, "INSERT OR IGNORE INTO users (id) VALUES (1)")).isSameAs(WritePlan.PASS);
            assertThat(plan(StoreKind.POSTGRES, "REPLACE INTO users (id) VALUES (1)")).isSameAs(WritePlan.PASS);
        }
    }

    @Test
    void writesOnAMirroredTableWithoutAPrimaryKeyAreReplayed() {
        assertThat(plan(StoreKind.POSTGRES, "INSERT INTO audit_log (at, what) VALUES (now(), $1)"))
                .isEqualTo(new WritePlan.Replay(AUDIT));
        assertThat(plan(StoreKind.SQLITE, "DELETE FROM audit_log WHERE at < ?")).isEqualTo(new WritePlan.Replay(AUDIT));
    }

    @Nested
    class Refusing {

        @Test
        void schemaChangesOnMirroredTablesAreRefusedWithTheWayToApplyThem() {
            WritePlan.Refuse refuse = refused("ALTER TABLE users ADD COLUMN nickname text");
            assertThat(refuse.table()).isEqualTo("users");
            assertThat(refuse.message()).isEqualTo("ALTER TABLE on mirrored table \"users\" is not run during a migration:"
                    + " tandem mirrors data, not schema");
            assertThat(refuse.hint()).contains("both stores directly, the new store first").contains("nullable columns")
                    .contains("until the migration completes");
            ProxyException error = refuse.error();
            assertThat(error.state()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
            assertThat(error.getMessage()).isEqualTo(refuse.message());
            assertThat(error.hint()).isEqualTo(refuse.hint());
            for (String sql : List.of("DROP TABLE IF EXISTS sessions, users CASCADE", "ALTER TABLE IF EXISTS ONLY public.users"
                    + " RENAME TO people", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY users (email)",
                    "CREATE TRIGGER t AFTER UPDATE OF email ON users FOR EACH ROW EXECUTE FUNCTION f()",
                    "CREATE TRIGGER t AFTER INSERT ON sessions BEGIN INSERT INTO users (id) VALUES (new.id); END",
                    "CREATE RULE r AS ON INSERT TO users DO INSTEAD NOTHING", "COMMENT ON COLUMN public.users.email IS 'x'",
                    "CREATE POLICY p ON users USING (true)", "DROP TRIGGER IF EXISTS t ON users",
                    "CREATE TABLE users_2026 PARTITION OF users FOR VALUES IN (2026)")) {
                assertThat(refused(sql).table()).as(sql).isEqualTo("users");
            }
        }

        @Test
        void truncateIsRefusedWithDeleteAsTheWayOut() {
            WritePlan.Refuse refuse = refused("TRUNCATE sessions, users");
            assertThat(refuse.message()).isEqualTo("TRUNCATE of mirrored table \"users\" cannot be mirrored");
            assertThat(refuse.hint()).startsWith("Use DELETE FROM users");
        }

        @Test
        void assigningAPrimaryKeyColumnIsRefusedWhereverTheSetIs() {
            WritePlan.Refuse refuse = refused("UPDATE users SET email = $1, id = $2 WHERE id = $3");
            assertThat(refuse.message()).isEqualTo("UPDATE of mirrored table \"users\" assigns its primary key column \"id\"");
            assertThat(refuse.detail()).contains("old key");
            refused("UPDATE memberships SET (role, user_id) = ($1, $2) WHERE org_id = 1");
            refused("UPDATE users SET email = CASE WHEN id IS NULL THEN 'a' ELSE 'b' END, ID = gen_random_uuid()");
            refused("UPDATE users SET display_name = email IS DISTINCT FROM 'x', id = $1");
            refused(StoreKind.SQLITE, "UPDATE OR IGNORE users SET id = ? WHERE id = ?");
            WritePlan.Refuse upsert = refused("INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET"
                    + " id = excluded.id");
            assertThat(upsert.message()).startsWith("ON CONFLICT DO UPDATE of mirrored table \"users\"");
            assertThat(upsert.hint()).contains("ON CONFLICT (id)");
            refused("INSERT INTO users (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET id = gen_random_uuid()");
            refused("MERGE INTO users t USING s ON t.email = s.email WHEN MATCHED THEN UPDATE SET id = s.id");
        }

        @Test
        void keyColumnsOfOtherTablesAndNonKeyColumnsMayBeAssigned() {
            postgres("UPDATE users SET email = (SELECT id FROM x WHERE id = 1), display_name = $1 FROM memberships m"
                    + " WHERE m.user_id = users.id");
            postgres("INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET email = excluded.email"
                    + " WHERE users.id IS NOT NULL");
        }

        @Test
        void dataModifyingWithQueriesOnMirroredTablesAreRefused() {
            WritePlan.Refuse refuse = refused("WITH moved AS (DELETE FROM users WHERE id = $1 RETURNING *)"
                    + " INSERT INTO sessions SELECT id FROM moved");
            assertThat(refuse.message()).startsWith("a data-modifying WITH query writes mirrored table \"users\"");
            assertThat(refuse.hint()).contains("statement of its own");
            refused("WITH d AS (DELETE FROM users WHERE id = 1 RETURNING *) INSERT INTO users SELECT * FROM d");
            refused("WITH d AS (DELETE FROM memberships RETURNING *) UPDATE users SET email = 'x'");
            refused("WITH d AS (UPDATE users SET email = 'x' RETURNING *) SELECT * FROM d");
        }

        @Test
        void writesTandemCannotSeeTheRowsOfAreRefused() {
            assertThat(refused("COPY users (id, email) FROM STDIN").message())
                    .isEqualTo("COPY into mirrored table \"users\" cannot be mirrored");
            assertThat(refused("COPY (DELETE FROM users RETURNING id) TO STDOUT").message())
                    .startsWith("tandem cannot tell which rows of mirrored table \"users\"");
            assertThat(refused("EXPLAIN ANALYZE UPDATE users SET email = 'x'").message()).startsWith("EXPLAIN ANALYZE");
            assertThat(refused("PREPARE p (uuid) AS DELETE FROM users WHERE id = $1").hint()).contains("Parse and Bind");
            assertThat(refused("PREPARE p AS ALTER TABLE users ADD x int").message()).startsWith("ALTER TABLE");
            assertThat(plan(StoreKind.POSTGRES, "PREPARE p AS SELECT * FROM users")).isSameAs(WritePlan.PASS);
            assertThat(refused("DO $$ BEGIN DELETE FROM users; END $$").message())
                    .isEqualTo("a DO block that mentions mirrored table \"users\" cannot be mirrored");
            assertThat(plan(StoreKind.POSTGRES, "DO $$ BEGIN PERFORM 1; END $$")).isSameAs(WritePlan.PASS);
            assertThat(refused("DELETE FROM users; DELETE FROM sessions").hint()).contains("single");
        }

        @Test
        void namesTheRewriteUsesAreRefused() {
            WritePlan.Refuse refuse = refused("WITH tandem_w AS (SELECT 1) INSERT INTO users (id) SELECT 1 FROM tandem_w");
            assertThat(refuse.message()).contains("\"tandem_w\"");
            refused("UPDATE users SET email = 'x' RETURNING id AS tandem_k0");
            assertThat(postgres("UPDATE users SET email = 'tandem_w' RETURNING id AS tandem_key").sql()).contains("tandem_key");
        }
    }

    @Test
    void schemaQualifiedNamesInTheDefaultSchemaAreMirroredAndOthersAreNot() {
        assertThat(plan(StoreKind.POSTGRES, "DELETE FROM public.users")).isInstanceOf(WritePlan.Capture.class);
        assertThat(plan(StoreKind.SQLITE, "DELETE FROM main.users")).isInstanceOf(WritePlan.Capture.class);
        assertThat(plan(StoreKind.POSTGRES, "DELETE FROM archive.users")).isSameAs(WritePlan.PASS);
    }

    @Test
    void plansAreCachedByStatementText() {
        AtomicInteger lookups = new AtomicInteger();
        WriteRewriter rewriter = new WriteRewriter(StoreKind.POSTGRES, name -> {
            lookups.incrementAndGet();
            return MIRRORED.get(name);
        });
        String sql = "UPDATE users SET email = $1 WHERE id = $2";
        WritePlan first = rewriter.plan(sql, CLASSIFIER.classify(sql));
        int afterFirst = lookups.get();
        assertThat(rewriter.plan(sql, CLASSIFIER.classify(sql))).isSameAs(first);
        assertThat(lookups.get()).isEqualTo(afterFirst);
        assertThat(rewriter.estimatedSize()).isEqualTo(1);
        rewriter.invalidateAll();
        assertThat(rewriter.plan(sql, CLASSIFIER.classify(sql))).isNotSameAs(first).isEqualTo(first);

        String longSql = "INSERT INTO users (id) VALUES " + "(1),".repeat(WriteRewriter.MAXIMUM_CACHED_LENGTH / 4) + "(1)";
        assertThat(rewriter.plan(longSql, CLASSIFIER.classify(longSql))).isInstanceOf(WritePlan.Capture.class);
        assertThat(rewriter.estimatedSize()).isEqualTo(1);
    }

    @Test
    void sessionsWithoutStandardConformingStringsAreReadTheirWay() {
        String sql = "UPDATE users SET email = 'it\\'s; id = 1' WHERE id = $1";
        WriteRewriter rewriter = new WriteRewriter(StoreKind.POSTGRES, MIRRORED::get);
        WritePlan plan = rewriter.plan(sql, CLASSIFIER.classify(sql, false), false);
        assertThat(plan).isInstanceOf(WritePlan.Capture.class);
        assertThat(((WritePlan.Capture) plan).sql()).contains("WHERE id = $1 RETURNING users.\"id\" AS tandem_k0)");
        assertThat(rewriter.estimatedSize()).isZero();
    }
}
