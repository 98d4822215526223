package tandem.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.core.verify.PgHash;

/**
 * tandem's copies of PostgreSQL's hash functions against the server's own, on edge values and
 * random ones: verification trusts a chunk whose fingerprints agree, so these must be exact.
 */
@ExtendWith(PostgresExtension.class)
class PgHashIT {

    /** Documents with the cases jsonb normalises: key order, duplicates, escapes, numbers, space. */
    static final List<String> JSON_EXAMPLES = List.of("{}", "[]", "null", "true", "false", "0", "-1.50", "\"x\"",
                "{\"a\": 1}", "{\"b\": 1, \"a\": 2}", "{\"bb\": 1, \"a\": 2, \"ab\": [1, 2, {}]}",
                "{\"a\": 1, \"a\": 2}", "[[], {}, [[]], {\"k\": {\"k\": null}}]", "[1, \"1\", 1.0, 10e-1]",
                "{\"page\": \"/items/12\", \"ref\": \"lorem ipsum\"}", "{\"é\": \"日本\", \"e\": \"🙂\"}",
                "  {\"x\" : [ true , false ]}  ", "[\"\\u00e9\\n\\\"\"]", "{\"n\": 1e300}",
                "[\"\\ud83d\\ude00\", \"a\\/b\\t\"]", "{\"\\u0061\": 1, \"a\": 2}", "[1E+2, -0.0e-0, 12345678901234567890,"
                + " 123456789012345678, 100000000, 0.5, 10000]");

    private static Connection c;

    @BeforeAll
    static void connect(TestDatabase db) throws SQLException {
        c = db.connect();
    }

    @AfterAll
    static void close() throws SQLException {
        c.close();
    }

    @Test
    void textHashesItsUtf8BytesAtEveryLength() throws SQLException {
        List<String> values = new ArrayList<>(List.of("", "a", "é", "日本語", "🙂 emoji", "user1@example.com"));
        Random random = new Random(3);
        for (int len = 0; len < 40; len++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < len; i++) {
                s.append((char) (random.nextBoolean() ? 'a' + random.nextInt(26) : 0xe0 + random.nextInt(0x700)));
            }
            values.add(s.toString());
        }
        agree("SELECT hashtext(?::text)", values, (ps, v) -> ps.setString(1, v), PgHash::text);
    }

    @Test
    void integersHashAlikeAtEveryWidth() throws SQLException {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, 42L, Long.MAX_VALUE, Long.MIN_VALUE,
                (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, 1L << 32, -(1L << 32), 4294967295L));
        Random random = new Random(5);
        for (int i = 0; i < 300; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        agree("SELECT hashint8(?)", values, (ps, v) -> ps.setLong(1, v), PgHash::int8);
        List<Long> small = values.stream().filter(v -> v == (int) (long) v).toList();
        agree("SELECT hashint4(?)", small, (ps, v) -> ps.setInt(1, (int) (long) v), v -> PgHash.int8(v));
    }

    @Test
    void extendedIntegerHashesChainUnderA64BitSeed() throws SQLException {
        Random random = new Random(17);
        List<String> wrong = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT hashint8extended(?, ?)")) {
            for (int i = 0; i < 400; i++) {
                long v = i < 4 ? new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE}[i] : random.nextLong() >> random.nextInt(64);
                long seed = i % 3 == 0 ? 0 : random.nextLong();
                ps.setLong(1, v);
                ps.setLong(2, seed);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != PgHash.int8Extended(v, seed)) {
                        wrong.add(v + " seed " + seed + ": server " + rs.getLong(1) + ", tandem " + PgHash.int8Extended(v, seed));
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void float8HashesItsBitsWithZerosAndNaNsAlike() throws SQLException {
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.5, 1e308, 5e-324, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2));
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            values.add(Double.isNaN(d) ? random.nextDouble() : d);
        }
        agree("SELECT hashfloat8(?)", values, (ps, v) -> ps.setDouble(1, v), PgHash::float8);
    }

    @Test
    void numericHashesItsDigitsAndWeight() throws SQLException {
        List<String> values = new ArrayList<>(List.of("0", "-0", "0.000", "1", "-1", "10000", "10000.0000", "1e20",
                "0.0001", "0.00012", "12345.6789", "-98765432109876543210.123456789", "1.5", "100", "1e-30",
                "99999999", "123456789012345678901234567890"));
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            BigDecimal d = new BigDecimal(new java.math.BigInteger(random.nextInt(120) + 1, random), random.nextInt(40) - 10);
            values.add(d.toString());
        }
        agree("SELECT hash_numeric(?::numeric)", values, (ps, v) -> ps.setString(1, v), v -> PgHash.numeric(new BigDecimal(v)));
    }

    @Test
    void jsonbHashesAsTheServerStoresTheDocument() throws SQLException {
        List<String> values = new ArrayList<>(JSON_EXAMPLES);
        Random random = new Random(13);
        for (int i = 0; i < 300; i++) {
            values.add(randomJson(random, 0));
        }
        agree("SELECT jsonb_hash(?::jsonb)", values, (ps, v) -> ps.setString(1, v), PgHash::jsonb);
    }

    static String randomJson(Random r, int depth) {
        int kind = depth > 3 ? r.nextInt(4) : r.nextInt(6);
        return switch (kind) {
            case 0 -> "\"" + "abcé🙂".substring(0, r.nextInt(4)) + r.nextInt(100) + "\"";
            case 1 -> new BigDecimal(r.nextInt(2_000_000) - 1_000_000).movePointLeft(r.nextInt(8)).toPlainString();
            case 2 -> r.nextBoolean() ? "true" : "null";
            case 3 -> "false";
            case 4 -> {
                StringBuilder s = new StringBuilder("[");
                for (int i = r.nextInt(4); i > 0; i--) {
                    s.append(randomJson(r, depth + 1)).append(i > 1 ? "," : "");
                }
                yield s.append(']').toString();
            }
            default -> {
                StringBuilder s = new StringBuilder("{");
                for (int i = r.nextInt(5); i > 0; i--) {
                    s.append('"').append("kab".repeat(r.nextInt(3))).append((char) ('a' + r.nextInt(3))).append("\":")
                            .append(randomJson(r, depth + 1)).append(i > 1 ? "," : "");
                }
                yield s.append('}').toString();
            }
        };
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T value) throws SQLException;
    }

    private static <T> void agree(String sql, List<T> values, Binder<T> binder, Function<T, Integer> ours)
            throws SQLException {
        List<String> wrong = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T v : values) {
                binder.bind(ps, v);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    int server = rs.getInt(1);
                    int mine = ours.apply(v);
                    if (server != mine) {
                        wrong.add(v + ": server " + server + ", tandem " + mine);
                    }
                }
            }
        }
        assertThat(wrong).as(sql).isEmpty();
        assertThat(values).isNotEmpty();
    }
}
