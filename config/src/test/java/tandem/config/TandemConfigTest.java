package tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TandemConfigTest {

    @Test
    void buildsTheDemoConfigurationInCode() {
        TandemConfig config = TandemConfig.builder()
                .listen(HostPort.loopback(0))
                .admin(new AdminConfig(HostPort.loopback(0), null))
                .oldStore(StoreConfig.sqlite(Path.of("/tmp/demo/shop.db")))
                .newStore(StoreConfig.postgres("jdbc:postgresql://127.0.0.1:54321/shop", "postgres", "postgres"))
                .build();

        assertThat(config.database()).isEqualTo("shop");
        assertThat(config.trustsClients()).isTrue();
        assertThat(config.oldStore()).isEqualTo(new StoreConfig("old", "jdbc:sqlite:/tmp/demo/shop.db", null, null,
                PoolConfig.defaults(PoolMode.TRANSACTION), SqliteConfig.defaults()));
        assertThat(config.newStore().role()).isEqualTo("new");
        assertThat(config.newStore().pool()).isEqualTo(PoolConfig.defaults(PoolMode.SESSION));
        assertThat(config.newStore().sqlite()).isNull();
        assertThat(config.limits()).isEqualTo(LimitsConfig.defaults());
    }

    @Test
    void takesStoreSettingsAndUsersFromCode() {
        PoolConfig small = new PoolConfig(PoolMode.TRANSACTION, 2, 0, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ZERO, Duration.ZERO);
        TandemConfig config = TandemConfig.builder()
                .listen(HostPort.parse("0.0.0.0:0"))
                .database("app")
                .user("app", "pw")
                .oldStore(StoreConfig.sqlite(Path.of("x.db")).withSqlite(new SqliteConfig(Duration.ofMillis(100), 0)))
                .newStore(StoreConfig.postgres("jdbc:postgresql://db/other", null, null).withPool(small))
                .build();

        assertThat(config.database()).isEqualTo("app");
        assertThat(config.users()).containsExactly(new UserConfig("app", "pw"));
        assertThat(config.oldStore().sqlite().readers()).isZero();
        assertThat(config.newStore().pool()).isEqualTo(small);
    }

    @Test
    void codeIsHeldToTheSameRulesAsAFile() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TandemConfig.builder()
                .listen(HostPort.parse("0.0.0.0:6432"))
                .oldStore(StoreConfig.sqlite(Path.of("app.db")).withPool(PoolConfig.defaults(PoolMode.SESSION)))
                .newStore(StoreConfig.sqlite(Path.of("new.db")))
                .limits(new LimitsConfig(10, 64 * 1024, Duration.ofSeconds(-1)))
                .build());

        assertThat(e.source()).isNull();
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "users: none are configured, so clients would connect without a password (trust), which is allowed"
                        + " only on a loopback address and listen is 0.0.0.0:6432; add users with a name and password,"
                        + " or listen on 127.0.0.1",
                "stores.old.pool.mode: a SQLite store pools by transaction, because SQLite has one writer connection"
                        + " that clients take turns on between transactions; set transaction or remove the key",
                "stores.new.url: the new store must be PostgreSQL (jdbc:postgresql://HOST:PORT/DATABASE), not SQLite",
                "limits.clientIdleTimeout: PT-1S is negative (expected: 0 or longer)");
        assertThat(e.getMessage()).startsWith("Invalid configuration (4 problems):\n  users: ");
    }

    @Test
    void theStoresPlaceSetsItsRole() {
        StoresConfig stores = new StoresConfig(StoreConfig.sqlite(Path.of("a.db")),
                new StoreConfig("old", "jdbc:postgresql://db/app", null, null, null, null));

        assertThat(stores.oldStore().role()).isEqualTo("old");
        assertThat(stores.newStore().role()).isEqualTo("new");
    }

    @Test
    void toStringShowsWhetherASecretIsSetButNeverItsValue() {
        assertThat(new UserConfig("app", "hunter2")).hasToString("UserConfig[name=app, password=***]");
        assertThat(new AdminConfig(HostPort.loopback(9090), "tok")).hasToString("AdminConfig[listen=127.0.0.1:9090, token=***]");
        assertThat(AdminConfig.defaults()).hasToString("AdminConfig[listen=127.0.0.1:9090, token=null]");
        assertThat(StoreConfig.postgres("jdbc:postgresql://db/app?password=hunter2", "u", "hunter2").toString())
                .doesNotContain("hunter2")
                .contains("url=jdbc:postgresql://db/app?password=***", "user=u", "password=***");
    }
}
