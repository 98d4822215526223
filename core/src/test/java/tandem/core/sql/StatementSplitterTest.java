package tandem.core.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementSplitterTest {

    @Test
    void splitsOnTopLevelSemicolons() {
        assertThat(StatementSplitter.split("SELECT 1; SELECT 2;SELECT 3"))
                .containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void singleStatementWithoutSemicolonIsOneStatement() {
        assertThat(StatementSplitter.split("  SELECT 1  ")).containsExactly("SELECT 1");
    }

    @Test
    void dropsEmptyStatements() {
        assertThat(StatementSplitter.split(";;SELECT 1;; ;\n;SELECT 2;")).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void queryWithOnlyWhitespaceCommentsAndSemicolonsHasNoStatements() {
        assertThat(StatementSplitter.split("")).isEmpty();
        assertThat(StatementSplitter.split("   ")).isEmpty();
        assertThat(StatementSplitter.split(" ; -- nothing here\n ; /* nor; here */ ;")).isEmpty();
    }

    @Test
    void doesNotSplitOnSemicolonsInStringsIdentifiersAndComments() {
        String sql = "SELECT 'a;b', \"c;d\", E'e\\';f' -- g;h\n /* i; /* j; */ k; */ FROM t; SELECT 2";
        assertThat(StatementSplitter.split(sql)).containsExactly(
                "SELECT 'a;b', \"c;d\", E'e\\';f' -- g;h\n /* i; /* j; */ k; */ FROM t", "SELECT 2");
    }

    @Test
    void keepsCommentsInsideAndBeforeAStatement() {
        assertThat(StatementSplitter.split("/* app=web */ SELECT 1 /* trace */; -- tail\nSELECT 2 -- end"))
                .containsExactly("/* app=web */ SELECT 1 /* trace */", "-- tail\nSELECT 2 -- end");
    }

    @Test
    void trailingCommentAfterLastSemicolonIsNotAStatement() {
        assertThat(StatementSplitter.split("SELECT 1; -- done")).containsExactly("SELECT 1");
    }

    @Test
    void splitsOnSemicolonOutsideDollarQuotes() {
        String function = "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql";
        String tagged = "DO $body$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $body$";
        assertThat(StatementSplitter.split(function + "; " + tagged + ";SELECT f()"))
                .containsExactly(function, tagged, "SELECT f()");
    }

    @Test
    void doesNotSplitInsideParentheses() {
        assertThat(StatementSplitter.split("SELECT (1; 2); SELECT 3")).containsExactly("SELECT (1; 2)", "SELECT 3");
    }

    @Test
    void keepsBeginAtomicBodiesWhole() {
        String function = """
                CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                  SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;
                  SELECT a + b;
                END""";
        String procedure = """
                CREATE OR REPLACE PROCEDURE p() LANGUAGE sql
                BEGIN ATOMIC
                  INSERT INTO t VALUES (1);
                  INSERT INTO t VALUES (2);
                END""";
        assertThat(StatementSplitter.split(function + ";\n" + procedure + ";\nSELECT 1"))
                .containsExactly(function, procedure, "SELECT 1");
    }

    @Test
    void transactionBeginAndEndStillSplit() {
        assertThat(StatementSplitter.split("BEGIN; INSERT INTO t VALUES (1); END; SELECT 1"))
                .containsExactly("BEGIN", "INSERT INTO t VALUES (1)", "END", "SELECT 1");
    }

    @Test
    void beginInsideOtherCreateStatementsDoesNotHoldBackTheSplit() {
        assertThat(StatementSplitter.split("CREATE TABLE begin (x int); SELECT 1"))
                .containsExactly("CREATE TABLE begin (x int)", "SELECT 1");
    }

    @Test
    void unterminatedQuoteSwallowsTheRestIntoTheLastStatement() {
        assertThat(StatementSplitter.split("SELECT 1; SELECT 'oops; DELETE FROM t"))
                .containsExactly("SELECT 1", "SELECT 'oops; DELETE FROM t");
        assertThat(StatementSplitter.split("SELECT 1; /* never closed; DELETE FROM t"))
                .containsExactly("SELECT 1", "/* never closed; DELETE FROM t");
    }

    @Test
    void honoursStandardConformingStringsOff() {
        String sql = "SELECT 'a\\'; DELETE FROM t; --'";
        assertThat(StatementSplitter.split(sql)).containsExactly("SELECT 'a\\'", "DELETE FROM t");
        assertThat(StatementSplitter.split(sql, false)).containsExactly(sql);
    }

    @Test
    void rangesPointIntoTheSource() {
        String sql = "  SELECT 1 ;\n\tSELECT 2\n";
        List<StatementSplitter.Range> ranges = StatementSplitter.ranges(sql);
        assertThat(ranges).containsExactly(new StatementSplitter.Range(2, 10), new StatementSplitter.Range(14, 22));
        assertThat(ranges.get(1).of(sql)).isEqualTo("SELECT 2");
    }
}
