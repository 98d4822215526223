package tandem.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlsTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NONE", value = {
        "jdbc:postgresql://127.0.0.1:5432/app, app",
        "'jdbc:postgresql://h1:5432,h2:5432/app?targetServerType=primary', app",
        "jdbc:postgresql:app, app",
        "jdbc:postgresql://db/my%20db, my db",
        "jdbc:postgresql://db/, NONE",
        "jdbc:postgresql://db, NONE",
        "jdbc:sqlite:/var/lib/app/app.db, app",
        "jdbc:sqlite:app.sqlite3, app",
        "jdbc:sqlite:file:/data/d1.db?mode=ro, d1",
        "jdbc:sqlite:C:\\data\\shop.db, shop",
        "jdbc:sqlite:/data/noext, noext",
        "jdbc:sqlite::memory:, NONE",
        "jdbc:sqlite:, NONE",
        "jdbc:mysql://db/app, NONE",
    })
    void derivesTheDatabaseNameClientsConnectWith(String url, String expected) {
        assertThat(JdbcUrls.databaseName(url)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db/app?user=u&password=secret&ssl=true | jdbc:postgresql://db/app?user=u&password=***&ssl=true",
        "jdbc:postgresql://db/app?PASSWORD=secret | jdbc:postgresql://db/app?PASSWORD=***",
        "jdbc:sqlite:/var/lib/app.db | jdbc:sqlite:/var/lib/app.db",
    })
    void redactsPasswordParameters(String url, String expected) {
        assertThat(JdbcUrls.redact(url)).isEqualTo(expected);
    }
}
