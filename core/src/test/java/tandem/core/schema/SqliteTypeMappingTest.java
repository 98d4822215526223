package tandem.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tandem.core.mirror.Column;
import tandem.core.type.PgType;

class SqliteTypeMappingTest {

    static final ColumnValues CLEAN = new ColumnValues(3, Set.of("text"), 0, 0, null);

    static String type(PgType valueType, String declared, ColumnValues values) {
        return SqliteTypeMapping.map("t", new Column("c", valueType, declared, true), values, null).type().sql();
    }

    @Test
    void declaredTypesMapAsDocumented() {
        assertThat(type(PgType.INT8, "INTEGER", CLEAN)).isEqualTo("bigint");
        assertThat(type(PgType.INT2, "SMALLINT", CLEAN)).as("SQLite never enforced 16 bits").isEqualTo("bigint");
        assertThat(type(PgType.FLOAT8, "REAL", CLEAN)).isEqualTo("double precision");
        assertThat(type(PgType.NUMERIC, "NUMERIC(12, 2)", CLEAN)).isEqualTo("numeric(12,2)");
        assertThat(type(PgType.NUMERIC, "DECIMAL", CLEAN)).isEqualTo("numeric");
        assertThat(type(PgType.VARCHAR, "VARCHAR(20)", CLEAN)).as("SQLite never enforced the length").isEqualTo("text");
        assertThat(type(PgType.BYTEA, "BLOB", CLEAN)).isEqualTo("bytea");
        assertThat(type(PgType.BOOL, "BOOLEAN", CLEAN)).isEqualTo("boolean");
        assertThat(type(PgType.TIMESTAMP, "DATETIME", CLEAN)).isEqualTo("timestamp with time zone");
        assertThat(type(PgType.JSON, "JSON", CLEAN)).isEqualTo("jsonb");
        assertThat(type(PgType.DATE, "DATE", CLEAN)).isEqualTo("date");
    }

    @Test
    void timestampsAndJsonStayTextWhenSomeValueDoesNotParse() {
        ColumnValues oneBad = new ColumnValues(3, Set.of("text"), 0, 1, "'soon'");
        SqliteTypeMapping.Mapped json = SqliteTypeMapping.map("t", new Column("doc", PgType.JSON, "JSON", true), oneBad,
                null);
        assertThat(json.type().sql()).isEqualTo("text");
        assertThat(json.warning()).contains("t.doc", "stays text", "1 of its 3 values", "'soon'");

        ColumnValues unreadable = new ColumnValues(3, Set.of("text", "integer"), 1, 0, "'1700000000'");
        SqliteTypeMapping.Mapped at = SqliteTypeMapping.map("t", new Column("at", PgType.TIMESTAMP, "TIMESTAMP", true),
                unreadable, null);
        assertThat(at.type().sql()).isEqualTo("text");
        assertThat(at.warning()).contains("refuse those rows");
    }

    @Test
    void anUndeclaredColumnIsTypedByItsValues() {
        assertThat(type(PgType.UNKNOWN, "", new ColumnValues(2, Set.of("integer"), 0, 0, null))).isEqualTo("bigint");
        assertThat(type(PgType.UNKNOWN, "", new ColumnValues(2, Set.of("integer", "real"), 0, 0, null)))
                .isEqualTo("double precision");
        assertThat(type(PgType.UNKNOWN, "", new ColumnValues(2, Set.of("blob"), 0, 0, null))).isEqualTo("bytea");
        assertThat(SqliteTypeMapping.map("t", new Column("c", PgType.UNKNOWN, "", true),
                new ColumnValues(2, Set.of("blob", "text"), 0, 0, null), null).warning()).contains("BLOBs");
    }

    @Test
    void anOverrideWinsWhenTheMirrorConvertsToIt() {
        Column created = new Column("created_at", PgType.TEXT, "TEXT", true);
        PostgresTypeName tz = PostgresTypeName.parse("timestamptz");
        assertThat(SqliteTypeMapping.overrideProblem(created, tz)).isNull();
        assertThat(SqliteTypeMapping.map("t", created, CLEAN, tz).type().sql()).isEqualTo("timestamp with time zone");
        assertThat(SqliteTypeMapping.overrideProblem(new Column("n", PgType.INT8, "INTEGER", true), tz))
                .contains("cannot convert");
    }

    @Test
    void typeNamesReadEveryCommonSpelling() {
        assertThat(PostgresTypeName.parse("VARCHAR(255)").sql()).isEqualTo("character varying(255)");
        assertThat(PostgresTypeName.parse("timestamptz").sql()).isEqualTo("timestamp with time zone");
        assertThat(PostgresTypeName.parse("timestamp(3) with time zone").sql()).isEqualTo("timestamp(3) with time zone");
        assertThat(PostgresTypeName.parse("decimal(10, 2)").sql()).isEqualTo("numeric(10,2)");
        assertThat(PostgresTypeName.parse("int").sql()).isEqualTo("integer");
        assertThat(PostgresTypeName.parse("float8").sql()).isEqualTo("double precision");
        assertThatThrownBy(() -> PostgresTypeName.parse("inet")).hasMessageContaining("not a type tandem copies");
    }

    @Test
    void widerTypesHoldNarrowerOnes() {
        assertThat(TypeWidth.why(PostgresTypeName.parse("bigint"), PostgresTypeName.parse("integer"))).isNull();
        assertThat(TypeWidth.why(PostgresTypeName.parse("numeric"), PostgresTypeName.parse("bigint"))).isNull();
        assertThat(TypeWidth.why(PostgresTypeName.parse("numeric(12,2)"), PostgresTypeName.parse("numeric(10,2)")))
                .isNull();
        assertThat(TypeWidth.why(PostgresTypeName.parse("numeric(10,3)"), PostgresTypeName.parse("numeric(10,2)")))
                .startsWith("narrower");
        assertThat(TypeWidth.why(PostgresTypeName.parse("integer"), PostgresTypeName.parse("bigint")))
                .startsWith("narrower");
        assertThat(TypeWidth.why(PostgresTypeName.parse("real"), PostgresTypeName.parse("double precision")))
                .startsWith("narrower");
        assertThat(TypeWidth.why(PostgresTypeName.parse("text"), PostgresTypeName.parse("varchar(20)"))).isNull();
        assertThat(TypeWidth.why(PostgresTypeName.parse("uuid"), PostgresTypeName.parse("text")))
                .startsWith("another kind");
        assertThat(TypeWidth.why(PostgresTypeName.parse("timestamp"), PostgresTypeName.parse("timestamptz"))).isNull();
    }

    @Test
    void checksCarryOverVerbatimUnlessTheyUseSqliteOnlySyntax() {
        Map<String, SqliteExpressions.PgTypeKind> columns = Map.of("price", SqliteExpressions.PgTypeKind.OTHER,
                "active", SqliteExpressions.PgTypeKind.BOOLEAN, "name", SqliteExpressions.PgTypeKind.OTHER);
        assertThat(SqliteExpressions.toPostgres("price >= 0 AND name <> ''", columns).sql())
                .isEqualTo("price >= 0 AND name <> ''");
        assertThat(SqliteExpressions.toPostgres("price == 0", columns).sql()).isEqualTo("price = 0");
        assertThat(SqliteExpressions.toPostgres("typeof(price) = 'real'", columns).problem()).contains("typeof()");
        assertThat(SqliteExpressions.toPostgres("name GLOB '[a-z]*'", columns).problem()).contains("GLOB");
        assertThat(SqliteExpressions.toPostgres("active IN (0, 1)", columns).problem()).contains("boolean");
        assertThat(SqliteExpressions.toPostgres("name IS 'x'", columns).problem()).contains("IS between two values");
        assertThat(SqliteExpressions.toPostgres("name IS NOT NULL", columns).ok()).isTrue();
        assertThat(SqliteExpressions.toPostgres("\"nmae\" <> ''", columns).problem()).contains("names no column");
    }

    @Test
    void defaultsCarryOverForTheNewType() {
        Map<String, SqliteExpressions.PgTypeKind> none = Map.of();
        assertThat(SqliteExpressions.defaultValue("1", PostgresTypeName.parse("boolean"), none).sql()).isEqualTo("true");
        assertThat(SqliteExpressions.defaultValue("'x'", PostgresTypeName.parse("text"), none).sql()).isEqualTo("'x'");
        assertThat(SqliteExpressions.defaultValue("X'0aFF'", PostgresTypeName.parse("bytea"), none).sql())
                .isEqualTo("'\\x0aff'::bytea");
        assertThat(SqliteExpressions.defaultValue("CURRENT_TIMESTAMP", PostgresTypeName.parse("timestamptz"), none)
                .sql()).isEqualTo("CURRENT_TIMESTAMP");
        assertThat(SqliteExpressions.defaultValue("(datetime('now'))", PostgresTypeName.parse("text"), none).ok())
                .isFalse();
        assertThat(SqliteExpressions.defaultValue("NULL", PostgresTypeName.parse("text"), none)).isNull();
    }
}
