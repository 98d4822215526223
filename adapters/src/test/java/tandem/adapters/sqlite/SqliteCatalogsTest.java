package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.adapters.sqlite.SqliteFixture.one;
import static tandem.adapters.sqlite.SqliteFixture.query;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.store.SqlSession;
import tandem.core.type.PgType;

/** The catalogs follow the schema: after a change, after a rolled-back change, from another session. */
class SqliteCatalogsTest {

    @TempDir
    Path dir;

    private SqliteFixture sqlite;
    private SqlSession session;

    @BeforeEach
    void open() {
        sqlite = SqliteFixture.create(dir);
        session = sqlite.session();
    }

    @AfterEach
    void close() {
        session.close();
        sqlite.close();
    }

    private List<String> tables(SqlSession on) {
        return one(on, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
                .column(0);
    }

    @Test
    void followTheSchemaThroughChangesAndRollbacks() {
        query(session, "CREATE TABLE a (id serial PRIMARY KEY)");
        assertThat(tables(session)).containsExactly("a");
        query(session, "CREATE TABLE b (id serial PRIMARY KEY)");
        assertThat(tables(session)).containsExactly("a", "b");
        List<SqliteFixture.Result> inside = query(session, "BEGIN", "CREATE TABLE c (id int)",
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", "ROLLBACK");
        assertThat(inside.get(2).value()).isEqualTo("3");
        assertThat(tables(session)).containsExactly("a", "b");
        try (SqlSession other = sqlite.session()) {
            query(other, "DROP TABLE a");
            assertThat(tables(other)).containsExactly("b");
        }
        assertThat(tables(session)).containsExactly("b");
    }

    @Test
    void answerInPostgresTypesAndNameWhatTheyDoNotHave() {
        query(session, "CREATE TABLE t (id serial PRIMARY KEY, name varchar(20))");
        SqliteFixture.Result r = one(session, "SELECT c.oid, c.relname, c.relkind, a.attnotnull, a.atttypmod "
                + "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relname = 't' AND a.attname = 'name'");
        assertThat(r.types()).containsExactly(PgType.OID, PgType.NAME, PgType.CHAR, PgType.BOOL, PgType.INT4);
        assertThat(Long.parseLong(r.rows().get(0).get(0))).isGreaterThanOrEqualTo(16384);
        assertThat(r.rows().get(0).subList(1, 5)).containsExactly("t", "r", "f", "24");
        assertThatThrownBy(() -> one(session, "SELECT * FROM pg_catalog.pg_index")).isInstanceOfSatisfying(
                ProxyException.class, e -> {
                    assertThat(e.state()).isEqualTo(SqlState.UNDEFINED_TABLE);
                    assertThat(e.hint()).contains("pg_catalog.pg_class");
                });
    }
}
