package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.adapters.sqlite.SqliteFixture.one;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.store.SqlSession;

class SqliteErrorsTest {

    @TempDir
    Path dir;

    private SqliteFixture fixture;
    private SqlSession session;

    @BeforeEach
    void open() {
        fixture = SqliteFixture.create(dir,
                "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0))",
                "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id))",
                "CREATE TRIGGER no_admin BEFORE INSERT ON users WHEN NEW.email = 'admin' "
                        + "BEGIN SELECT RAISE(ABORT, 'admin is reserved'); END",
                "INSERT INTO users VALUES (1, 'a@example.com', 30)");
        session = fixture.session();
    }

    @AfterEach
    void close() {
        session.close();
        fixture.close();
    }

    private ProxyException failure(String sql) {
        return (ProxyException) org.assertj.core.api.Assertions.catchThrowable(() -> one(session, sql));
    }

    @Test
    void uniqueAndPrimaryKeyViolationsAre23505() {
        ProxyException unique = failure("INSERT INTO users (email) VALUES ('a@example.com')");
        assertThat(unique.state()).isEqualTo(SqlState.UNIQUE_VIOLATION);
        assertThat(unique.getMessage()).isEqualTo("duplicate key value violates unique constraint \"users_email_key\"");
        assertThat(unique.detail()).contains("UNIQUE constraint failed: users.email");
        ProxyException primary = failure("INSERT INTO users (id, email) VALUES (1, 'b@example.com')");
        assertThat(primary.state()).isEqualTo(SqlState.UNIQUE_VIOLATION);
        assertThat(primary.getMessage()).contains("\"users_pkey\"");
    }

    @Test
    void notNullViolationIs23502NamingColumnAndTable() {
        ProxyException e = failure("INSERT INTO users (email) VALUES (NULL)");
        assertThat(e.state()).isEqualTo(SqlState.NOT_NULL_VIOLATION);
        assertThat(e.getMessage()).isEqualTo("null value in column \"email\" of relation \"users\" violates not-null "
                + "constraint");
    }

    @Test
    void foreignKeyViolationIs23503() {
        ProxyException e = failure("INSERT INTO posts (user_id) VALUES (99)");
        assertThat(e.state()).isEqualTo(SqlState.FOREIGN_KEY_VIOLATION);
        assertThat(e.hint()).contains("foreign_key_check");
    }

    @Test
    void checkViolationIs23514() {
        assertThat(failure("INSERT INTO users (email, age) VALUES ('c', -1)").state()).isEqualTo(SqlState.CHECK_VIOLATION);
    }

    @Test
    void triggerRaiseIsP0001WithItsMessage() {
        ProxyException e = failure("INSERT INTO users (email) VALUES ('admin')");
        assertThat(e.state()).isEqualTo(SqlState.RAISE_EXCEPTION);
        assertThat(e.getMessage()).isEqualTo("admin is reserved");
    }

    @Test
    void syntaxErrorsAre42601WithPostgresWording() {
        ProxyException e = failure("SELEC 1");
        assertThat(e.state()).isEqualTo(SqlState.SYNTAX_ERROR);
        assertThat(e.getMessage()).isEqualTo("syntax error at or near \"SELEC\"");
        assertThat(failure("SELECT 1 +").getMessage()).isEqualTo("syntax error at end of input");
    }

    @Test
    void unknownTablesColumnsAndFunctionsHavePostgresCodes() {
        assertThat(failure("SELECT * FROM nope").state()).isEqualTo(SqlState.UNDEFINED_TABLE);
        assertThat(failure("SELECT * FROM nope").getMessage()).isEqualTo("relation \"nope\" does not exist");
        assertThat(failure("SELECT nope FROM users").state()).isEqualTo(SqlState.UNDEFINED_COLUMN);
        assertThat(failure("SELECT nope FROM users").getMessage()).isEqualTo("column \"nope\" does not exist");
        ProxyException function = failure("SELECT date_trunc('day', now())");
        assertThat(function.state()).isEqualTo(SqlState.UNDEFINED_FUNCTION);
        assertThat(function.hint()).contains("strftime");
        assertThat(failure("CREATE TABLE users (a INTEGER)").state()).isEqualTo(SqlState.DUPLICATE_TABLE);
    }

    @Test
    void catalogsTandemDoesNotAnswerFailWithAHintNamingThoseItDoes() {
        ProxyException e = failure("SELECT indexrelid FROM pg_index");
        assertThat(e.state()).isEqualTo(SqlState.UNDEFINED_TABLE);
        assertThat(e.hint()).contains("information_schema.columns").contains("need a PostgreSQL store");
        ProxyException schema = failure("SELECT constraint_name FROM information_schema.table_constraints");
        assertThat(schema.state()).isEqualTo(SqlState.UNDEFINED_TABLE);
        assertThat(schema.hint()).contains("pg_catalog.pg_class");
    }

    @Test
    void errorsRaisedByTandemFunctionsKeepTheirSqlState() {
        assertThat(failure("SELECT 'x'::int").state()).isEqualTo(SqlState.INVALID_TEXT_REPRESENTATION);
        assertThat(failure("SELECT current_setting('no.such')").state()).isEqualTo(SqlState.UNDEFINED_OBJECT);
    }

    @Test
    void severalStatementsInOnePreparedStatementAreRefusedAsInPostgres() {
        assertThatThrownBy(() -> one(session, "DELETE FROM posts; SELECT 1"))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.state()).isEqualTo(SqlState.SYNTAX_ERROR);
                    assertThat(e.getMessage()).isEqualTo("cannot insert multiple commands into a prepared statement");
                });
    }
}
