package tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final Map<String, String> ENV = Map.of(
            "TANDEM_ADMIN_TOKEN", "admin-secret",
            "APP_PASSWORD", "app-secret",
            "PG_PASSWORD", "pg-secret");

    private static final String MINIMAL = """
            stores:
              old:
                url: jdbc:sqlite:/var/lib/app/app.db
            """;

    @TempDir
    Path dir;

    @Test
    void loadsTheFullExampleWithItsEnvironment() throws IOException {
        Path file = dir.resolve("tandem.yaml");
        try (var in = getClass().getResourceAsStream("/tandem-full.yaml")) {
            Files.copy(in, file);
        }

        TandemConfig config = ConfigLoader.load(file, ENV);

        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 6432));
        assertThat(config.database()).isEqualTo("app");
        assertThat(config.admin()).isEqualTo(new AdminConfig(new HostPort("127.0.0.1", 9090), "admin-secret"));
        assertThat(config.users()).containsExactly(new UserConfig("app", "app-secret"));
        assertThat(config.trustsClients()).isFalse();

        StoreConfig old = config.oldStore();
        assertThat(old.role()).isEqualTo("old");
        assertThat(old.url()).isEqualTo("jdbc:sqlite:/var/lib/app/app.db");
        assertThat(old.isSqlite()).isTrue();
        assertThat(old.isPostgres()).isFalse();
        assertThat(old.user()).isNull();
        assertThat(old.password()).isNull();
        assertThat(old.pool().mode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(old.sqlite()).isEqualTo(new SqliteConfig(Duration.ofSeconds(5), 4));

        StoreConfig neu = config.newStore();
        assertThat(neu.role()).isEqualTo("new");
        assertThat(neu.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/app");
        assertThat(neu.isPostgres()).isTrue();
        assertThat(neu.user()).isEqualTo("app");
        assertThat(neu.password()).isEqualTo("pg-secret");
        assertThat(neu.pool()).isEqualTo(new PoolConfig(PoolMode.SESSION, 20, 0, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(30)));
        assertThat(neu.sqlite()).isNull();
        assertThat(config.stores().isPassThrough()).isFalse();

        assertThat(config.limits()).isEqualTo(new LimitsConfig(1000, 64L * 1024 * 1024, Duration.ZERO));
        assertThat(config.limits().hasClientIdleTimeout()).isFalse();
    }

    @Test
    void bindsEveryKeyToItsComponent() {
        TandemConfig config = parse("""
                listen: 0.0.0.0:7000
                database: shop
                admin:
                  listen: "[::1]:7001"
                  token: t
                users:
                  - name: a
                    password: pa
                  - name: b
                    password: pb
                stores:
                  old:
                    url: jdbc:postgresql://old-db:5432/legacy
                    user: legacy
                    password: lp
                    pool:
                      mode: TRANSACTION
                      maxSize: 7
                      minIdle: 2
                      acquireTimeout: 250ms
                      connectTimeout: 3s
                      idleTimeout: 2m
                      maxLifetime: 1h
                  new:
                    url: jdbc:postgresql://new-db/shop
                limits:
                  maxClientConnections: 50
                  maxMessageSize: 512kB
                  clientIdleTimeout: 15m
                """);

        assertThat(config.listen()).isEqualTo(new HostPort("0.0.0.0", 7000));
        assertThat(config.database()).isEqualTo("shop");
        assertThat(config.admin()).isEqualTo(new AdminConfig(new HostPort("::1", 7001), "t"));
        assertThat(config.users()).containsExactly(new UserConfig("a", "pa"), new UserConfig("b", "pb"));
        assertThat(config.oldStore()).isEqualTo(new StoreConfig("old", "jdbc:postgresql://old-db:5432/legacy", "legacy",
                "lp", new PoolConfig(PoolMode.TRANSACTION, 7, 2, Duration.ofMillis(250), Duration.ofSeconds(3),
                        Duration.ofMinutes(2), Duration.ofHours(1)), null));
        assertThat(config.newStore().pool()).isEqualTo(PoolConfig.defaults(PoolMode.SESSION));
        assertThat(config.limits()).isEqualTo(new LimitsConfig(50, 512 * 1024, Duration.ofMinutes(15)));
        assertThat(config.limits().hasClientIdleTimeout()).isTrue();
    }

    @Test
    void absentKeysTakeTheirDefaults() {
        TandemConfig config = parse(MINIMAL);

        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 6432));
        assertThat(config.database()).isEqualTo("app");
        assertThat(config.admin()).isEqualTo(new AdminConfig(new HostPort("127.0.0.1", 9090), null));
        assertThat(config.admin().hasToken()).isFalse();
        assertThat(config.users()).isEmpty();
        assertThat(config.trustsClients()).isTrue();
        assertThat(config.newStore()).isNull();
        assertThat(config.stores().isPassThrough()).isTrue();
        assertThat(config.oldStore().pool()).isEqualTo(PoolConfig.defaults(PoolMode.TRANSACTION));
        assertThat(config.oldStore().sqlite()).isEqualTo(SqliteConfig.defaults());
        assertThat(config.limits()).isEqualTo(LimitsConfig.defaults());
    }

    @Test
    void emptySectionsAndAnEmptyUserListTakeTheirDefaults() {
        TandemConfig config = parse(MINIMAL + """
                admin:
                users: []
                limits: {}
                """);

        assertThat(config.admin()).isEqualTo(AdminConfig.defaults());
        assertThat(config.users()).isEmpty();
        assertThat(config.limits()).isEqualTo(LimitsConfig.defaults());
    }

    @Test
    void poolModeDefaultsToSessionForPostgresAndTransactionForSqlite() {
        TandemConfig config = parse("""
                stores:
                  old:
                    url: jdbc:sqlite:app.db
                    pool:
                      maxSize: 3
                  new:
                    url: jdbc:postgresql://db/app
                    pool:
                      maxSize: 4
                """);

        assertThat(config.oldStore().pool().mode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(config.newStore().pool().mode()).isEqualTo(PoolMode.SESSION);
    }

    @Test
    void databaseDefaultsToTheOldStoresDatabase() {
        assertThat(parse(MINIMAL).database()).isEqualTo("app");
        assertThat(parse("""
                stores:
                  old:
                    url: jdbc:postgresql://db:5432/legacy?sslmode=require
                """).database()).isEqualTo("legacy");
        assertThat(parse("""
                stores:
                  old:
                    url: jdbc:sqlite:file:/data/d1-export.sqlite3?mode=ro
                """).database()).isEqualTo("d1-export");
    }

    @Test
    void databaseIsRequiredWhenTheOldStoreNamesNone() {
        assertThat(problems("""
                stores:
                  old:
                    url: jdbc:postgresql://db:5432/
                """)).containsExactly("database: stores.old.url names no database to take the name from; set"
                + " database: to the name clients connect with");
    }

    @Test
    void poolModeIsCaseInsensitive() {
        assertThat(parse(MINIMAL + """
                  new:
                    url: jdbc:postgresql://db/app
                    pool:
                      mode: Transaction
                """).newStore().pool().mode()).isEqualTo(PoolMode.TRANSACTION);
    }

    @Test
    void anUnknownPoolModeListsTheAllowedValues() {
        assertThat(problems(MINIMAL + """
                  new:
                    url: jdbc:postgresql://db/app
                    pool:
                      mode: sesion
                """)).containsExactly("stores.new.pool.mode: 'sesion' is not one of: session, transaction");
    }

    @Test
    void anUnknownKeyListsTheKnownKeysAndSuggestsTheNearest() {
        assertThat(problems(MINIMAL + """
                  new:
                    url: jdbc:postgresql://db/app
                    pool:
                      maxsize: 20
                """)).containsExactly("stores.new.pool.maxsize: unknown key (did you mean maxSize?); known keys here:"
                + " mode, maxSize, minIdle, acquireTimeout, connectTimeout, idleTimeout, maxLifetime");
    }

    @Test
    void anUnknownKeyFarFromEveryKnownOneGetsNoSuggestion() {
        assertThat(problems(MINIMAL + """
                telemetry:
                  endpoint: x
                """)).containsExactly("telemetry: unknown key; known keys here: listen, database, admin, users,"
                + " stores, limits, ioThreads, migration, schema");
    }

    @Test
    void suggestionsCatchTyposAndOtherSpellings() {
        assertThat(problems("""
                lisen: 127.0.0.1:1
                user: []
                stores:
                  old:
                    url: jdbc:sqlite:app.db
                    sqlite:
                      busy_timeout: 1s
                """)).containsExactly(
                "lisen: unknown key (did you mean listen?); known keys here: listen, database, admin, users, stores, limits, ioThreads, migration, schema",
                "user: unknown key (did you mean users?); known keys here: listen, database, admin, users, stores, limits, ioThreads, migration, schema",
                "stores.old.sqlite.busy_timeout: unknown key (did you mean busyTimeout?); known keys here: busyTimeout, readers");
    }

    @Test
    void unknownKeysAreFoundInListItems() {
        assertThat(problems(MINIMAL + """
                listen: 0.0.0.0:6432
                users:
                  - name: app
                    pasword: x
                """)).containsExactly(
                "users[0].password: is required",
                "users[0].pasword: unknown key (did you mean password?); known keys here: name, password");
    }

    @Test
    void aValueOfTheWrongShapeSaysWhatWasExpected() {
        assertThat(problems("""
                listen: [127.0.0.1, 6432]
                admin: 9090
                users:
                  - app
                stores:
                  old:
                    url:
                      path: app.db
                """)).containsExactly(
                "listen: expected host:port, found a list",
                "admin: expected a mapping of keys, found a single value",
                "users[0]: expected a mapping of keys, found a single value",
                "stores.old.url: expected a single value, found a mapping");
    }

    @Test
    void theOldStoreIsRequired() {
        assertThat(problems("listen: 127.0.0.1:6432\n")).containsExactly("stores.old: is required; it is the store"
                + " the application uses today, e.g. url: jdbc:sqlite:/var/lib/app/app.db or url:"
                + " jdbc:postgresql://127.0.0.1:5432/app");
        assertThat(problems("")).hasSize(1);
    }

    @Test
    void aStoreUrlMustBeSqliteOrPostgres() {
        assertThat(problems("""
                stores:
                  old:
                    url: jdbc:mysql://db/app?password=hunter2
                  new:
                    user: app
                """)).containsExactly(
                "stores.old.url: 'jdbc:mysql://db/app?password=***' is not a store tandem knows; the url must start"
                        + " with jdbc:sqlite: or jdbc:postgresql:",
                "stores.new.url: is required (jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE)");
    }

    @Test
    void theNewStoreMustBePostgres() {
        assertThat(problems(MINIMAL + """
                  new:
                    url: jdbc:sqlite:/var/lib/app/new.db
                """)).containsExactly("stores.new.url: the new store must be PostgreSQL"
                + " (jdbc:postgresql://HOST:PORT/DATABASE), not SQLite");
    }

    @Test
    void theNewStoreMustBeAnotherDatabase() {
        assertThat(problems("""
                stores:
                  old:
                    url: jdbc:postgresql://db:5432/app
                  new:
                    url: jdbc:postgresql://db:5432/app
                """)).containsExactly("stores.new.url: is the same as stores.old.url; the new store must be another"
                + " database");
    }

    @Test
    void aSqliteBlockOnAPostgresStoreIsAnError() {
        assertThat(problems(MINIMAL + """
                  new:
                    url: jdbc:postgresql://db/app
                    sqlite:
                      readers: 2
                """)).containsExactly("stores.new.sqlite: only SQLite stores take a sqlite block, and stores.new is"
                + " PostgreSQL; remove it");
    }

    @Test
    void theBriefsExampleWithItsSqliteBlockUnderTheNewStoreIsRejectedForThatOnly() {
        assertThat(problems("""
                stores:
                  old:
                    url: jdbc:sqlite:/var/lib/app/app.db
                  new:
                    url: jdbc:postgresql://127.0.0.1:5432/app
                    pool:
                      mode: session
                    sqlite:
                      busyTimeout: 5s
                      readers: 4
                """)).containsExactly("stores.new.sqlite: only SQLite stores take a sqlite block, and stores.new is"
                + " PostgreSQL; remove it");
    }

    @Test
    void aSqliteStoreTakesNoUserOrPassword() {
        assertThat(problems("""
                stores:
                  old:
                    url: jdbc:sqlite:app.db
                    user: app
                    password: secret
                """)).containsExactly(
                "stores.old.user: a SQLite store has no users; remove the key",
                "stores.old.password: a SQLite store has no password; remove the key");
    }

    @Test
    void aSqliteStoreCannotPoolBySession() {
        assertThat(problems("""
                stores:
                  old:
                    url: jdbc:sqlite:app.db
                    pool:
                      mode: session
                """)).containsExactly("stores.old.pool.mode: a SQLite store pools by transaction, because SQLite has"
                + " one writer connection that clients take turns on between transactions; set transaction or remove"
                + " the key");
    }

    @Test
    void anInMemorySqliteStoreIsAnError() {
        assertThat(problems("""
                database: app
                stores:
                  old:
                    url: "jdbc:sqlite::memory:"
                """)).containsExactly("stores.old.url: an in-memory SQLite database lives inside one connection and"
                + " tandem opens several (a writer and readers); name a file, e.g. jdbc:sqlite:/var/lib/app/app.db");
    }

    @Test
    void trustOnANonLoopbackAddressSaysHowToFixIt() {
        assertThat(problems(MINIMAL + "listen: 0.0.0.0:6432\n")).containsExactly("users: none are configured, so"
                + " clients would connect without a password (trust), which is allowed only on a loopback address and"
                + " listen is 0.0.0.0:6432; add users with a name and password, or listen on 127.0.0.1");
    }

    @Test
    void trustIsAllowedOnEveryLoopbackAddress() {
        for (String listen : List.of("127.0.0.1:6432", "127.0.0.2:0", "localhost:6432", "'[::1]:6432'")) {
            assertThat(parse(MINIMAL + "listen: " + listen + "\n").trustsClients()).as(listen).isTrue();
        }
    }

    @Test
    void userNamesMustBeUniqueAndPasswordsNonEmpty() {
        assertThat(problems(MINIMAL + """
                users:
                  - name: app
                    password: one
                  - name: app
                    password: ""
                  - password: three
                """)).containsExactly(
                "users[1].name: 'app' is already the name of users[0]; user names must be unique",
                "users[1].password: is empty; every user needs a password",
                "users[2].name: is required");
    }

    @Test
    void aNonLoopbackAdminAddressNeedsAToken() {
        assertThat(problems(MINIMAL + """
                admin:
                  listen: 0.0.0.0:9090
                """)).containsExactly("admin.token: is required because admin.listen (0.0.0.0:9090) is not a loopback"
                + " address and /api can shift reads and cut over; set a token, or listen on 127.0.0.1");
    }

    @Test
    void anEmptyTokenIsAnErrorRatherThanNoToken() {
        assertThat(problems(MINIMAL + """
                admin:
                  token: ${TOKEN:-}
                """)).containsExactly("admin.token: is empty; set a token, or remove the key to leave /api without one"
                + " on a loopback address");
    }

    @Test
    void theAdminApiCannotShareTheClientAddress() {
        assertThat(problems(MINIMAL + """
                admin:
                  listen: 127.0.0.1:6432
                """)).containsExactly("admin.listen: 127.0.0.1:6432 is also where clients connect (listen); give the"
                + " admin API a port of its own");
        assertThat(parse(MINIMAL + "listen: 127.0.0.1:0\nadmin:\n  listen: 127.0.0.1:0\n").admin().listen().port()).isZero();
    }

    @Test
    void poolNumbersAndDurationsAreRangeChecked() {
        assertThat(problems(MINIMAL + """
                  new:
                    url: jdbc:postgresql://db/app
                    pool:
                      maxSize: 0
                      minIdle: 5
                      acquireTimeout: 0
                      idleTimeout: 1h
                      maxLifetime: 30m
                """)).containsExactly(
                "stores.new.pool.maxSize: 0 is too small (expected: at least 1)",
                "stores.new.pool.minIdle: 5 is out of range (expected: 0 to maxSize, 0)",
                "stores.new.pool.acquireTimeout: 0 is too short (expected: longer than 0)",
                "stores.new.pool.idleTimeout: 1h must be shorter than maxLifetime (30m), or connections are replaced"
                        + " for age before they ever count as idle");
    }

    @Test
    void limitsAreRangeChecked() {
        assertThat(problems(MINIMAL + """
                limits:
                  maxClientConnections: 0
                  maxMessageSize: 2GB
                """)).containsExactly(
                "limits.maxClientConnections: 0 is too small (expected: at least 1)",
                "limits.maxMessageSize: 2GB is out of range (expected: 1kB to 1GB)");
    }

    @Test
    void badScalarsNameTheKeyAndTheAcceptedForms() {
        assertThat(problems(MINIMAL + """
                listen: 6432
                limits:
                  maxClientConnections: many
                  maxMessageSize: 64
                  clientIdleTimeout: 30
                """)).containsExactly(
                "listen: '6432' has no host; expected host:port such as 127.0.0.1:6432",
                "limits.maxClientConnections: 'many' is not a whole number",
                "limits.maxMessageSize: '64' has no unit; sizes take B, kB, MB or GB (e.g. 64MB)",
                "limits.clientIdleTimeout: '30' has no unit; durations take ms, s, m or h (e.g. 500ms, 5s, 10m)");
    }

    @Test
    void reportsEveryProblemAtOnceInFileOrderWithLines() {
        ConfigException e = failure("""
                listen: 0.0.0.0:99999
                users:
                  - name: app
                    password: ${APP_PASSWORD}
                stores:
                  old:
                    url: jdbc:sqlite:app.db
                  new:
                    url: jdbc:postgresql://db/app
                    password: ${PG_PASSWORD}
                    pool:
                      mode: sesion
                      maxsize: 20
                """, Map.of());

        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "listen: '0.0.0.0:99999' has port 99999 out of range (expected: 0 to 65535)",
                "users[0].password: environment variable APP_PASSWORD is not set",
                "stores.new.password: environment variable PG_PASSWORD is not set",
                "stores.new.pool.mode: 'sesion' is not one of: session, transaction",
                "stores.new.pool.maxsize: unknown key (did you mean maxSize?); known keys here: mode, maxSize, minIdle,"
                        + " acquireTimeout, connectTimeout, idleTimeout, maxLifetime");
        assertThat(e.problems()).extracting(ConfigProblem::line).containsExactly(1, 4, 10, 12, 13);
        assertThat(e.source()).isEqualTo("test.yaml");
        assertThat(e.getMessage()).isEqualTo("""
                Invalid configuration in test.yaml (5 problems):
                  listen: '0.0.0.0:99999' has port 99999 out of range (expected: 0 to 65535) (line 1)
                  users[0].password: environment variable APP_PASSWORD is not set (line 4)
                  stores.new.password: environment variable PG_PASSWORD is not set (line 10)
                  stores.new.pool.mode: 'sesion' is not one of: session, transaction (line 12)
                  stores.new.pool.maxsize: unknown key (did you mean maxSize?); known keys here: mode, maxSize, \
                minIdle, acquireTimeout, connectTimeout, idleTimeout, maxLifetime (line 13)""");
    }

    @Test
    void ruleProblemsPointAtTheNearestLine() {
        ConfigException e = failure("""
                listen: 127.0.0.1:6432
                stores:
                  new:
                    url: jdbc:postgresql://db/app
                """, Map.of());

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("stores.old");
            assertThat(p.line()).isEqualTo(2);
        });
    }

    @Test
    void aValueThatFailedDoesNotAlsoFailTheRulesThatDependOnIt() {
        assertThat(problems("""
                stores:
                  old:
                    url: ${OLD_URL}
                """)).containsExactly("stores.old.url: environment variable OLD_URL is not set");
    }

    @Test
    void substitutesInsideLongerValuesWithDefaultsAndEscapes() {
        TandemConfig config = ConfigLoader.parse("""
                listen: ${LISTEN_HOST:-127.0.0.1}:${PORT}
                stores:
                  old:
                    url: jdbc:sqlite:${DATA:-/var/lib}/app.db
                  new:
                    url: jdbc:postgresql://${PGHOST}:5432/app
                    password: $${not-a-variable}$$x$
                """, Map.of("PORT", "7432", "PGHOST", "pg.internal"), "test.yaml");

        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 7432));
        assertThat(config.oldStore().url()).isEqualTo("jdbc:sqlite:/var/lib/app.db");
        assertThat(config.newStore().url()).isEqualTo("jdbc:postgresql://pg.internal:5432/app");
        assertThat(config.newStore().password()).isEqualTo("${not-a-variable}$$x$");
    }

    @Test
    void substitutionCannotInjectYamlStructure() {
        TandemConfig config = ConfigLoader.parse(MINIMAL + """
                  new:
                    url: jdbc:postgresql://db/app
                    password: ${PG_PASSWORD}
                """, Map.of("PG_PASSWORD", "x\n    user: evil\nlisten: 0.0.0.0:1"), "test.yaml");

        assertThat(config.newStore().password()).isEqualTo("x\n    user: evil\nlisten: 0.0.0.0:1");
        assertThat(config.newStore().user()).isNull();
        assertThat(config.listen()).isEqualTo(TandemConfig.DEFAULT_LISTEN);
    }

    @Test
    void substitutesNumbersDurationsAndEnums() {
        TandemConfig config = ConfigLoader.parse(MINIMAL + """
                  new:
                    url: jdbc:postgresql://db/app
                    pool:
                      mode: ${POOL_MODE}
                      maxSize: ${POOL_SIZE:-20}
                      acquireTimeout: ${ACQUIRE}
                """, Map.of("POOL_MODE", "transaction", "POOL_SIZE", "50", "ACQUIRE", "2s"), "test.yaml");

        assertThat(config.newStore().pool().mode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(config.newStore().pool().maxSize()).isEqualTo(50);
        assertThat(config.newStore().pool().acquireTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void scalarsKeepTheTextAsWritten() {
        TandemConfig config = parse(MINIMAL + """
                listen: 0.0.0.0:6432
                users:
                  - name: 007
                    password: 0123
                  - name: yes
                    password: 1e5
                """);

        assertThat(config.users()).containsExactly(new UserConfig("007", "0123"), new UserConfig("yes", "1e5"));
    }

    @Test
    void duplicateKeysAreAnError() {
        assertThat(problems(MINIMAL + """
                listen: 127.0.0.1:1
                listen: 127.0.0.1:2
                """)).containsExactly("listen: appears twice (first at line 4); keep one");
    }

    @Test
    void yamlAliasesAreAnError() {
        assertThat(problems(MINIMAL + """
                  new:
                    url: jdbc:postgresql://db/app
                    user: &u app
                    password: *u
                """)).containsExactly("stores.new.password: YAML aliases (*u) are not supported; write the value out");
    }

    @Test
    void aFileThatIsNotAMappingIsAnError() {
        assertThat(problems("- listen: 127.0.0.1:6432\n")).contains(
                "the file must be a mapping of keys (listen, stores, ...), but it holds a list");
    }

    @Test
    void aSecondYamlDocumentIsAnError() {
        assertThat(problems(MINIMAL + "---\nlisten: 127.0.0.1:1\n")).containsExactly(
                "the file holds more than one YAML document (a '---' line starts another); tandem reads one, so remove"
                        + " the others");
    }

    @Test
    void aYamlSyntaxErrorNamesTheFileAndLine() {
        ConfigException e = failure("""
                listen: 127.0.0.1:6432
                stores:
                  old:
                    url: jdbc:sqlite:app.db
                   new: x
                """, Map.of());

        assertThat(e.getMessage()).startsWith("YAML syntax error in test.yaml at line 5, column 4: ");
        assertThat(e.problems()).singleElement().extracting(ConfigProblem::line).isEqualTo(5);
    }

    @Test
    void anUnquotedValueWithAColonGetsAHint() {
        ConfigException e = failure("""
                stores:
                  old:
                    url: jdbc:sqlite::memory:
                """, Map.of());

        assertThat(e.getMessage()).isEqualTo("YAML syntax error in test.yaml at line 3, column 29: mapping values are"
                + " not allowed here; quote a value that contains ': ' or ends with ':'");
    }

    @Test
    void tabsForIndentationAreASyntaxErrorWithTheLine() {
        ConfigException e = failure("stores:\n\told: {}\n", Map.of());

        assertThat(e.getMessage()).startsWith("YAML syntax error in test.yaml at line 2, column 1: ")
                .contains("TAB");
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing, ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Cannot read configuration file " + missing + ": no such file (looked for " + missing + ")");
    }

    @Test
    void aDirectoryIsNotAConfigurationFile() {
        assertThatThrownBy(() -> ConfigLoader.load(dir, ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Cannot read configuration file " + dir + ": it is a directory, not a file");
    }

    @Test
    void aFileThatIsNotUtf8IsAnError() throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});

        assertThatThrownBy(() -> ConfigLoader.load(file, ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Cannot read configuration file " + file + ": it is not UTF-8 text");
    }

    @Test
    void toStringHidesPasswordsAndTokens() {
        TandemConfig config = ConfigLoader.parse("""
                admin:
                  token: admin-secret
                users:
                  - name: app
                    password: app-secret
                stores:
                  old:
                    url: jdbc:postgresql://db/legacy?user=u&password=url-secret
                    password: old-secret
                  new:
                    url: jdbc:postgresql://db/app
                    password: pg-secret
                """, Map.of(), "test.yaml");

        String text = config.toString();
        assertThat(text).doesNotContain("admin-secret", "app-secret", "url-secret", "old-secret", "pg-secret")
                .contains("token=***", "password=***", "name=app", "user=u&password=***");
    }

    private static TandemConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, ENV, "test.yaml");
    }

    private static List<String> problems(String yaml) {
        return failure(yaml, ENV).problems().stream().map(ConfigProblem::toString).toList();
    }

    private static ConfigException failure(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, env, "test.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e;
    }

    @Test
    void theMigrationSectionReadsTablesTimeoutsAndShares() {
        TandemConfig config = ConfigLoader.parse("""
                stores:
                  old:
                    url: jdbc:sqlite:/var/lib/app/app.db
                  new:
                    url: jdbc:postgresql://db/app
                migration:
                  tables: [users, content]
                  exclude: [sessions]
                  keyless: exclude
                  mirror:
                    timeout: 750ms
                  reads:
                    percent: 25
                  shadow:
                    sample: 0.2
                """, Map.of(), "tandem.yaml");
        MigrationConfig m = config.migration();
        assertThat(m.tables()).containsExactly("users", "content");
        assertThat(m.exclude()).containsExactly("sessions");
        assertThat(m.keyless()).isEqualTo(MigrationConfig.KeylessTables.EXCLUDE);
        assertThat(m.mirrorTimeout()).isEqualTo(java.time.Duration.ofMillis(750));
        assertThat(m.readPercent()).isEqualTo(25);
        assertThat(m.shadowSample()).isEqualTo(0.2);
    }

    @Test
    void migrationDefaultsToEveryTableTwoSecondsNoReadsAndAFivePercentShadow() {
        MigrationConfig m = ConfigLoader.parse(MINIMAL, Map.of(), "tandem.yaml").migration();
        assertThat(m.tables()).isEmpty();
        assertThat(m.keyless()).isEqualTo(MigrationConfig.KeylessTables.STATEMENT);
        assertThat(m.mirrorTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(m.readPercent()).isZero();
        assertThat(m.shadowSample()).isEqualTo(0.05);
    }

    @Test
    void badMigrationValuesAreNamedWithTheirRanges() {
        assertThat(problems("""
                stores:
                  old:
                    url: jdbc:sqlite:/var/lib/app/app.db
                  new:
                    url: jdbc:postgresql://db/app
                migration:
                  tables: [users]
                  exclude: [users]
                  reads:
                    percent: 120
                  shadow:
                    sample: 2
                  keyless: ignore
                """)).containsExactlyInAnyOrder(
                "migration.shadow.sample: 2 is out of range (expected: 0.0 to 1.0)",
                "migration.keyless: 'ignore' is not one of: statement, exclude",
                "migration.reads.percent: 120 is out of range (expected: 0 to 100)",
                "migration.exclude: 'users' is also listed in migration.tables; a table is mirrored or not");
    }

    @Test
    void aMigrationWithoutANewStoreIsAnError() {
        assertThat(problems(MINIMAL + """
                migration:
                  reads:
                    percent: 10
                """)).containsExactly("migration: is configured but stores.new is not; add the PostgreSQL store to migrate to");
    }

    @Test
    void theSchemaSectionReadsColumnTypeOverrides() {
        TandemConfig config = parse("""
                stores:
                  old:
                    url: jdbc:sqlite:/var/lib/app/app.db
                schema:
                  columns:
                    "users.created_at": timestamptz
                    content.price: numeric(12, 2)
                """);

        assertThat(config.schema().columns()).containsExactly(Map.entry("users.created_at", "timestamptz"),
                Map.entry("content.price", "numeric(12, 2)"));
        assertThat(parse(MINIMAL).schema().columns()).isEmpty();
    }

    @Test
    void aSchemaOverrideMustNameTableDotColumnAndAType() {
        assertThat(problems("""
                stores:
                  old:
                    url: jdbc:sqlite:/var/lib/app/app.db
                schema:
                  columns:
                    created_at: timestamptz
                    users.email:
                  colums: {}
                """)).containsExactlyInAnyOrder(
                "schema.columns.created_at: 'created_at' does not name a column as table.column (e.g. users.created_at)",
                "schema.columns.users.email: names no type; give a PostgreSQL type such as timestamptz, or remove the key",
                "schema.colums: unknown key (did you mean columns?); known keys here: columns");
        assertThat(problems("""
                stores:
                  old:
                    url: jdbc:sqlite:/var/lib/app/app.db
                schema:
                  columns: [users.created_at]
                """)).containsExactlyInAnyOrder("schema.columns: expected a mapping of table.column to a type, such as "
                + "{users.created_at: timestamptz}, found a list");
    }
}
