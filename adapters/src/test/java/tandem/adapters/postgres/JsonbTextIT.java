package tandem.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.core.type.JsonbText;

/** jsonb's text, as tandem writes it for a store that keeps JSON as written, against the server's own. */
@ExtendWith(PostgresExtension.class)
class JsonbTextIT {

    @Test
    void printsEveryDocumentAsTheServerPrintsItsJsonb(TestDatabase db) throws Exception {
        List<String> documents = new ArrayList<>(PgHashIT.JSON_EXAMPLES);
        documents.addAll(List.of("[\"\\u001f\\b\\f\\r\\t\\\\\"]", "{\"a\":{\"c\":1,\"b\":2},\"\":0}", "-0", "1.50e1",
                "1e-2", "-0.0", "0.000", "[1e0, 1.0E+0, 25E-1]"));
        Random random = new Random(23);
        for (int i = 0; i < 300; i++) {
            documents.add(PgHashIT.randomJson(random, 0));
        }
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb::text")) {
            for (String document : documents) {
                ps.setString(1, document);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(JsonbText.canonical(document)).as(document).isEqualTo(rs.getString(1));
                }
            }
        }
    }
}
