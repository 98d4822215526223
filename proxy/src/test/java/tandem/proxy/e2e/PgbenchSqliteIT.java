package tandem.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgbench over a SQLite old store, as over PostgreSQL: {@code pgbench -i} (PostgreSQL's DDL with
 * {@code char(n)} and {@code WITH (fillfactor)}, a multi-table TRUNCATE, the accounts streamed in
 * with COPY FROM STDIN, VACUUM, {@code ALTER TABLE ... ADD PRIMARY KEY}), then ten seconds of
 * TPC-B-like load in every query mode with no failed transaction, and the balances in the SQLite
 * file adding up.
 */
class PgbenchSqliteIT {

    @Test
    void initializesAndRunsTpcbLikeWithoutAFailure(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("app.db"));
        try (Proxy proxy = Proxy.sqlite(file, "app")) {
            Clients.Result init = Clients.run(dir, proxy.libpqEnvironment(), 300, "pgbench", "-i", "-s", "1");
            assertThat(init.exitCode()).as(init.output()).isZero();
            assertThat(init.stderr()).contains("creating primary keys...").contains("done in");
            Clients.Result run = Clients.run(dir, proxy.libpqEnvironment(), 300, "pgbench", "-T", "10", "-c", "4");
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.stdout()).as(run.output()).contains("number of failed transactions: 0");
            for (String protocol : new String[] {"extended", "prepared"}) {
                Clients.Result more = Clients.run(dir, proxy.libpqEnvironment(), 300, "pgbench", "-n", "-M", protocol,
                        "-c", "3", "-t", "100");
                assertThat(more.exitCode()).as(more.output()).isZero();
                assertThat(more.stdout()).as(more.output()).contains("number of failed transactions: 0")
                        .contains("number of transactions actually processed: 300/300");
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pgbench_accounts), "
                        + "(SELECT sum(abalance) FROM pgbench_accounts), (SELECT sum(tbalance) FROM pgbench_tellers), "
                        + "(SELECT sum(bbalance) FROM pgbench_branches), (SELECT sum(delta) FROM pgbench_history), "
                        + "(SELECT count(*) FROM pgbench_history), (SELECT sql FROM sqlite_schema WHERE name = 'pgbench_accounts')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(100_000);
            long history = rs.getLong(5);
            assertThat(rs.getLong(6)).isGreaterThan(600);
            assertThat(rs.getLong(2)).isEqualTo(history);
            assertThat(rs.getLong(3)).isEqualTo(history);
            assertThat(rs.getLong(4)).isEqualTo(history);
            assertThat(rs.getString(7)).contains("primary key (aid)");
        }
    }
}
