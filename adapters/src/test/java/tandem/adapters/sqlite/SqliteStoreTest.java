package tandem.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tandem.adapters.sqlite.SqliteFixture.one;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tandem.adapters.StoreFactory;
import tandem.config.SqliteConfig;
import tandem.config.StoreConfig;
import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.store.Store;
import tandem.core.store.StoreKind;

class SqliteStoreTest {

    @TempDir
    Path dir;

    @Test
    void missingDatabaseFileIsAnErrorNamingThePathNotAnEmptyDatabase() {
        Path missing = dir.resolve("nope.db");
        assertThatThrownBy(() -> SqliteStore.open("old", missing, SqliteConfig.defaults(), Duration.ofSeconds(1),
                Clock.systemUTC()))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.state()).isEqualTo(SqlState.CONNECTION_FAILURE);
                    assertThat(e.getMessage()).contains(missing.toAbsolutePath().toString()).contains("does not exist");
                    assertThat(e.hint()).contains("stores.old.url");
                });
        assertThat(missing).doesNotExist();
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAtOpen() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.db"), "these are not the pages you are looking for ".repeat(100));
        assertThatThrownBy(() -> SqliteStore.open("old", text, SqliteConfig.defaults(), Duration.ofSeconds(1),
                Clock.systemUTC()))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.getMessage()).contains(text.toString()));
    }

    @Test
    void inMemoryDatabasesAreRefused() {
        assertThatThrownBy(() -> SqliteStore.fileOf("old", "jdbc:sqlite::memory:"))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.getMessage()).contains("in-memory"));
    }

    @Test
    void storeFactoryOpensSqliteStoresAndTheVersionIsPostgres15Compatible() {
        try (SqliteFixture seed = SqliteFixture.create(dir, "CREATE TABLE t (a INTEGER)")) {
            seed.close();
            try (Store store = StoreFactory.open(StoreConfig.sqlite(seed.file))) {
                assertThat(store.kind()).isEqualTo(StoreKind.SQLITE);
                assertThat(store.name()).isEqualTo("old");
                assertThat(store.serverVersion()).matches("15\\.0 \\(tandem, SQLite 3\\.\\d+\\.\\d+\\)");
                assertThat(store.wireEndpoint()).isEmpty();
                store.ping();
            }
        }
    }

    @Test
    void pingFailsWith08006WhenTheFileIsGone() throws Exception {
        try (SqliteFixture f = SqliteFixture.create(dir, "CREATE TABLE t (a INTEGER)")) {
            f.store.ping();
            Files.move(f.file, dir.resolve("moved.db"));
            assertThatThrownBy(f.store::ping).isInstanceOfSatisfying(ProxyException.class, e -> {
                assertThat(e.state()).isEqualTo(SqlState.CONNECTION_FAILURE);
                assertThat(e.getMessage()).contains(f.file.toString());
            });
        }
    }

    @Test
    void opensTheFileInWalModeWithForeignKeysOn() {
        try (SqliteFixture f = SqliteFixture.create(dir, "CREATE TABLE t (a INTEGER)");
                var session = f.session()) {
            assertThat(one(session, "PRAGMA journal_mode").value()).isEqualTo("wal");
            assertThat(one(session, "PRAGMA foreign_keys").value()).isEqualTo("1");
        }
    }

    @Test
    void readersZeroMeansReadsUseTheWriter() {
        try (SqliteFixture f = SqliteFixture.create(dir, new SqliteConfig(Duration.ofSeconds(1), 0), Clock.systemUTC(),
                "CREATE TABLE t (a INTEGER)"); var session = f.session()) {
            one(session, "INSERT INTO t VALUES (1)");
            assertThat(one(session, "SELECT a FROM t").value()).isEqualTo("1");
        }
    }

    @Test
    void cachesPreparedStatementsPerConnectionBounded() {
        try (SqliteFixture f = SqliteFixture.create(dir, new SqliteConfig(Duration.ofSeconds(1), 0), Clock.systemUTC(),
                "CREATE TABLE t (a INTEGER)"); var session = f.session()) {
            for (int i = 0; i < ConnectionState.MAX_STATEMENTS + 50; i++) {
                one(session, "SELECT a + " + i + " FROM t");
            }
            Lease writer = f.store.acquire(true);
            try {
                assertThat(writer.state.cachedStatements()).isEqualTo(ConnectionState.MAX_STATEMENTS);
            } finally {
                writer.release();
            }
        }
    }
}
