package tandem.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;

@ExtendWith(PostgresExtension.class)
class PostgresExtensionIT {

    @Test
    void eachTestClassGetsAnEmptyDatabaseOfItsOwn(TestDatabase db) throws SQLException {
        try (var c = db.connect(); var rs = c.createStatement().executeQuery(
                "SELECT current_database(), count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(db.name()).startsWith("postgresextensionit_");
            assertThat(rs.getInt(2)).isZero();
        }
    }
}
