package tandem.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static tandem.core.sql.SessionFeature.ADVISORY_LOCK;
import static tandem.core.sql.SessionFeature.ADVISORY_UNLOCK;
import static tandem.core.sql.SessionFeature.DISCARD;
import static tandem.core.sql.SessionFeature.HOLD_CURSOR;
import static tandem.core.sql.SessionFeature.LISTEN;
import static tandem.core.sql.SessionFeature.LOAD;
import static tandem.core.sql.SessionFeature.ROLE;
import static tandem.core.sql.SessionFeature.SET_CONFIG;
import static tandem.core.sql.SessionFeature.SQL_PREPARED_STATEMENT;
import static tandem.core.sql.SessionFeature.TEMPORARY_OBJECT;
import static tandem.core.sql.SessionFeature.UNLISTEN;
import static tandem.core.sql.SetCommand.Scope.LOCAL;
import static tandem.core.sql.SetCommand.Scope.SESSION;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassifierSessionTest {

    private final StatementClassifier classifier = new StatementClassifier();

    private SetCommand set(String sql) {
        Classification classification = classifier.classify(sql);
        assertThat(classification.kind()).as(sql).isEqualTo(StatementKind.SESSION);
        assertThat(classification.set()).as(sql).isNotNull();
        return classification.set();
    }

    // ---- SET and RESET ----

    @Test
    void keepsTheValueExactlyAsWritten() {
        assertThat(set("SET search_path TO \"$user\", public"))
                .isEqualTo(SetCommand.of(SESSION, "search_path", "\"$user\", public", false));
        assertThat(set("set Statement_Timeout = 10").value()).isEqualTo("10");
        assertThat(set("SET statement_timeout='5s' -- comment").value()).isEqualTo("'5s'");
        assertThat(set("SET work_mem TO '64MB';").value()).isEqualTo("'64MB'");
        assertThat(set("SET application_name = E'it\\'s'").value()).isEqualTo("E'it\\'s'");
    }

    @Test
    void lowerCasesCustomDottedParameterNames() {
        assertThat(set("SET myApp.Tenant_ID = '42'"))
                .isEqualTo(SetCommand.of(SESSION, "myapp.tenant_id", "'42'", false));
    }

    @Test
    void setLocalAndSetSessionHaveTheirScope() {
        assertThat(set("SET LOCAL lock_timeout = '1s'").scope()).isEqualTo(LOCAL);
        assertThat(set("SET SESSION lock_timeout = '1s'").scope()).isEqualTo(SESSION);
        assertThat(set("SET SESSION lock_timeout = '1s'").name()).isEqualTo("lock_timeout");
    }

    @Test
    void setToDefaultIsFlagged() {
        assertThat(set("SET search_path TO DEFAULT"))
                .isEqualTo(SetCommand.of(SESSION, "search_path", "DEFAULT", true));
        assertThat(set("SET search_path = 'default'").isDefault()).isFalse();
    }

    @Test
    void mapsSpecialSetSyntaxToTheParameterItSets() {
        assertThat(set("SET TIME ZONE 'UTC'")).isEqualTo(SetCommand.of(SESSION, "timezone", "'UTC'", false));
        assertThat(set("SET TIME ZONE LOCAL").isDefault()).isTrue();
        assertThat(set("SET LOCAL TIME ZONE DEFAULT")).isEqualTo(SetCommand.of(LOCAL, "timezone", "DEFAULT", true));
        assertThat(set("SET SCHEMA 'app'")).isEqualTo(SetCommand.of(SESSION, "search_path", "'app'", false));
        assertThat(set("SET NAMES 'UTF8'")).isEqualTo(SetCommand.of(SESSION, "client_encoding", "'UTF8'", false));
        assertThat(set("SET XML OPTION DOCUMENT")).isEqualTo(SetCommand.of(SESSION, "xmloption", "DOCUMENT", false));
    }

    @Test
    void mapsSessionCharacteristicsToTransactionDefaults() {
        assertThat(set("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ")).isEqualTo(
                SetCommand.of(SESSION, "default_transaction_isolation", "'repeatable read'", false));
        assertThat(set("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"))
                .isEqualTo(SetCommand.of(SESSION, "default_transaction_read_only", "on", false));
        assertThat(set("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE").value()).isEqualTo("off");
        assertThat(set("SET SESSION CHARACTERISTICS AS TRANSACTION NOT DEFERRABLE"))
                .isEqualTo(SetCommand.of(SESSION, "default_transaction_deferrable", "off", false));
        assertThat(classifier.classify("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY").transaction()).isNull();
    }

    @Test
    void roleChangesAreSetsThatPinTheSession() {
        Classification role = classifier.classify("SET ROLE admin");
        assertThat(role.set()).isEqualTo(SetCommand.of(SESSION, "role", "admin", false));
        assertThat(role.sessionFeatures()).containsExactly(ROLE);
        assertThat(classifier.classify("SET LOCAL ROLE 'x'").set().scope()).isEqualTo(LOCAL);
        assertThat(classifier.classify("SET role TO admin").set().value()).isEqualTo("admin");
        Classification authorization = classifier.classify("SET SESSION AUTHORIZATION DEFAULT");
        assertThat(authorization.set()).isEqualTo(SetCommand.of(SESSION, "session_authorization", "DEFAULT", true));
        assertThat(authorization.sessionFeatures()).containsExactly(ROLE);
        assertThat(classifier.classify("RESET ROLE").sessionFeatures()).containsExactly(ROLE);
        assertThat(classifier.classify("RESET SESSION AUTHORIZATION").sessionFeatures()).containsExactly(ROLE);
        assertThat(classifier.classify("SET search_path TO app").sessionFeatures()).isEmpty();
    }

    @Test
    void resetNamesTheParameterOrAll() {
        assertThat(set("RESET search_path")).isEqualTo(new SetCommand(SESSION, "search_path", null, false, true, false));
        assertThat(set("RESET ALL")).isEqualTo(new SetCommand(SESSION, null, null, false, true, true));
        assertThat(set("RESET TIME ZONE").name()).isEqualTo("timezone");
        assertThat(set("RESET TRANSACTION ISOLATION LEVEL").name()).isEqualTo("transaction_isolation");
        assertThat(classifier.classify("RESET ALL").command()).isEqualTo("RESET");
        assertThat(classifier.classify("RESET ALL").sessionFeatures()).isEmpty();
    }

    @Test
    void setFromCurrentHasNoReplayableValue() {
        assertThat(set("SET search_path FROM CURRENT")).isEqualTo(SetCommand.of(SESSION, "search_path", null, false));
    }

    @Test
    void malformedSetIsOther() {
        assertThat(classifier.classify("SET").kind()).isEqualTo(StatementKind.OTHER);
        assertThat(classifier.classify("SET x").kind()).isEqualTo(StatementKind.OTHER);
        assertThat(classifier.classify("SET 'x' TO 1").kind()).isEqualTo(StatementKind.OTHER);
        assertThat(classifier.classify("RESET").kind()).isEqualTo(StatementKind.OTHER);
    }

    @Test
    void nonSetStatementsHaveNoSetCommand() {
        assertThat(classifier.classify("SHOW search_path").set()).isNull();
        assertThat(classifier.classify("UPDATE t SET a = 1").set()).isNull();
        assertThat(classifier.classify("SET TRANSACTION READ ONLY").set()).isNull();
    }

    // ---- session features ----

    @Test
    void listenAndUnlistenPinTheSession() {
        assertThat(classifier.classify("LISTEN orders").sessionFeatures()).containsExactly(LISTEN);
        assertThat(classifier.classify("UNLISTEN *").sessionFeatures()).containsExactly(UNLISTEN);
        assertThat(classifier.classify("NOTIFY orders").sessionFeatures()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE TEMP TABLE t (a int)",
        "CREATE TEMPORARY TABLE IF NOT EXISTS t (a int)",
        "CREATE GLOBAL TEMPORARY TABLE t (a int)",
        "create local temp table t as select 1",
        "CREATE TEMP VIEW v AS SELECT 1",
        "CREATE OR REPLACE TEMP VIEW v AS SELECT 1",
        "CREATE TEMP SEQUENCE s",
        "CREATE TABLE t (a int) ON COMMIT DROP",
        "CREATE TABLE pg_temp.t (a int)",
        "CREATE VIEW v AS SELECT * FROM pg_temp.t",
        "SELECT * INTO TEMP t2 FROM t",
        "SELECT * INTO TEMPORARY TABLE t2 FROM t",
        "SELECT 1 INTO pg_temp.t2"})
    void temporaryObjectsPinTheSession(String sql) {
        assertThat(classifier.classify(sql).sessionFeatures()).as(sql).containsExactly(TEMPORARY_OBJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE t (a int)", "CREATE UNLOGGED TABLE t (a int)", "SELECT * INTO t2 FROM t",
        "CREATE TABLE temp (a int)", "SELECT * FROM temp"})
    void permanentObjectsDoNotPinTheSession(String sql) {
        assertThat(classifier.classify(sql).sessionFeatures()).as(sql).isEmpty();
    }

    @Test
    void sessionAdvisoryLocksPinTheSessionAnywhereInTheStatement() {
        assertThat(classifier.classify("SELECT pg_advisory_lock(42)").sessionFeatures()).containsExactly(ADVISORY_LOCK);
        assertThat(classifier.classify("SELECT pg_try_advisory_lock_shared(1, 2)").sessionFeatures())
                .containsExactly(ADVISORY_LOCK);
        assertThat(classifier.classify("SELECT PG_CATALOG.PG_ADVISORY_LOCK_SHARED(1)").sessionFeatures())
                .containsExactly(ADVISORY_LOCK);
        assertThat(classifier.classify("SELECT * FROM jobs WHERE pg_try_advisory_lock(id) LIMIT 1").sessionFeatures())
                .containsExactly(ADVISORY_LOCK);
        assertThat(classifier.classify("INSERT INTO t VALUES (pg_advisory_lock(1))").sessionFeatures())
                .containsExactly(ADVISORY_LOCK);
        assertThat(classifier.classify("SELECT pg_advisory_unlock(42)").sessionFeatures()).containsExactly(ADVISORY_UNLOCK);
        assertThat(classifier.classify("SELECT pg_advisory_unlock_all()").sessionFeatures())
                .containsExactly(ADVISORY_UNLOCK);
    }

    @Test
    void advisoryLockStatementsAreNotReads() {
        assertThat(classifier.classify("SELECT pg_advisory_lock(42)").kind()).isEqualTo(StatementKind.OTHER);
        assertThat(classifier.classify("SELECT pg_advisory_unlock(42)").kind()).isEqualTo(StatementKind.OTHER);
    }

    @Test
    void transactionScopedAdvisoryLocksDoNotPinTheSession() {
        Classification classification = classifier.classify("SELECT pg_advisory_xact_lock(42), pg_try_advisory_xact_lock(1)");
        assertThat(classification.sessionFeatures()).isEmpty();
        assertThat(classification.kind()).isEqualTo(StatementKind.OTHER);
    }

    @Test
    void advisoryLockNamesInStringsOrAsColumnsDoNotCount() {
        assertThat(classifier.classify("SELECT 'pg_advisory_lock(1)', pg_advisory_lock FROM t").sessionFeatures()).isEmpty();
        assertThat(classifier.classify("SELECT 'pg_advisory_lock(1)' FROM t").kind()).isEqualTo(StatementKind.READ);
    }

    @Test
    void setConfigPinsTheSession() {
        Classification classification = classifier.classify("SELECT set_config('app.user', $1, false)");
        assertThat(classification.sessionFeatures()).containsExactly(SET_CONFIG);
        assertThat(classification.kind()).isEqualTo(StatementKind.OTHER);
        assertThat(classifier.classify("SELECT current_setting('app.user')").sessionFeatures()).isEmpty();
    }

    @Test
    void holdCursorsPinTheSession() {
        assertThat(classifier.classify("DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t").sessionFeatures())
                .containsExactly(HOLD_CURSOR);
        assertThat(classifier.classify("DECLARE c BINARY INSENSITIVE SCROLL CURSOR WITH HOLD FOR SELECT 1").sessionFeatures())
                .containsExactly(HOLD_CURSOR);
        assertThat(classifier.classify("DECLARE c CURSOR FOR SELECT * FROM t").sessionFeatures()).isEmpty();
    }

    @Test
    void sqlPreparedStatementsPinTheSession() {
        assertThat(classifier.classify("PREPARE q AS SELECT 1").sessionFeatures()).containsExactly(SQL_PREPARED_STATEMENT);
        assertThat(classifier.classify("EXECUTE q").sessionFeatures()).containsExactly(SQL_PREPARED_STATEMENT);
        assertThat(classifier.classify("DEALLOCATE ALL").sessionFeatures()).containsExactly(SQL_PREPARED_STATEMENT);
        assertThat(classifier.classify("PREPARE TRANSACTION 'x'").sessionFeatures()).isEmpty();
    }

    @Test
    void discardAndLoadPinTheSession() {
        for (String what : new String[] {"ALL", "PLANS", "SEQUENCES", "TEMP"}) {
            Classification classification = classifier.classify("DISCARD " + what);
            assertThat(classification.sessionFeatures()).containsExactly(DISCARD);
            assertThat(classification.command()).isEqualTo("DISCARD " + what);
        }
        assertThat(classifier.classify("LOAD 'plpgsql'").sessionFeatures()).containsExactly(LOAD);
    }

    @Test
    void ordinaryStatementsPinNothing() {
        for (String sql : new String[] {"SELECT * FROM t", "INSERT INTO t VALUES (1)", "BEGIN", "SET x = 1",
            "CREATE TABLE t (a int)", "SHOW ALL"}) {
            Classification classification = classifier.classify(sql);
            assertThat(classification.sessionFeatures()).as(sql).isEmpty();
            assertThat(classification.pinsSession()).as(sql).isFalse();
        }
        assertThat(classifier.classify("LISTEN x").pinsSession()).isTrue();
    }
}
