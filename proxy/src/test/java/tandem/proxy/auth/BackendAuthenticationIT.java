package tandem.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import tandem.core.session.TransactionStatus;
import tandem.proxy.wire.PasswordPostgres;
import tandem.proxy.wire.WireClient;
import tandem.proxy.wire.backend.BackendKeyData;
import tandem.proxy.wire.backend.ErrorResponse;
import tandem.proxy.wire.backend.ParameterStatus;
import tandem.proxy.wire.backend.ReadyForQuery;

/** tandem logs in to a real PostgreSQL that asks for SCRAM-SHA-256, MD5 and cleartext passwords. */
class BackendAuthenticationIT {

    private static Map<String, String> startup(String user) {
        return Map.of("user", user, "database", "postgres", "client_encoding", "UTF8");
    }

    private static WireClient connect() throws InterruptedException {
        return new WireClient("127.0.0.1", PasswordPostgres.port());
    }

    @Test
    void logsInWithScramAndChecksTheServerSignature() throws Exception {
        try (WireClient client = connect()) {
            var afterOk = client.login(startup("scram_user"), new BackendAuthenticator("scram_user", PasswordPostgres.SCRAM_PASSWORD));
            assertThat(afterOk).hasAtLeastOneElementOfType(ParameterStatus.class).hasAtLeastOneElementOfType(BackendKeyData.class);
            assertThat(afterOk.getLast()).isEqualTo(new ReadyForQuery(TransactionStatus.IDLE));
        }
    }

    @Test
    void wrongScramPasswordIsRefusedWith28P01() throws Exception {
        try (WireClient client = connect()) {
            var answer = client.login(startup("scram_user"), new BackendAuthenticator("scram_user", "wrong"));
            assertThat(answer).singleElement().isInstanceOfSatisfying(ErrorResponse.class, error -> {
                assertThat(error.code()).isEqualTo("28P01");
                assertThat(error.severity()).isEqualTo("FATAL");
                assertThat(error.message()).isEqualTo("password authentication failed for user \"scram_user\"");
            });
        }
    }

    @Test
    void logsInWithMd5() throws Exception {
        try (WireClient client = connect()) {
            assertThat(client.login(startup("md5_user"), new BackendAuthenticator("md5_user", PasswordPostgres.MD5_PASSWORD))
                    .getLast()).isInstanceOf(ReadyForQuery.class);
        }
    }

    @Test
    void logsInWithCleartextPassword() throws Exception {
        try (WireClient client = connect()) {
            assertThat(client.login(startup("password_user"),
                    new BackendAuthenticator("password_user", PasswordPostgres.CLEARTEXT_PASSWORD)).getLast())
                    .isInstanceOf(ReadyForQuery.class);
        }
    }

    @Test
    void derivesTheVerifierPostgresStores() throws Exception {
        try (var c = PasswordPostgres.superuser(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'scram_user'")) {
            assertThat(rs.next()).isTrue();
            var stored = ScramCredential.parse(rs.getString(1));
            assertThat(ScramCredential.derive(PasswordPostgres.SCRAM_PASSWORD, stored.salt(), stored.iterations()))
                    .isEqualTo(stored);
        }
    }

    @Test
    void saslPrepMatchesPostgres() throws Exception {
        // soft hyphen is mapped to nothing and U+2168 (ROMAN NUMERAL NINE) to "IX" before hashing
        String password = "p\u00e4ss\u00adw\u2168rd";
        try (var c = PasswordPostgres.superuser(); var s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("DROP ROLE IF EXISTS prep_user");
            s.execute("CREATE ROLE prep_user LOGIN PASSWORD '" + password + "'");
            try (var rs = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'prep_user'")) {
                assertThat(rs.next()).isTrue();
                var stored = ScramCredential.parse(rs.getString(1));
                assertThat(ScramCredential.derive(password, stored.salt(), stored.iterations())).isEqualTo(stored);
                assertThat(ScramCredential.derive("p\u00e4sswIXrd", stored.salt(), stored.iterations())).isEqualTo(stored);
            }
        }
    }
}
