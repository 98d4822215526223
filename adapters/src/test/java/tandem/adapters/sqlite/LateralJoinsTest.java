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

/** The LATERAL joins ORMs generate for nested results, run on SQLite as correlated subqueries. */
class LateralJoinsTest {

    @TempDir
    Path dir;

    private SqliteFixture sqlite;
    private SqlSession session;

    @BeforeEach
    void open() {
        sqlite = SqliteFixture.create(dir);
        session = sqlite.session();
        query(session, "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE posts (id serial PRIMARY KEY, author_id integer NOT NULL, title text NOT NULL)",
                "INSERT INTO users (name) VALUES ('a'), ('b')",
                "INSERT INTO posts (author_id, title) VALUES (1, 'x'), (1, 'y')");
    }

    @AfterEach
    void close() {
        session.close();
        sqlite.close();
    }

    @Test
    void anAggregatedManyRelationBecomesAJsonColumn() {
        SqliteFixture.Result r = one(session, "select \"users\".\"id\", \"users_posts\".\"data\" as \"posts\" from \"users\" "
                + "\"users\" left join lateral (select coalesce(json_agg(json_build_array(\"users_posts\".\"id\", "
                + "\"users_posts\".\"title\") order by \"users_posts\".\"id\" desc), '[]'::json) as \"data\" from \"posts\" "
                + "\"users_posts\" where \"users_posts\".\"author_id\" = \"users\".\"id\") \"users_posts\" on true "
                + "order by \"users\".\"id\"");
        assertThat(r.types()).containsExactly(PgType.INT4, PgType.JSON);
        assertThat(r.rows()).containsExactly(List.of("1", "[[2,\"y\"],[1,\"x\"]]"), List.of("2", "[]"));
    }

    @Test
    void aOneRelationUnderLimitOneBecomesAJsonColumnAndAnotherLimitIsRefused() {
        String sql = "select \"posts\".\"title\", \"posts_author\".\"data\" as \"author\" from \"posts\" \"posts\" left join "
                + "lateral (select json_build_array(\"posts_author\".\"name\") as \"data\" from (select * from \"users\" "
                + "\"posts_author\" where \"posts_author\".\"id\" = \"posts\".\"author_id\" limit $1) \"posts_author\") "
                + "\"posts_author\" on true order by \"posts\".\"id\"";
        assertThat(one(session, sql, 1L).rows()).containsExactly(List.of("x", "[\"a\"]"), List.of("y", "[\"a\"]"));
        assertThatThrownBy(() -> one(session, sql, 2L)).isInstanceOfSatisfying(ProxyException.class, e -> {
            assertThat(e.state()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
            assertThat(e.getMessage()).contains("LATERAL subquery with LIMIT 2");
        });
    }

    @Test
    void otherLateralJoinsAreLeftToSqliteWhichRefusesThem() {
        assertThat(LateralJoins.inline("SELECT * FROM users u, LATERAL (SELECT title FROM posts p WHERE p.author_id = u.id) x"))
                .isEqualTo("SELECT * FROM users u, LATERAL (SELECT title FROM posts p WHERE p.author_id = u.id) x");
        String manyRows = "SELECT u.id, x.t FROM users u LEFT JOIN LATERAL (SELECT p.title AS t FROM posts p "
                + "WHERE p.author_id = u.id) x ON true";
        assertThat(LateralJoins.inline(manyRows)).isEqualTo(manyRows);
        assertThatThrownBy(() -> one(session, manyRows)).isInstanceOf(ProxyException.class);
    }
}
