package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.sql.StatementClassifier;
import tandem.core.type.PgType;

class SqliteTranslatorTest {

    private final StatementClassifier classifier = new StatementClassifier();
    private final SqliteTranslator translator = new SqliteTranslator(100);

    private Translation translate(String sql) {
        return translator.translate(sql, classifier.classify(sql));
    }

    private String sqlite(String sql) {
        return translate(sql).sql();
    }

    private void refused(String sql, String construct) {
        assertThatThrownBy(() -> translate(sql))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.state()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
                    assertThat(e.getMessage()).contains(construct).contains("not supported on SQLite stores");
                    assertThat(e.hint()).isNotBlank();
                });
    }

    @Test
    void numbersParametersExactlyWhateverTheirOrderAndRepetition() {
        Translation t = translate("SELECT * FROM t WHERE b = $2 AND a = $1 OR c = $2");
        assertThat(t.sql()).isEqualTo("SELECT * FROM t WHERE b = ?2 AND a = ?1 OR c = ?2");
        assertThat(t.parameterCount()).isEqualTo(2);
    }

    @Test
    void leavesStatementsWithNothingToTranslateByteForByte() {
        String sql = "SELECT id, name FROM users WHERE id = 1 -- a comment\n GROUP BY name";
        assertThat(sqlite(sql)).isSameAs(sql);
    }

    @Test
    void doesNotTouchDollarsInsideStringsOrComments() {
        assertThat(sqlite("SELECT '$1', \"$2x\" /* $3 */ FROM t WHERE a = $1"))
                .isEqualTo("SELECT '$1', \"$2x\" /* $3 */ FROM t WHERE a = ?1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT $1::int                      | SELECT tandem_int(?1, 32)",
        "SELECT x::bigint FROM t             | SELECT tandem_int(x, 64) FROM t",
        "SELECT t.x::text FROM t             | SELECT tandem_text(t.x, -1, 0) FROM t",
        "SELECT (a + b)::numeric(10,2) FROM t | SELECT tandem_numeric((a + b), 10, 2) FROM t",
        "SELECT $1::int::text                | SELECT tandem_text(tandem_int(?1, 32), -1, 0)",
        "SELECT CAST($1 AS boolean)          | SELECT tandem_bool(?1)",
        "SELECT CAST(x AS varchar(3)) FROM t | SELECT tandem_text(x , 3, 0) FROM t",
        "SELECT lower(name)::uuid FROM t     | SELECT tandem_uuid(lower(name)) FROM t",
        "SELECT DATE '2024-01-15'            | SELECT tandem_date('2024-01-15')",
        "SELECT $1::timestamp with time zone | SELECT tandem_timestamptz(?1, -1)",
        "SELECT $1::double precision         | SELECT tandem_float(?1, 8)",
        "SELECT '{}'::jsonb                  | SELECT tandem_json('{}')",
    })
    void translatesCastsToTandemFunctionsWithPostgresSemantics(String postgres, String expected) {
        assertThat(sqlite(postgres).replaceAll("\\s+", " ").strip()).isEqualTo(expected);
    }

    @Test
    void typesCastParametersFromTheCast() {
        Translation t = translate("SELECT * FROM t WHERE a = $1::int AND b = CAST($2 AS date)");
        assertThat(t.castParameters().get(1).type()).isEqualTo(PgType.INT4);
        assertThat(t.castParameters().get(2).type()).isEqualTo(PgType.DATE);
    }

    @Test
    void givesLikePostgresDefaultBackslashEscape() {
        assertThat(sqlite("SELECT * FROM t WHERE name LIKE $1")).isEqualTo("SELECT * FROM t WHERE name LIKE ?1 ESCAPE '\\'");
        assertThat(sqlite("SELECT * FROM t WHERE name NOT LIKE '%' || $1 || '%' AND x = 1"))
                .isEqualTo("SELECT * FROM t WHERE name NOT LIKE '%' || ?1 || '%' ESCAPE '\\' AND x = 1");
        assertThat(sqlite("SELECT * FROM t WHERE name LIKE 'a!%' ESCAPE '!'"))
                .isEqualTo("SELECT * FROM t WHERE name LIKE 'a!%' ESCAPE '!'");
    }

    @Test
    void translatesIlikeToACaseFoldingFunction() {
        assertThat(sqlite("SELECT * FROM t WHERE u.email ILIKE $1 AND x = 1"))
                .isEqualTo("SELECT * FROM t WHERE tandem_ilike(u.email , ?1) AND x = 1");
        assertThat(sqlite("SELECT * FROM t WHERE name NOT ILIKE 'a%'"))
                .isEqualTo("SELECT * FROM t WHERE NOT tandem_ilike(name , 'a%')");
    }

    @Test
    void dividesWithPostgresSemantics() {
        assertThat(sqlite("SELECT a / b, a % (b - 1), x * y / z, a + b / c, a / b / c FROM t"))
                .isEqualTo("SELECT tandem_divide(a , b), tandem_modulo(a , (b - 1)), tandem_divide(x * y , z), "
                        + "a + tandem_divide(b , c), tandem_divide(tandem_divide(a , b) , c) FROM t");
    }

    @Test
    void keepsPostgresPrecedenceOfArithmeticOverConcatenation() {
        assertThat(sqlite("SELECT 'n=' || n + 1 FROM t")).isEqualTo("SELECT 'n=' || (n + 1) FROM t");
        assertThat(sqlite("SELECT price * qty || ' EUR' FROM t")).isEqualTo("SELECT (price * qty) || ' EUR' FROM t");
    }

    @Test
    void readsJsonFieldsAsTextLikePostgres() {
        assertThat(sqlite("SELECT data->>'name' FROM t")).isEqualTo("SELECT tandem_json_text(data->'name') FROM t");
        assertThat(sqlite("SELECT t.data->'a'->>'b' FROM t")).isEqualTo("SELECT tandem_json_text(t.data->'a'->'b') FROM t");
    }

    @Test
    void dropsLockingClausesBecauseTheWriterAlreadySerialises() {
        assertThat(sqlite("SELECT * FROM t WHERE id = $1 FOR UPDATE").strip()).isEqualTo("SELECT * FROM t WHERE id = ?1");
        assertThat(sqlite("SELECT * FROM t FOR NO KEY UPDATE OF t SKIP LOCKED").strip()).isEqualTo("SELECT * FROM t");
    }

    @Test
    void spellsOutPostgresNullOrderingInEveryOrderBy() {
        assertThat(sqlite("SELECT * FROM t ORDER BY a, b DESC, c NULLS FIRST, lower(d) LIMIT 5"))
                .isEqualTo("SELECT * FROM t ORDER BY a NULLS LAST, b DESC NULLS FIRST, c NULLS FIRST, "
                        + "lower(d) NULLS LAST LIMIT 5");
        assertThat(sqlite("SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t"))
                .isEqualTo("SELECT row_number() OVER (PARTITION BY a ORDER BY b NULLS LAST) FROM t");
        assertThat(sqlite("SELECT * FROM t ORDER BY CASE WHEN a THEN 1 ELSE 2 END DESC"))
                .isEqualTo("SELECT * FROM t ORDER BY CASE WHEN a THEN 1 ELSE 2 END DESC NULLS FIRST");
    }

    @Test
    void rewritesClockKeywordsToTheTransactionTime() {
        assertThat(sqlite("SELECT CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE, current_timestamp(3)"))
                .isEqualTo("SELECT now(), tandem_localtimestamp(), tandem_current_date(), tandem_now(3)");
        assertThat(sqlite("SELECT random()")).isEqualTo("SELECT tandem_random()");
    }

    @Test
    void turnsPostgresOnlyStringSyntaxIntoPlainStrings() {
        assertThat(sqlite("SELECT E'it\\'s', $$a'b$$, U&'d\\0061ta'")).isEqualTo("SELECT 'it''s', 'a''b', 'data'");
    }

    @Test
    void rewritesLimitAllAndFetchFirst() {
        assertThat(sqlite("SELECT * FROM t LIMIT ALL")).isEqualTo("SELECT * FROM t LIMIT -1");
        assertThat(sqlite("SELECT * FROM t FETCH FIRST 5 ROWS ONLY").replaceAll("\\s+", " ").strip())
                .isEqualTo("SELECT * FROM t LIMIT 5");
    }

    @Test
    void regularExpressionOperatorsCallTandemsMatcher() {
        assertThat(sqlite("SELECT * FROM t WHERE name ~* '^a' AND NOT code !~ $1"))
                .isEqualTo("SELECT * FROM t WHERE tandem_regex(name , '^a', 1) AND NOT NOT tandem_regex(code , ?1, 0)");
    }

    @Test
    void refusesWhatSqliteCannotMeanTheSameWay() {
        refused("SELECT DISTINCT ON (a) a, b FROM t", "DISTINCT ON");
        refused("SELECT * FROM t WHERE name ~~ 'a%'", "regular expression");
        refused("SELECT * FROM t WHERE name SIMILAR TO 'a%'", "SIMILAR TO");
        refused("SELECT * FROM t WHERE id = ANY($1)", "arrays");
        refused("SELECT ARRAY[1, 2]", "arrays");
        refused("SELECT tags[1] FROM t", "arrays");
        refused("SELECT $1::int[]", "arrays");
        refused("SELECT * FROM t WHERE tags @> $1", "arrays");
        refused("COPY t FROM STDIN", "COPY");
        refused("COPY t TO STDOUT", "COPY");
        refused("CREATE TEMP TABLE x (a int)", "temporary tables");
        refused("CREATE TEMPORARY TABLE x AS SELECT 1", "temporary tables");
        refused("SELECT pg_advisory_lock(1)", "advisory locks");
        refused("SELECT pg_try_advisory_xact_lock(1)", "advisory locks");
        refused("SELECT pg_notify('c', 'x')", "pg_notify");
        refused("SELECT now() - interval '1 day'", "interval");
        refused("SELECT $1::interval", "interval");
        refused("SELECT extract(year FROM now())", "EXTRACT");
        refused("SELECT set_config('a.b', 'c', false)", "set_config");
        refused("EXPLAIN SELECT 1", "EXPLAIN");
        refused("SELECT * INTO copy FROM t", "SELECT ... INTO");
        refused("DO $$ BEGIN END $$", "DO");
        refused("SELECT B'101'", "bit-string");
        refused("SELECT CURRENT_TIME", "CURRENT_TIME");
    }

    @Test
    void keepsSchemaStatementsUntranslatedButRefusesThoseThatWouldTieTheFileToTandem() {
        String ddl = "CREATE TABLE t (id INTEGER PRIMARY KEY, created TIMESTAMP DEFAULT CURRENT_TIMESTAMP)";
        assertThat(sqlite(ddl)).isEqualTo(ddl);
        refused("CREATE TABLE t (id serial PRIMARY KEY)", "serial");
        refused("CREATE TABLE t (id bigserial PRIMARY KEY)", "bigserial");
        refused("CREATE TABLE t (id TEXT DEFAULT (gen_random_uuid()))", "gen_random_uuid()");
        refused("ALTER TABLE t ADD COLUMN at TIMESTAMP DEFAULT (now())", "now()");
        refused("CREATE TABLE t (a TEXT DEFAULT 'x'::text)", "casts");
    }

    @Test
    void refusesQuestionMarkParametersWhichPostgresDoesNotHave() {
        assertThatThrownBy(() -> translate("SELECT * FROM t WHERE a = ?"))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.state()).isEqualTo(SqlState.SYNTAX_ERROR));
    }

    @Test
    void namesColumnsTheWayPostgresDoes() {
        List<Translation.SelectItem> items = translate("SELECT id, t.Name, count(*), Total AS \"Sum\", x AS Alias, "
                + "$1::int, name::text, 1 + 2, true, CASE WHEN a THEN 1 END, now(), (SELECT 1), coalesce(a, b) c "
                + "FROM t").items();
        assertThat(items).extracting(Translation.SelectItem::name).containsExactly("id", "name", "count", "Sum",
                "alias", "int4", "name", "?column?", "?column?", "case", "now", "?column?", "c");
    }

    @Test
    void typesColumnsThatAreCastsClockFunctionsOrComparisons() {
        List<Translation.SelectItem> items = translate("SELECT $1::date, now(), gen_random_uuid(), count(*), a = b, "
                + "name FROM t").items();
        assertThat(items.get(0).type().type()).isEqualTo(PgType.DATE);
        assertThat(items.get(1).type().type()).isEqualTo(PgType.TIMESTAMPTZ);
        assertThat(items.get(2).type().type()).isEqualTo(PgType.UUID);
        assertThat(items.get(3).type().type()).isEqualTo(PgType.INT8);
        assertThat(items.get(4).type()).isEqualTo(ColumnType.guessed(PgType.BOOL));
        assertThat(items.get(5).type()).isNull();
    }

    @Test
    void namesReturningColumnsOfWrites() {
        List<Translation.SelectItem> items = translate("INSERT INTO t (a) VALUES ($1) RETURNING id, a AS Value").items();
        assertThat(items).extracting(Translation.SelectItem::name).containsExactly("id", "value");
    }

    @Test
    void cachesTranslationsByText() {
        String sql = "SELECT $1::int";
        assertThat(translate(sql)).isSameAs(translate(sql));
    }
}
