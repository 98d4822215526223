package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.adapters.sqlite.SqliteFixture.one;
import static tandem.adapters.sqlite.SqliteFixture.query;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.store.SqlSession;

class SqliteSessionParametersTest {

    @TempDir
    Path dir;

    private SqliteFixture fixture;
    private SqlSession session;

    @BeforeEach
    void open() {
        fixture = SqliteFixture.create(dir, "CREATE TABLE t (a INTEGER)");
        session = fixture.session(Map.of("application_name", "psql", "client_encoding", "UTF8",
                "DateStyle", "ISO, MDY", "extra_float_digits", "3", "options", "-c search_path=app,public"));
    }

    @AfterEach
    void close() {
        session.close();
        fixture.close();
    }

    private String show(String name) {
        return query(session, "SHOW " + name).get(0).value();
    }

    private static void assertState(Throwable e, SqlState state) {
        assertThat(e).isInstanceOfSatisfying(ProxyException.class, p -> assertThat(p.state()).isEqualTo(state));
    }

    @Test
    void reportsWhatPostgresReportsAtLogin() {
        Map<String, String> reported = session.reportedParameters();
        assertThat(reported).containsKeys("server_version", "server_encoding", "client_encoding", "DateStyle",
                "TimeZone", "integer_datetimes", "standard_conforming_strings", "IntervalStyle", "is_superuser",
                "session_authorization", "application_name", "default_transaction_read_only", "in_hot_standby");
        assertThat(reported.get("server_version")).matches("15\\.0 \\(tandem, SQLite 3\\.\\d+\\.\\d+\\)");
        assertThat(reported).containsEntry("server_encoding", "UTF8").containsEntry("DateStyle", "ISO, MDY")
                .containsEntry("integer_datetimes", "on").containsEntry("standard_conforming_strings", "on")
                .containsEntry("IntervalStyle", "postgres").containsEntry("is_superuser", "off")
                .containsEntry("session_authorization", "alice").containsEntry("application_name", "psql")
                .containsEntry("TimeZone", "UTC").containsEntry("in_hot_standby", "off");
    }

    @Test
    void startupParametersAreTheSessionsStartingValues() {
        assertThat(show("extra_float_digits")).isEqualTo("3");
        assertThat(show("search_path")).isEqualTo("app, public");
        assertThat(session.outputSettings().extraFloatDigits()).isEqualTo(3);
    }

    @Test
    void showReturnsOneTextColumnNamedAfterTheParameter() {
        SqliteFixture.Result r = query(session, "SHOW timezone").get(0);
        assertThat(r.columns()).containsExactly("TimeZone");
        assertThat(r.rows()).containsExactly(java.util.List.of("UTC"));
        assertThat(r.tag()).isEqualTo("SHOW");
        assertThat(query(session, "SHOW TIME ZONE").get(0).columns()).containsExactly("TimeZone");
        assertThat(query(session, "SHOW server_version_num").get(0).value()).isEqualTo("150000");
        assertThat(query(session, "SHOW TRANSACTION ISOLATION LEVEL").get(0).value()).isEqualTo("read committed");
    }

    @Test
    void setChangesWhatShowAndTheCodecsSee() {
        query(session, "SET TIME ZONE 'Europe/Paris'", "SET extra_float_digits = 0", "SET bytea_output = 'escape'");
        assertThat(show("TimeZone")).isEqualTo("Europe/Paris");
        assertThat(session.outputSettings().timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(session.outputSettings().extraFloatDigits()).isZero();
        query(session, "RESET ALL");
        assertThat(show("timezone")).isEqualTo("UTC");
    }

    @Test
    void changedParametersReportsOnlyReportedOnesOnce() {
        session.changedParameters(); // what login reported
        query(session, "SET application_name = 'worker'", "SET work_mem = '64MB'");
        assertThat(session.changedParameters()).containsExactly(Map.entry("application_name", "worker"));
        assertThat(session.changedParameters()).isEmpty();
        query(session, "BEGIN", "SET TimeZone = 'UTC+3'", "ROLLBACK");
        assertThat(session.changedParameters()).isEmpty();
    }

    @Test
    void durationsReadUnitsAndShowLikePostgres() {
        query(session, "SET statement_timeout = 5000");
        assertThat(show("statement_timeout")).isEqualTo("5s");
        query(session, "SET statement_timeout TO '1min'");
        assertThat(show("statement_timeout")).isEqualTo("1min");
        query(session, "SET lock_timeout = '250ms'");
        assertThat(show("lock_timeout")).isEqualTo("250ms");
        assertThatThrownBy(() -> query(session, "SET statement_timeout = 'soon'"))
                .satisfies(e -> assertState(e, SqlState.INVALID_PARAMETER_VALUE));
    }

    @Test
    void acceptsCommonPostgresParametersQuietly() {
        query(session, "SET work_mem = '64MB'", "SET enable_seqscan = off", "SET jit = false",
                "SET client_min_messages = warning", "SET myapp.tenant = '42'", "SET search_path TO \"$user\", public",
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET NAMES 'UTF8'");
        assertThat(show("work_mem")).isEqualTo("64MB");
        assertThat(show("enable_seqscan")).isEqualTo("off");
        assertThat(show("jit")).isEqualTo("off");
        assertThat(show("myapp.tenant")).isEqualTo("42");
        assertThat(show("search_path")).isEqualTo("\"$user\", public");
        assertThat(show("default_transaction_isolation")).isEqualTo("serializable");
        assertThat(one(session, "SELECT current_setting('myapp.tenant')").value()).isEqualTo("42");
    }

    @Test
    void rejectsMadeUpParameters() {
        assertThatThrownBy(() -> query(session, "SET frobnicate = 1"))
                .satisfies(e -> assertState(e, SqlState.UNDEFINED_OBJECT))
                .hasMessage("unrecognized configuration parameter \"frobnicate\"");
        assertThatThrownBy(() -> query(session, "SHOW frobnicate")).satisfies(e -> assertState(e, SqlState.UNDEFINED_OBJECT));
        assertThatThrownBy(() -> query(session, "SHOW unset.custom")).satisfies(e -> assertState(e,
                SqlState.UNDEFINED_OBJECT));
    }

    @Test
    void refusesValuesTandemCannotHonour() {
        assertThatThrownBy(() -> query(session, "SET DateStyle = 'German'")).satisfies(e -> assertState(e,
                SqlState.FEATURE_NOT_SUPPORTED));
        assertThatThrownBy(() -> query(session, "SET standard_conforming_strings = off")).satisfies(e -> assertState(e,
                SqlState.FEATURE_NOT_SUPPORTED));
        assertThatThrownBy(() -> query(session, "SET client_encoding = 'LATIN1'")).satisfies(e -> assertState(e,
                SqlState.FEATURE_NOT_SUPPORTED));
        assertThatThrownBy(() -> query(session, "SET server_version = '16'")).satisfies(e -> assertState(e,
                SqlState.CANT_CHANGE_RUNTIME_PARAM));
        assertThatThrownBy(() -> query(session, "SET ROLE admin")).satisfies(e -> assertState(e,
                SqlState.FEATURE_NOT_SUPPORTED));
        assertThatThrownBy(() -> query(session, "SET TimeZone = 'Mars/Olympus'")).satisfies(e -> assertState(e,
                SqlState.INVALID_PARAMETER_VALUE));
    }

    @Test
    void aBadStartupParameterFailsTheSession() {
        assertThatThrownBy(() -> fixture.session(Map.of("frobnicate", "1")))
                .satisfies(e -> assertState(e, SqlState.UNDEFINED_OBJECT));
    }

    @Test
    void showAllListsTheKnownParameters() {
        SqliteFixture.Result all = query(session, "SHOW ALL").get(0);
        assertThat(all.columns()).containsExactly("name", "setting", "description");
        assertThat(all.column(0)).contains("TimeZone", "application_name", "statement_timeout");
    }

    @Test
    void discardAllResetsTheSessionToWhatItConnectedWith() {
        query(session, "SET application_name = 'x'", "SET work_mem = '64MB'");
        assertThat(query(session, "DISCARD ALL").get(0).tag()).isEqualTo("DISCARD ALL");
        assertThat(show("application_name")).as("the startup value, as PostgreSQL has it").isEqualTo("psql");
        assertThat(show("work_mem")).isEqualTo("4MB");
        assertThat(query(session, "DEALLOCATE ALL").get(0).tag()).isEqualTo("DEALLOCATE ALL");
    }

    @Test
    void sessionCommandsWithoutAnSqliteMeaningAreRefused() {
        for (String sql : new String[] {"LISTEN jobs", "NOTIFY jobs", "UNLISTEN *", "PREPARE p AS SELECT 1",
            "EXECUTE p", "DECLARE c CURSOR FOR SELECT 1", "FETCH 10 FROM c", "MOVE 1 IN c", "CLOSE c",
            "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'"}) {
            assertThatThrownBy(() -> query(session, sql)).as(sql).satisfies(e -> assertState(e,
                    SqlState.FEATURE_NOT_SUPPORTED));
        }
    }
}
