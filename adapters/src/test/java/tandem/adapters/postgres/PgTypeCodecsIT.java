package tandem.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.TestDatabase;
import tandem.core.error.ProxyException;
import tandem.core.type.PgSessionSettings;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;

/**
 * tandem's codecs against a real PostgreSQL: for each value PostgreSQL prints (its output function,
 * as {@code v::text}) and sends (its send function, fetched as bytea), tandem must read the text,
 * print the same text, write the same bytes, and read those bytes back to the same value. Input
 * that clients send is checked by asking PostgreSQL to read it and print it again.
 */
@ExtendWith(PostgresExtension.class)
class PgTypeCodecsIT {

    private static final HexFormat HEX = HexFormat.of();
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
    void float8AgreesOnEdgeValuesAndRandomBitPatterns() throws SQLException {
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 0.1, 0.1 + 0.2, 1e15, 1e16, 1e14,
                123456789012345.0, 999999999999999.0, 1e-4, 1e-5, 0.00012345, 1.5e-7, 1e20, 1e21, 1e22, 1e23,
                123456789012345680.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL,
                2 * Double.MIN_VALUE, 3 * Double.MIN_VALUE, 9007199254740993.0, 4.35, 2.5e-323, 1e308, 1e-308,
                1.7976931348623157e308, 5e-324, 0.3, 100.0, 1234567.0, 12345678.9, Math.PI, Math.E,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        Random random = new Random(18);
        for (int i = 0; i < 4000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            values.add(Double.isNaN(d) ? random.nextDouble() : d);
        }
        for (int i = 0; i < 1000; i++) {
            // short decimals in and around the fixed/scientific switch-over
            values.add(Double.parseDouble(random.nextInt(100000) + "e" + (random.nextInt(40) - 20)));
        }
        String literal = floatArray(values);
        for (int extra : new int[] {1, 0, -3, 3, -15}) {
            PgSessionSettings s = PgSessionSettings.DEFAULT.with("extra_float_digits", Integer.toString(extra));
            execute("SET extra_float_digits = " + extra);
            agree(PgType.FLOAT8, "SELECT v::text, float8send(v) FROM unnest('" + literal + "'::float8[]) v", s);
        }
        execute("RESET extra_float_digits");
    }

    @Test
    void float4AgreesOnEdgeValuesAndRandomBitPatterns() throws SQLException {
        List<Double> values = new ArrayList<>(List.of(0.0, 1.0, 0.1, 1e5, 1e6, 1e-4, 1e-5, 123456.0, 1234567.0,
                3.4028235e38, 1.4e-45, 1.17549435e-38, 16777217.0, 0.3));
        Random random = new Random(4);
        for (int i = 0; i < 3000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            values.add(Float.isNaN(f) ? 0.5 : (double) f);
        }
        List<String> texts = new ArrayList<>();
        for (double d : values) {
            texts.add(Float.toString((float) d));
        }
        texts.addAll(List.of("NaN", "Infinity", "-Infinity", "-0"));
        String literal = "{" + String.join(",", texts) + "}";
        for (int extra : new int[] {1, 0, -2}) {
            PgSessionSettings s = PgSessionSettings.DEFAULT.with("extra_float_digits", Integer.toString(extra));
            execute("SET extra_float_digits = " + extra);
            agree(PgType.FLOAT4, "SELECT v::text, float4send(v) FROM unnest('" + literal + "'::float4[]) v", s);
        }
        execute("RESET extra_float_digits");
    }

    @Test
    void numericAgreesOnScaleWeightSignAndSpecialValues() throws SQLException {
        String values = String.join(",", List.of("0", "0.000", "1", "-1", "1.5000", "-12345678.9", "10000",
                "0.0001", "0.00001", "-0.00001", "9999.9999", "99999999", "100000000", "1e100", "-1e-100",
                "123456789012345678901234567890.123456789012345678901234567890", "0.1", "1.10", "3.14159265358979",
                "1e-20", "12.3400", "1000000000000000000000", "0.000000000000000000000000000000000000001",
                "'NaN'", "'Infinity'", "'-Infinity'", "2147483648", "-9223372036854775809", "5e-7",
                "1.000000000000000000000000000001"));
        agree(PgType.NUMERIC, "SELECT v::text, numeric_send(v) FROM unnest(ARRAY[" + values + "]::numeric[]) v");
        agree(PgType.NUMERIC, "SELECT v::text, numeric_send(v) FROM (SELECT round((random() - 0.5)::numeric * "
                + "10::numeric ^ (random() * 60 - 30)::int, (random() * 40)::int) v FROM generate_series(1, 2000)) t");
    }

    @Test
    void integersBooleansAndOidsAgree() throws SQLException {
        agree(PgType.INT2, "SELECT v::text, int2send(v) FROM unnest(ARRAY[0, 1, -1, 32767, -32768]::int2[]) v");
        agree(PgType.INT4, "SELECT v::text, int4send(v) FROM unnest(ARRAY[0, 42, -42, 2147483647, -2147483648]) v");
        agree(PgType.INT8, "SELECT v::text, int8send(v) FROM unnest(ARRAY[0, 9223372036854775807, "
                + "-9223372036854775808, 1234567890123]::int8[]) v");
        agree(PgType.BOOL, "SELECT textin(boolout(v)), boolsend(v) FROM unnest(ARRAY[true, false]) v");
        agree(PgType.OID, "SELECT v::text, oidsend(v) FROM unnest(ARRAY[0, 26, 4294967295]::oid[]) v");
    }

    @Test
    void datesAgreeIncludingBcAndInfinity() throws SQLException {
        agree(PgType.DATE, "SELECT v::text, date_send(v) FROM unnest(ARRAY['2024-01-15', '2000-01-01', "
                + "'1999-12-31', '1970-01-01', '0001-01-01', '0001-12-31 BC', '0044-03-15 BC', '4714-11-24 BC', "
                + "'5874897-12-31', '2024-02-29', '1600-02-29', 'infinity', '-infinity', '10000-01-01']::date[]) v");
        agree(PgType.DATE, "SELECT v::text, date_send(v) FROM (SELECT '4000-01-01 BC'::date + (random() * 4000000)::int v "
                + "FROM generate_series(1, 1000)) t");
    }

    @Test
    void timesAgree() throws SQLException {
        agree(PgType.TIME, "SELECT v::text, time_send(v) FROM unnest(ARRAY['00:00', '24:00', '12:34:56.789', "
                + "'23:59:59.999999', '10:30:00.5', '00:00:00.000001', '10:30:00.12']::time[]) v");
    }

    @Test
    void timestampsAgreeBeforeTwoThousandWithMicrosecondsAndBc() throws SQLException {
        agree(PgType.TIMESTAMP, "SELECT v::text, timestamp_send(v) FROM unnest(ARRAY['2024-01-15 10:30:00', "
                + "'1999-12-31 23:59:59.999999', '2000-01-01 00:00:00', '1970-01-01 00:00:00.000001', "
                + "'1900-02-28 12:00:00.123', '0044-03-15 10:30:00 BC', '4714-11-24 00:00:00 BC', "
                + "'294276-12-31 23:59:59.999999', 'infinity', '-infinity', '2024-01-15 10:30:00.120']::timestamp[]) v");
        agree(PgType.TIMESTAMP, "SELECT v::text, timestamp_send(v) FROM (SELECT '1500-01-01'::timestamp + "
                + "random() * interval '700 years' v FROM generate_series(1, 1000)) t");
    }

    @Test
    void timestamptzPrintsInTheSessionZoneWithHalfHourAndHistoricOffsets() throws SQLException {
        for (String zone : List.of("UTC", "Asia/Kolkata", "America/St_Johns", "America/Sao_Paulo", "Asia/Kathmandu",
                "Australia/Lord_Howe", "Europe/Amsterdam", "America/New_York", "Pacific/Chatham", "+05:30", "-3",
                "5.5", "Etc/GMT+5", "utc")) {
            execute("SET TimeZone = '" + zone + "'");
            PgSessionSettings s = PgSessionSettings.DEFAULT.with("TimeZone", zone);
            agree(PgType.TIMESTAMPTZ, "SELECT v::text, timestamptz_send(v) FROM unnest(ARRAY["
                    + "'2024-01-15 10:30:00+00', '2024-07-15 10:30:00.5+00', '1999-12-31 23:59:59.999999+00', "
                    + "'1900-01-01 00:00:00+00', '1850-06-01 12:00:00+00', '0044-03-15 10:30:00+00 BC', "
                    + "'2100-06-01 00:00:00+00', 'infinity', '-infinity']::timestamptz[]) v", s);
            agree(PgType.TIMESTAMPTZ, "SELECT v::text, timestamptz_send(v) FROM (SELECT '1800-01-01'::timestamptz + "
                    + "random() * interval '350 years' v FROM generate_series(1, 300)) t", s);
        }
        execute("RESET TimeZone");
    }

    @Test
    void textLikeTypesUuidByteaCharAndJsonAgree() throws SQLException {
        agree(PgType.TEXT, "SELECT v, textsend(v) FROM unnest(ARRAY['', 'plain', 'ünïcödé ✓ 🎉', 'quote''s', "
                + "E'tab\\tnew\\nline', 'back\\slash']) v");
        agree(PgType.VARCHAR, "SELECT v::text, varcharsend(v) FROM unnest(ARRAY['a', 'b c']::varchar[]) v");
        agree(PgType.BPCHAR, "SELECT textin(bpcharout(v)), bpcharsend(v) FROM unnest(ARRAY['ab', 'abcde']::char(5)[]) v");
        agree(PgType.NAME, "SELECT v::text, namesend(v) FROM unnest(ARRAY['pg_class', 'Mixed Case']::name[]) v");
        agree(PgType.UUID, "SELECT v::text, uuid_send(v) FROM unnest(ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
                + "'00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF']::uuid[]) v");
        agree(PgType.UUID, "SELECT v::text, uuid_send(v) FROM (SELECT gen_random_uuid() v FROM generate_series(1, 50)) t");
        agree(PgType.CHAR, "SELECT v::text, charsend(v) FROM unnest(ARRAY['a', '', E'\\\\351', 'Z']::\"char\"[]) v");
        agree(PgType.JSON, "SELECT v::text, json_send(v) FROM unnest(ARRAY['{\"b\":1,  \"a\":[1,2]}', 'null']::json[]) v");
        agree(PgType.JSONB, "SELECT v::text, jsonb_send(v) FROM unnest(ARRAY['{\"a\": [1, 2], \"b\": 1}', "
                + "'\"ünï\"', '[]']::jsonb[]) v");
        String bytea = "SELECT v::text, byteasend(v) FROM unnest(ARRAY['\\x', '\\x000102ff', '\\x5c22616263', "
                + "'\\x7e7f80']::bytea[]) v";
        agree(PgType.BYTEA, bytea);
        execute("SET bytea_output = escape");
        agree(PgType.BYTEA, bytea, PgSessionSettings.DEFAULT.with("bytea_output", "escape"));
        execute("RESET bytea_output");
    }

    @Test
    void binaryIntervalsReadAsPostgresPrintsThem() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v::text, interval_send(v) "
                + "FROM unnest(ARRAY['1 year 2 mons 3 days 04:05:06.5', '-1 year -2 mons +3 days -04:05:06', '0', "
                + "'-00:00:00.000001', '100 hours', '1 mon -1 day', '-1 days +02:00', '1 day', '-2 years']::interval[]) v")) {
            while (rs.next()) {
                assertThat(PgValues.decodeBinary(PgType.INTERVAL, rs.getBytes(2))).isEqualTo(rs.getString(1));
            }
        }
    }

    @Test
    void arraysAgreeWithQuotingNullsAndTwoDimensions() throws SQLException {
        agree(PgType.INT4_ARRAY, "SELECT v::text, array_send(v) FROM unnest(ARRAY['{1,2,NULL}', '{}', "
                + "'{{1,2},{3,4}}', '{-2147483648}']::text[]) t(x), LATERAL (SELECT x::int4[] v) l");
        agree(PgType.TEXT_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY['', 'NULL', 'null', 'a b', "
                + "'a\"b', E'a\\\\b', 'x,y', '{', '}', 'plain', NULL, E'tab\\t', 'ünï'])) t(v)");
        agree(PgType.VARCHAR_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY['a', 'b c']::varchar[])) t(v)");
        agree(PgType.INT8_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY[1, NULL, 9223372036854775807]::int8[])) t(v)");
        agree(PgType.FLOAT8_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY[1.5, 'NaN', '-Infinity', 1e20, 0.1]::float8[])) t(v)");
        agree(PgType.BOOL_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY[true, false, NULL])) t(v)");
        agree(PgType.UUID_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY[gen_random_uuid(), NULL])) t(v)");
        agree(PgType.NUMERIC_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY[1.50, -0.001, 'NaN']::numeric[])) t(v)");
        agree(PgType.TIMESTAMP_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY['2024-01-15 10:30:00', "
                + "'0044-03-15 10:30:00 BC', 'infinity']::timestamp[])) t(v)");
        agree(PgType.DATE_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY['2024-01-15', '2024-01-16']::date[])) t(v)");
        agree(PgType.BYTEA_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY['\\x0a0b', '\\x']::bytea[])) t(v)");
        agree(PgType.JSONB_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES (ARRAY['{\"a\": 1}', '[1, \"x y\"]']::jsonb[])) t(v)");
        agree(PgType.INT2_ARRAY, "SELECT v::text, array_send(v) FROM (VALUES ('{{{1},{2}},{{3},{4}}}'::int2[])) t(v)");
    }

    @Test
    void textInputClientsSendReadsAsPostgresReadsIt() throws SQLException {
        sameReading(PgType.BOOL, "bool", "t", "TRUE", " yes ", "on", "1", "f", "False", "no", "OFF", "0", "tr", "n");
        sameReading(PgType.INT4, "int4", "  42  ", "-0", "+7", "1_000", "0x1F", "0o17", "0b101", "-2147483648");
        sameReading(PgType.INT8, "int8", "9223372036854775807", "-9223372036854775808", " 12 ");
        sameReading(PgType.INT2, "int2", "-32768", "32767");
        sameReading(PgType.FLOAT8, "float8", "Infinity", "-inf", "NaN", "nan", " 1.5 ", "1e-310", "-0", ".5", "5.", "0x10", "0x1.8p1", "-0X1P-2",
                "1E+2", "0.1", "4.9e-324", "1.7976931348623157e308");
        sameReading(PgType.FLOAT4, "float4", "3.4028235e38", "1e-45", "0.1", "inf");
        sameReading(PgType.NUMERIC, "numeric", " 1.50 ", "-0.00", "1e5", "1.5e-3", "1.50e2", "NaN", "-Infinity", "inf",
                ".5", "5.", "1_000.000_1", "0x1F", "+3", "1E+3");
        sameReading(PgType.UUID, "uuid", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
                "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11");
        sameReading(PgType.BYTEA, "bytea", "\\x0A0b", "\\x 0a 0b", "abc", "a\\\\b", "\\001\\377", "");
        sameReading(PgType.DATE, "date", "2024-01-15", " 2024-1-5 ", "01/15/2024", "1/2/24", "1/2/70", "20240115",
                "2024-01-15 10:30:00", "2024-01-15T10:30:00Z", "0044-03-15 BC", "infinity", "-infinity", "epoch",
                "2024-01-15 +02", "2024-02-29");
        sameReading(PgType.TIME, "time", "10:30", "10:30:00", "10:30:00.5", "24:00:00", "10:30:00.1234565",
                "23:59:59.9999999", "10:30:00+05", "2024-01-15 10:30", "1:02:03");
        sameReading(PgType.TIMESTAMP, "timestamp", "2024-01-15 10:30:00", "2024-01-15T10:30:00", "2024-01-15",
                "2024-01-15 10:30:00.123456789", "2024-01-15 10:30:00+05:30", "2024-01-15T10:30:00Z",
                "0044-03-15 10:30:00 BC", "infinity", "epoch", "2024-01-15 10:30:60", "2024-01-15 24:00",
                // the plain form, which has a parser of its own
                "2024-02-29 23:59:59", "2024-01-15 10:30:00.5", "2024-01-15T10:30:00.123456", "0001-01-01 00:00:00",
                "9999-12-31 23:59:59.999999", "2024-01-15 10:30:00.1234565", "1999-12-31 23:59:59.000001");
        for (String zone : List.of("UTC", "America/New_York", "Asia/Kolkata")) {
            execute("SET TimeZone = '" + zone + "'");
            PgSessionSettings s = PgSessionSettings.DEFAULT.with("TimeZone", zone);
            sameReading(PgType.TIMESTAMPTZ, "timestamptz", s, "2024-01-15 10:30:00", "2024-01-15 10:30:00+00",
                    "2024-01-15T10:30:00Z", "2024-01-15 10:30:00+05:30", "2024-01-15 10:30:00-03",
                    "2024-01-15 10:30:00 +0530", "2024-01-15 10:30:00.123456-08:00", "2018-11-04 01:30",
                    "2024-03-10 02:30", "2024-11-03 01:30:00", "2024-01-15 10:30 Europe/Paris",
                    "2024-01-15 10:30:00 UTC", "0044-03-15 10:30:00+00 BC", "infinity", "1850-01-01 00:00");
        }
        execute("RESET TimeZone");
        sameReading(PgType.INT4_ARRAY, "int4[]", "{1,2,3}", " { 1 , NULL , 3 } ", "{}", "{{1,2},{3,4}}", "[1:2]={5,6}");
        sameReading(PgType.TEXT_ARRAY, "text[]", "{a,\"b c\",\"\",NULL,\"NULL\",\\\\x, a\\,b ,\"q\\\"\"}", "{  x  y  }");
        sameReading(PgType.BOOL_ARRAY, "bool[]", "{t,f,yes}");
    }

    @Test
    void inputPostgresRejectsIsRejectedWithTheSameSqlState() throws SQLException {
        sameRejection(PgType.INT4, "int4", "2147483648", "abc", "", "1.5", "1__0", "_1", " ", "12a");
        sameRejection(PgType.INT2, "int2", "32768");
        sameRejection(PgType.INT8, "int8", "9223372036854775808");
        sameRejection(PgType.FLOAT8, "float8", "1e400", "1e-400", "abc", "1d", "0x", "1f", "0x1g");
        sameRejection(PgType.FLOAT4, "float4", "1e39", "1e-46");
        sameRejection(PgType.NUMERIC, "numeric", "abc", "1e", "1..2", "--1");
        sameRejection(PgType.BOOL, "bool", "o", "maybe", "2");
        sameRejection(PgType.UUID, "uuid", "xyz", " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1");
        sameRejection(PgType.DATE, "date", "2024-02-30", "0000-01-01", "4714-11-23 BC", "2024-13-01", "hello");
        sameRejection(PgType.TIME, "time", "24:00:01", "25:00", "10:60");
        sameRejection(PgType.TIMESTAMP, "timestamp", "2024-01-15 25:00", "294277-01-01 00:00", "2023-02-29 10:00:00",
                "2024-04-31 00:00:00", "0000-01-01 00:00:00", "2024-01-15 10:30:61", "2024-01-15 10:60:00",
                "2024-1a-15 10:30:00");
        sameRejection(PgType.TIMESTAMPTZ, "timestamptz", "2024-01-15 10:30:00+16");
        sameRejection(PgType.BYTEA, "bytea", "\\x0", "\\xzz", "a\\b");
        sameRejection(PgType.INT4_ARRAY, "int4[]", "{1,2", "{{1},{2,3}}", "1,2", "{1}}");
    }

    // ---------------------------------------------------------------- helpers

    private static void agree(PgType type, String query) throws SQLException {
        agree(type, query, PgSessionSettings.DEFAULT);
    }

    /**
     * Each row is PostgreSQL's text and send output for one value. tandem must print the value it
     * reads from the bytes as that text, write the same bytes back, and (where the text is exact,
     * which it is but for floats with extra_float_digits <= 0) read the text to the same bytes.
     */
    private static void agree(PgType type, String query, PgSessionSettings s) throws SQLException {
        boolean exactText = !(type == PgType.FLOAT4 || type == PgType.FLOAT8) || s.extraFloatDigits() > 0;
        int rows = 0;
        List<String> failures = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                rows++;
                String text = rs.getString(1);
                byte[] send = rs.getBytes(2);
                if (text == null) {
                    continue;
                }
                try {
                    Object fromBinary = PgValues.decodeBinary(type, send);
                    String printed = utf8(PgValues.encodeText(type, fromBinary, s));
                    String sent = HEX.formatHex(PgValues.encodeBinary(type, fromBinary, s));
                    String sentFromText = exactText
                            ? HEX.formatHex(PgValues.encodeBinary(type, PgValues.decodeText(type, text, s), s))
                            : HEX.formatHex(send);
                    if (!printed.equals(text) || !sent.equals(HEX.formatHex(send)) || !sentFromText.equals(sent)) {
                        failures.add(text + ": tandem printed " + printed + "; send " + HEX.formatHex(send)
                                + ", tandem " + sent + ", from text " + sentFromText);
                    }
                } catch (ProxyException e) {
                    failures.add(text + ": " + e);
                }
            }
        }
        assertThat(rows).as("rows from %s", query).isPositive();
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + rows + " " + type + " values differ from PostgreSQL, e.g.\n"
                    + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        }
    }

    private static String utf8(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void sameReading(PgType type, String cast, String... inputs) throws SQLException {
        sameReading(type, cast, PgSessionSettings.DEFAULT, inputs);
    }

    /** PostgreSQL reads each input and prints it; tandem must read it to a value that prints the same. */
    private static void sameReading(PgType type, String cast, PgSessionSettings s, String... inputs) throws SQLException {
        List<String> failures = new ArrayList<>();
        // boolean's cast to text says true/false; its output function, which clients see, says t/f
        String sql = cast.equals("bool") ? "SELECT textin(boolout(?::bool))" : "SELECT ?::" + cast + "::text";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String input : inputs) {
                ps.setString(1, input);
                String expected;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    expected = rs.getString(1);
                }
                try {
                    Object value = PgValues.decodeText(type, input.getBytes(java.nio.charset.StandardCharsets.UTF_8), s);
                    String printed = new String(PgValues.encodeText(type, value, s), java.nio.charset.StandardCharsets.UTF_8);
                    if (!printed.equals(expected)) {
                        failures.add("'" + input + "': PostgreSQL " + expected + ", tandem " + printed);
                    }
                } catch (ProxyException e) {
                    failures.add("'" + input + "': PostgreSQL " + expected + ", tandem " + e);
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(type + " input read differently:\n" + String.join("\n", failures));
        }
    }

    private static void sameRejection(PgType type, String cast, String... inputs) throws SQLException {
        List<String> failures = new ArrayList<>();
        for (String input : inputs) {
            String expected;
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::" + cast + "::text")) {
                ps.setString(1, input);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    failures.add("'" + input + "': PostgreSQL accepted it as " + rs.getString(1));
                    continue;
                }
            } catch (SQLException e) {
                expected = e.getSQLState();
            }
            try {
                Object v = PgValues.decodeText(type, input.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        PgSessionSettings.DEFAULT);
                failures.add("'" + input + "': PostgreSQL " + expected + ", tandem accepted " + v);
            } catch (ProxyException e) {
                if (!e.state().code().equals(expected)) {
                    failures.add("'" + input + "': PostgreSQL " + expected + ", tandem " + e);
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(type + " input rejected differently:\n" + String.join("\n", failures));
        }
    }

    private static String floatArray(List<Double> values) {
        StringBuilder sb = new StringBuilder("{");
        for (double d : values) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : Double.toString(d));
        }
        return sb.append('}').toString();
    }

    private static void execute(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
