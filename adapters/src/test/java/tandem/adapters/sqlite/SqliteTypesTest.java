package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.adapters.sqlite.SqliteFixture.one;
import static tandem.adapters.sqlite.SqliteFixture.query;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tandem.config.SqliteConfig;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.mirror.Column;
import tandem.core.mirror.Table;
import tandem.core.store.SqlSession;
import tandem.core.type.PgType;

class SqliteTypesTest {

    private static final Instant NOW = Instant.parse("2024-01-15T10:30:00.123456Z");

    @TempDir
    Path dir;

    private SqliteFixture fixture;
    private SqlSession session;

    @BeforeEach
    void open() {
        fixture = SqliteFixture.create(dir, new SqliteConfig(Duration.ofSeconds(2), 2), Clock.fixed(NOW, ZoneOffset.UTC),
                "CREATE TABLE everything (id INTEGER PRIMARY KEY AUTOINCREMENT, i INT, big BIGINT, small SMALLINT, "
                        + "flag BOOLEAN, r REAL, d DOUBLE PRECISION, n NUMERIC, money DECIMAL(10,2), t TEXT, "
                        + "v VARCHAR(20), c CHAR(3), b BLOB, day DATE, at TIMESTAMP, stamp DATETIME, "
                        + "atz TIMESTAMPTZ, clock TIME, doc JSON, docb JSONB, u UUID, loose)");
        session = fixture.session();
    }

    @AfterEach
    void close() {
        session.close();
        fixture.close();
    }

    private void insertRaw(String sqliteValues) {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + fixture.file);
                var s = c.createStatement()) {
            s.execute("INSERT INTO everything " + sqliteValues);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "i       | INT8",
        "big     | INT8",
        "small   | INT2",
        "flag    | BOOL",
        "r       | FLOAT8",
        "d       | FLOAT8",
        "n       | NUMERIC",
        "money   | NUMERIC",
        "t       | TEXT",
        "v       | VARCHAR",
        "c       | TEXT",
        "b       | BYTEA",
        "day     | DATE",
        "at      | TIMESTAMP",
        "stamp   | TIMESTAMP",
        "atz     | TIMESTAMPTZ",
        "clock   | TIME",
        "doc     | JSON",
        "docb    | JSONB",
        "u       | UUID",
    })
    void mapsDeclaredColumnTypesToPostgresTypes(String column, PgType expected) {
        SqlSession.PreparedSql prepared = session.prepare("SELECT " + column + " FROM everything", List.of());
        assertThat(prepared.columns().get(0).type()).isEqualTo(expected);
    }

    @Test
    void describesTableColumnsInTheNewStoresTypesSoClientsSeeTheSameTypesAfterACutover() {
        fixture.store.describeColumnsAs(List.of(new Table("everything", List.of(
                new Column("id", PgType.INT8, "bigint", false), new Column("i", PgType.INT4, "integer", true),
                new Column("big", PgType.INT4, "integer", true), new Column("t", PgType.VARCHAR, "varchar(40)", true),
                new Column("loose", PgType.TEXT, "text", true)), List.of("id"), List.of(), List.of())));
        insertRaw("(i, big, t, small) VALUES (42, 9007199254740993, 'x', 7)");

        SqliteFixture.Result r = one(session, "SELECT i, e.i AS renamed, t, small, i + 1 AS next, loose "
                + "FROM everything e");
        assertThat(r.types()).containsExactly(PgType.INT4, PgType.INT4, PgType.VARCHAR, PgType.INT2, PgType.INT8,
                PgType.TEXT);
        assertThat(r.rows().get(0)).containsExactly("42", "42", "x", "7", "43", null);
        // a subquery's alias is no column of the table: SQLite's declaration decides
        assertThat(one(session, "SELECT x FROM (SELECT i AS x FROM everything)").types()).containsExactly(PgType.INT8);
        // what the new store could not hold is an error, as it would be there
        assertFails("SELECT big FROM everything", SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "out of range for type integer");
    }

    @Test
    void convertsStoredValuesToWhatPostgresWouldPrint() {
        insertRaw("(i, big, small, flag, r, d, n, money, t, v, c, b, day, at, stamp, atz, clock, doc, docb, u) VALUES "
                + "(42, 9007199254740993, -7, 1, 1.5, 0.1, 12.5, 3.5, 'héllo', 'v', 'abc', x'00ff', '2024-01-15', "
                + "'2024-01-15 10:30:00.5', '2024-01-15T10:30:00.000Z', '2024-01-15 10:30:00', '23:59:59.999999', "
                + "'{\"a\": [1, 2]}', '{\"b\":true}', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')");
        SqliteFixture.Result r = one(session, "SELECT i, big, small, flag, r, d, n, money, t, v, c, b, day, at, stamp, "
                + "atz, clock, doc, docb, u, loose FROM everything");
        assertThat(r.rows().get(0)).containsExactly("42", "9007199254740993", "-7", "t", "1.5", "0.1", "12.5", "3.50",
                "héllo", "v", "abc", "\\x00ff", "2024-01-15", "2024-01-15 10:30:00.5", "2024-01-15 10:30:00",
                "2024-01-15 10:30:00+00", "23:59:59.999999", "{\"a\": [1, 2]}", "{\"b\": true}",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", null);
    }

    @Test
    void printsTimestamptzInTheSessionsTimeZone() {
        insertRaw("(atz) VALUES ('2024-01-15 10:30:00')");
        query(session, "SET TIME ZONE 'America/New_York'");
        assertThat(one(session, "SELECT atz FROM everything").value()).isEqualTo("2024-01-15 05:30:00-05");
    }

    @Test
    void storesParametersAsPostgresMeansThem() {
        UUID uuid = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        one(session, "INSERT INTO everything (flag, n, money, b, day, at, atz, clock, u, r) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", true, new BigDecimal("123456789012.345"),
                new BigDecimal("2.50"), new byte[] {1, 2}, LocalDate.of(2024, 2, 29),
                LocalDateTime.of(2024, 1, 15, 10, 30, 0, 120_000_000),
                OffsetDateTime.of(2024, 1, 15, 12, 30, 0, 0, ZoneOffset.ofHours(2)), LocalTime.of(8, 0), uuid, Double.NaN);
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + fixture.file);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT typeof(flag), flag, n, money, hex(b), day, at, atz, clock, u, r "
                        + "FROM everything")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("integer");
            assertThat(rs.getLong(2)).isEqualTo(1);
            assertThat(rs.getString(3)).isEqualTo("123456789012.345"); // 15 digits: exact as a REAL
            assertThat(rs.getDouble(4)).isEqualTo(2.5);
            assertThat(rs.getString(5)).isEqualTo("0102");
            assertThat(rs.getString(6)).isEqualTo("2024-02-29");
            assertThat(rs.getString(7)).isEqualTo("2024-01-15 10:30:00.12");
            assertThat(rs.getString(8)).isEqualTo("2024-01-15 10:30:00"); // UTC, as CURRENT_TIMESTAMP writes
            assertThat(rs.getString(9)).isEqualTo("08:00:00");
            assertThat(rs.getString(10)).isEqualTo(uuid.toString());
            assertThat(rs.getString(11)).isEqualTo("NaN");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        SqliteFixture.Result back = one(session, "SELECT flag, n, money, day, at, atz, r FROM everything");
        assertThat(back.rows().get(0)).containsExactly("t", "123456789012.345", "2.50", "2024-02-29",
                "2024-01-15 10:30:00.12", "2024-01-15 10:30:00+00", "NaN");
    }

    @Test
    void infersUndeclaredParameterTypesFromColumnsSoTextBooleansAreStoredAsNumbers() {
        SqlSession.PreparedSql insert = session.prepare("INSERT INTO everything (flag, at, i, t) VALUES ($1, $2, $3, $4)",
                Arrays.asList(null, null, null, null));
        assertThat(insert.parameterTypes()).containsExactly(PgType.BOOL, PgType.TIMESTAMP, PgType.INT8, PgType.TEXT);
        SqlSession.PreparedSql select = session.prepare("SELECT * FROM everything e WHERE e.flag = $1 AND $2 < at "
                + "AND small IN ($3, $4) AND t LIKE $5 LIMIT $6", List.of());
        assertThat(select.parameterTypes()).containsExactly(PgType.BOOL, PgType.TIMESTAMP, PgType.INT2, PgType.INT2,
                PgType.TEXT, PgType.INT8);
        SqlSession.PreparedSql update = session.prepare("UPDATE everything SET u = $1, d = $2::real WHERE id = $3",
                List.of());
        assertThat(update.parameterTypes()).containsExactly(PgType.UUID, PgType.FLOAT4, PgType.INT8);
    }

    @Test
    void keepsDeclaredParameterTypes() {
        SqlSession.PreparedSql p = session.prepare("SELECT $1, $2", List.of(PgType.INT4, PgType.DATE));
        assertThat(p.parameterTypes()).containsExactly(PgType.INT4, PgType.DATE);
        assertThat(p.columns()).extracting(SqlSession.Column::type).containsExactly(PgType.INT4, PgType.DATE);
        assertThat(one(session, "SELECT $1, $2", List.of(PgType.INT4, PgType.DATE), 7, LocalDate.of(2024, 1, 1)).rows())
                .containsExactly(List.of("7", "2024-01-01"));
    }

    @Test
    void givesLiteralsTheTypeOfTheColumnTheyMeetAsPostgresDoes() {
        one(session, "INSERT INTO everything (flag, u, at, atz, day, b) VALUES ('yes', "
                + "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-01-15T10:30:00.000Z', '2024-01-15 12:30:00+02', "
                + "'2024-1-5', '\\x0102')");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + fixture.file);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT flag, u, at, atz, day, hex(b) FROM everything")) {
            rs.next();
            assertThat(rs.getObject(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(rs.getString(3)).isEqualTo("2024-01-15 10:30:00");
            assertThat(rs.getString(4)).isEqualTo("2024-01-15 10:30:00");
            assertThat(rs.getString(5)).isEqualTo("2024-01-05");
            assertThat(rs.getString(6)).isEqualTo("0102");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(one(session, "SELECT count(*) FROM everything WHERE u = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' "
                + "AND flag = 'true' AND day = '2024-01-05' AND atz = '2024-01-15 05:30:00-05'").value()).isEqualTo("1");
        assertFails("INSERT INTO everything (flag) VALUES ('perhaps')", SqlState.INVALID_TEXT_REPRESENTATION, "boolean");
        assertFails("UPDATE everything SET i = 'many'", SqlState.INVALID_TEXT_REPRESENTATION, "bigint");
    }

    @Test
    void defaultInValuesAndSetTakesTheColumnsDefaultAsInPostgres() {
        one(session, "CREATE TABLE d (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 7, at TIMESTAMP DEFAULT "
                + "CURRENT_TIMESTAMP, t TEXT)");
        one(session, "INSERT INTO d (id, n, at, t) VALUES (DEFAULT, DEFAULT, DEFAULT, $1), (DEFAULT, 1, "
                + "'2024-01-01', DEFAULT)", "x");
        SqliteFixture.Result r = one(session, "SELECT id, n, at IS NOT NULL, t FROM d ORDER BY id");
        assertThat(r.rows()).containsExactly(List.of("1", "7", "t", "x"), Arrays.asList("2", "1", "t", null));
        one(session, "UPDATE d SET n = DEFAULT WHERE id = 2");
        assertThat(one(session, "SELECT n FROM d WHERE id = 2").value()).isEqualTo("7");
        assertThat(one(session, "INSERT INTO d DEFAULT VALUES RETURNING n").value()).isEqualTo("7");
    }

    @Test
    void coercesParametersTheClientSentAsTextToTheirColumnsType() {
        one(session, "INSERT INTO everything (u, flag) VALUES ($1, $2)", List.of(PgType.VARCHAR, PgType.TEXT),
                "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "t");
        assertThat(one(session, "SELECT u, flag FROM everything").rows().get(0))
                .containsExactly("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "t");
    }

    @Test
    void aSchemaChangeCommittedByAnotherSessionIsSeenByStatementsPreparedMeanwhile() {
        try (SqlSession other = fixture.session()) {
            query(other, "BEGIN", "ALTER TABLE everything ADD COLUMN extra TEXT");
            one(session, "SELECT * FROM everything"); // prepared before the change commits
            query(other, "COMMIT");
            assertThat(one(session, "SELECT * FROM everything").columns()).contains("extra");
        }
    }

    @Test
    void typesConstantsAsPostgresAndOtherExpressionsByTheirFirstValue() {
        SqliteFixture.Result r = one(session, "SELECT 1, 1.5, 'x', '\\x01'::bytea, NULL, 1 + 1 AS two");
        assertThat(r.types()).containsExactly(PgType.INT4, PgType.NUMERIC, PgType.TEXT, PgType.BYTEA, PgType.TEXT,
                PgType.INT4);
        assertThat(r.rows().get(0)).containsExactly("1", "1.5", "x", "\\x01", null, "2");
    }

    @Test
    void typesComparisonsAsBooleans() {
        SqliteFixture.Result r = one(session, "SELECT 1 = 1, 2 < 1, true, false, 'a' IS NULL, EXISTS (SELECT 1)");
        assertThat(r.types()).containsOnly(PgType.BOOL);
        assertThat(r.rows().get(0)).containsExactly("t", "f", "t", "f", "f", "t");
    }

    @Test
    void castsWithPostgresSemantics() {
        SqliteFixture.Result r = one(session, "SELECT '42'::int, 2.5::int, 3.5::int, '1.50'::numeric(10,2), "
                + "'yes'::boolean, 0::bool, 12.5::text, '2024-01-15 10:30'::timestamp, '2024-01-15'::date, "
                + "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, 'abcdef'::varchar(3), 'ab'::char(4), '\\x0102'::bytea, "
                + "'{\"a\":1}'::jsonb, CAST('7' AS bigint)");
        assertThat(r.types()).containsExactly(PgType.INT4, PgType.INT4, PgType.INT4, PgType.NUMERIC, PgType.BOOL,
                PgType.BOOL, PgType.TEXT, PgType.TIMESTAMP, PgType.DATE, PgType.UUID, PgType.VARCHAR, PgType.BPCHAR,
                PgType.BYTEA, PgType.JSONB, PgType.INT8);
        assertThat(r.rows().get(0)).containsExactly("42", "3", "4", "1.50", "t", "f", "12.5", "2024-01-15 10:30:00",
                "2024-01-15", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "abc", "ab  ", "\\x0102", "{\"a\": 1}", "7");
    }

    @Test
    void badCastsFailAsInPostgres() {
        assertFails("SELECT 'abc'::int", SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type integer: \"abc\"");
        assertFails("SELECT 99999999999::int", SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
        assertFails("SELECT 'maybe'::boolean", SqlState.INVALID_TEXT_REPRESENTATION, "boolean");
        assertFails("SELECT 'x'::uuid", SqlState.INVALID_TEXT_REPRESENTATION, "uuid");
        assertFails("SELECT '2024-13-45'::date", null, "date");
        assertFails("SELECT '{bad'::json", SqlState.INVALID_TEXT_REPRESENTATION, "json");
        assertFails("SELECT 1705312200::timestamp", SqlState.CANNOT_COERCE, "cannot cast type bigint to timestamp");
        assertFails("SELECT 123.456::numeric(4,2)", SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow");
    }

    @Test
    void divisionByZeroFailsInsteadOfAnsweringNull() {
        assertFails("SELECT 1 / 0", SqlState.DIVISION_BY_ZERO, "division by zero");
        assertFails("SELECT 5 % (1 - 1)", SqlState.DIVISION_BY_ZERO, "division by zero");
        assertThat(one(session, "SELECT 7 / 2, -7 / 2, 7.0 / 2, NULL / 0, 5.5 % 2, -7 % 3, sum(i) / count(*) "
                + "FROM everything").rows().get(0)).containsExactly("3", "-3", "3.5", null, "1.5", "-1", null);
    }

    @Test
    void likeIsCaseSensitiveWithBackslashEscapesAndIlikeFoldsUnicode() {
        insertRaw("(t) VALUES ('Straße_1'), ('STRASSE%2'), ('ÉCOLE')");
        assertThat(one(session, "SELECT t FROM everything WHERE t LIKE 'straße%' ORDER BY id").rows()).isEmpty();
        assertThat(one(session, "SELECT t FROM everything WHERE t LIKE '%\\_1' ORDER BY id").column(0))
                .containsExactly("Straße_1");
        assertThat(one(session, "SELECT t FROM everything WHERE t ILIKE $1 ORDER BY id", "école").column(0))
                .containsExactly("ÉCOLE");
        assertThat(one(session, "SELECT t FROM everything WHERE t NOT ILIKE 'str%' ORDER BY id").column(0))
                .containsExactly("ÉCOLE");
    }

    @Test
    void clockFunctionsAnswerTheTransactionTimeInPostgresText() {
        SqliteFixture.Result r = one(session, "SELECT now(), CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE, "
                + "transaction_timestamp(), current_timestamp(0)");
        assertThat(r.rows().get(0)).containsExactly("2024-01-15 10:30:00.123456+00", "2024-01-15 10:30:00.123456+00",
                "2024-01-15 10:30:00.123456", "2024-01-15", "2024-01-15 10:30:00.123456+00", "2024-01-15 10:30:00+00");
        one(session, "INSERT INTO everything (at, atz) VALUES (now(), now())");
        assertThat(one(session, "SELECT at, atz FROM everything").rows().get(0))
                .containsExactly("2024-01-15 10:30:00.123456", "2024-01-15 10:30:00.123456+00");
    }

    @Test
    void genRandomUuidIsAUuid() {
        SqliteFixture.Result r = one(session, "SELECT gen_random_uuid(), gen_random_uuid()");
        assertThat(r.types()).containsExactly(PgType.UUID, PgType.UUID);
        assertThat(UUID.fromString(r.rows().get(0).get(0)).version()).isEqualTo(4);
        assertThat(r.rows().get(0).get(0)).isNotEqualTo(r.rows().get(0).get(1));
    }

    @Test
    void returningGivesGeneratedIdsAndCountsRowsInTheTag() {
        SqliteFixture.Result r = one(session, "INSERT INTO everything (t) VALUES ('a'), ('b') RETURNING id, t");
        assertThat(r.rows()).containsExactly(List.of("1", "a"), List.of("2", "b"));
        assertThat(r.tag()).isEqualTo("INSERT 0 2");
        assertThat(one(session, "UPDATE everything SET t = upper(t) RETURNING t").tag()).isEqualTo("UPDATE 2");
        assertThat(one(session, "DELETE FROM everything WHERE id = 1 RETURNING *").tag()).isEqualTo("DELETE 1");
    }

    @Test
    void tagsAreExactlyPostgres() {
        assertThat(one(session, "INSERT INTO everything (t) VALUES ('a')").tag()).isEqualTo("INSERT 0 1");
        assertThat(one(session, "UPDATE everything SET t = 'b'").tag()).isEqualTo("UPDATE 1");
        assertThat(one(session, "UPDATE everything SET t = 'b' WHERE id = 99").tag()).isEqualTo("UPDATE 0");
        assertThat(one(session, "SELECT * FROM everything").tag()).isEqualTo("SELECT 1");
        assertThat(one(session, "DELETE FROM everything").tag()).isEqualTo("DELETE 1");
        assertThat(one(session, "CREATE TABLE other (a INTEGER)").tag()).isEqualTo("CREATE TABLE");
        assertThat(one(session, "CREATE INDEX other_a ON other (a)").tag()).isEqualTo("CREATE INDEX");
        assertThat(one(session, "DROP TABLE other").tag()).isEqualTo("DROP TABLE");
        assertThat(one(session, "TRUNCATE everything").tag()).isEqualTo("TRUNCATE TABLE");
        assertThat(query(session, "BEGIN", "SELECT 1", "COMMIT")).extracting(SqliteFixture.Result::tag)
                .containsExactly("BEGIN", "SELECT 1", "COMMIT");
        assertThat(query(session, "SET TimeZone = 'UTC'", "SHOW TimeZone", "RESET TimeZone"))
                .extracting(SqliteFixture.Result::tag).containsExactly("SET", "SHOW", "RESET");
    }

    @Test
    void selectCountsEveryRowAcrossRowLimitedFetches() {
        one(session, "INSERT INTO everything (t) VALUES ('a'), ('b'), ('c')");
        session.beginBatch(false);
        try (SqlSession.Cursor cursor = session.execute(session.prepare("SELECT t FROM everything", List.of()),
                List.of())) {
            int n = 0;
            while (cursor.next()) {
                n++;
            }
            assertThat(n).isEqualTo(3);
            assertThat(cursor.commandTag()).isEqualTo("SELECT 3");
        } finally {
            session.endBatch(false);
        }
    }

    @Test
    void storedValuesThatDoNotFitTheirDeclaredTypeAreErrorsNamingTableColumnAndValue() {
        insertRaw("(i) VALUES ('abc')");
        assertThatThrownBy(() -> one(session, "SELECT i FROM everything"))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.state()).isEqualTo(SqlState.INVALID_TEXT_REPRESENTATION);
                    assertThat(e.getMessage()).contains("\"abc\"").contains("column \"i\"").contains("table \"everything\"");
                    assertThat(e.detail()).contains("declared type (bigint)");
                });
        one(session, "DELETE FROM everything");
        insertRaw("(at) VALUES (1705312200)");
        assertThatThrownBy(() -> one(session, "SELECT at FROM everything"))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.state()).isEqualTo(SqlState.INVALID_DATETIME_FORMAT);
                    assertThat(e.getMessage()).contains("1705312200").contains("column \"at\"");
                    assertThat(e.hint()).contains("unix");
                });
        one(session, "DELETE FROM everything");
        insertRaw("(flag) VALUES (2)");
        assertFails("SELECT flag FROM everything", SqlState.INVALID_TEXT_REPRESENTATION, "boolean");
        one(session, "DELETE FROM everything");
        insertRaw("(u) VALUES ('not-a-uuid')");
        assertFails("SELECT u FROM everything", SqlState.INVALID_TEXT_REPRESENTATION, "uuid");
        one(session, "DELETE FROM everything");
        insertRaw("(small) VALUES (70000)");
        assertFails("SELECT small FROM everything", SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "smallint");
        one(session, "DELETE FROM everything");
        insertRaw("(i) VALUES (2.5)");
        assertFails("SELECT i FROM everything", SqlState.INVALID_TEXT_REPRESENTATION, "2.5");
    }

    @Test
    void valuesOfMixedStorageClassesInAnUntypedColumnFailClearly() {
        insertRaw("(loose) VALUES (1)");
        insertRaw("(loose) VALUES (2.5)");
        assertThatThrownBy(() -> one(session, "SELECT loose FROM everything ORDER BY id"))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.hint()).contains("cast"));
        assertThat(one(session, "SELECT loose::text FROM everything ORDER BY id").column(0)).containsExactly("1", "2.5");
    }

    @Test
    void jsonFieldsReadAsTextLikePostgres() {
        insertRaw("(doc) VALUES ('{\"name\": \"Ada\", \"admin\": true, \"n\": 3, \"none\": null, \"tags\": [1]}')");
        assertThat(one(session, "SELECT doc->>'name', doc->>'admin', doc->>'n', doc->>'none', doc->>'tags', "
                + "doc->>'missing' FROM everything").rows().get(0))
                .containsExactly("Ada", "true", "3", null, "[1]", null);
    }

    @Test
    void greatestAndLeastIgnoreNullsLikePostgres() {
        assertThat(one(session, "SELECT greatest(1, NULL, 3), least(NULL, 'b', 'a'), greatest(NULL, NULL)")
                .rows().get(0)).containsExactly("3", "a", null);
    }

    private void assertFails(String sql, SqlState state, String messagePart) {
        assertThatThrownBy(() -> one(session, sql)).isInstanceOfSatisfying(ProxyException.class, e -> {
            if (state != null) {
                assertThat(e.state()).isEqualTo(state);
            }
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    static List<Object> list(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }
}
