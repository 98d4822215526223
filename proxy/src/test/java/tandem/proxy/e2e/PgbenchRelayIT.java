package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tandem.adapters.testing.TestDatabase;
import tandem.adapters.testing.TestPostgres;
import tandem.config.PoolMode;

/**
 * pgbench through tandem: initialization (which streams pgbench_accounts in with COPY), then the
 * TPC-B-like workload in every query mode, with several clients. No transaction may fail and the
 * balances must add up afterwards.
 */
class PgbenchRelayIT {

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void tpcbLikeRunsWithoutErrorsInEveryQueryModeAndBalancesAddUp(PoolMode mode, @TempDir Path dir) throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase("pgbench");
        try (Proxy proxy = Proxy.postgres(db, mode, 8, tandem.config.TandemConfig.builder())) {
            Clients.Result init = Clients.run(dir, proxy.libpqEnvironment(), 300, "pgbench", "-i", "-s", "2", "-q");
            assertThat(init.exitCode()).as(init.output()).isZero();
            for (String protocol : new String[] {"simple", "extended", "prepared"}) {
                Clients.Result run = Clients.run(dir, proxy.libpqEnvironment(), 300, "pgbench", "-M", protocol,
                        "-c", "6", "-j", "2", "-t", "150", "--no-vacuum");
                assertThat(run.exitCode()).as(run.output()).isZero();
                assertThat(run.stdout()).as(run.output()).contains("number of transactions actually processed: 900/900")
                        .contains("number of failed transactions: 0");
            }
        }
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT sum(abalance) FROM pgbench_accounts), (SELECT sum(tbalance) FROM pgbench_tellers), "
                        + "(SELECT sum(bbalance) FROM pgbench_branches), (SELECT sum(delta) FROM pgbench_history), "
                        + "(SELECT count(*) FROM pgbench_history)")) {
            rs.next();
            long history = rs.getLong(4);
            assertThat(rs.getLong(5)).isEqualTo(3 * 900);
            assertThat(rs.getLong(1)).isEqualTo(history);
            assertThat(rs.getLong(2)).isEqualTo(history);
            assertThat(rs.getLong(3)).isEqualTo(history);
        }
    }
}
