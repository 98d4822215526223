package tandem.adapters.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tandem.adapters.postgres.PostgresStore;
import tandem.adapters.testing.DemoSchema;
import tandem.adapters.testing.PostgresExtension;
import tandem.adapters.testing.Stores;
import tandem.adapters.testing.TestDatabase;
import tandem.core.mirror.Column;
import tandem.core.mirror.Schema;
import tandem.core.mirror.Table;
import tandem.core.type.PgType;

@ExtendWith(PostgresExtension.class)
class PostgresSchemaIT {

    private static PostgresStore store;
    private static Schema schema;

    @BeforeAll
    static void createSchema(TestDatabase db) {
        db.execute(DemoSchema.postgres());
        db.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')",
                "CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%')",
                "CREATE TABLE types (id int4 PRIMARY KEY, a int2, b int8, c numeric(10,2), d real, e double precision, "
                        + "f boolean, g text, h varchar(10), i char(3), j bytea, k date, l time, m timestamp, "
                        + "n timestamptz, o uuid, p json, q jsonb, r int4[], s text[], t interval, u mood, v email_address)",
                "CREATE TABLE hosts (id int PRIMARY KEY, ip inet)",
                "CREATE TABLE pairs (a int, b text, c int NOT NULL, d int, PRIMARY KEY (b, a), UNIQUE (c), UNIQUE (d, c))",
                "CREATE UNIQUE INDEX pairs_partial ON pairs (d) WHERE d > 0",
                "CREATE UNIQUE INDEX pairs_expression ON pairs (lower(b))",
                "CREATE TABLE parted (id int, created date, PRIMARY KEY (id, created)) PARTITION BY RANGE (created)",
                "CREATE TABLE parted_2024 PARTITION OF parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE keyless (line text)",
                "CREATE SCHEMA tandem",
                "CREATE TABLE tandem.checkpoints (id int PRIMARY KEY)");
        store = Stores.postgres("new", db);
        schema = store.schema();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void readsTheDemoTablesWithTheirColumnsKeysAndForeignKeys() {
        assertThat(schema.tables().keySet()).containsExactlyInAnyOrder("analytics_events", "content", "users", "types",
                "pairs", "parted", "keyless");
        Table users = schema.table("users");
        assertThat(users.columns()).extracting(Column::name).containsExactly("id", "email", "display_name",
                "password_hash", "is_active", "created_at", "updated_at");
        assertThat(users.columns()).extracting(Column::type).containsExactly(PgType.UUID, PgType.VARCHAR, PgType.TEXT,
                PgType.VARCHAR, PgType.BOOL, PgType.TIMESTAMP, PgType.TIMESTAMP);
        assertThat(users.column("email").declaredType()).isEqualTo("character varying(255)");
        assertThat(users.column("email").nullable()).isFalse();
        assertThat(users.column("display_name").nullable()).isTrue();
        assertThat(users.key()).containsExactly("id");
        assertThat(users.uniqueKeys()).containsExactly(List.of("email"));

        Table content = schema.table("content");
        assertThat(content.column("metadata").type()).isEqualTo(PgType.JSONB);
        assertThat(content.column("score").type()).isEqualTo(PgType.FLOAT8);
        assertThat(content.foreignKeys()).containsExactly(new Table.ForeignKey(List.of("user_id"), "users", List.of("id")));
        assertThat(schema.table("analytics_events").column("id").type()).isEqualTo(PgType.INT8);
    }

    @Test
    void mapsEveryMirroredTypeToTandemsValueModel() {
        assertThat(schema.table("types").columns()).extracting(Column::type).containsExactly(PgType.INT4, PgType.INT2,
                PgType.INT8, PgType.NUMERIC, PgType.FLOAT4, PgType.FLOAT8, PgType.BOOL, PgType.TEXT, PgType.VARCHAR,
                PgType.BPCHAR, PgType.BYTEA, PgType.DATE, PgType.TIME, PgType.TIMESTAMP, PgType.TIMESTAMPTZ, PgType.UUID,
                PgType.JSON, PgType.JSONB, PgType.INT4_ARRAY, PgType.TEXT_ARRAY, PgType.INTERVAL, PgType.TEXT, PgType.TEXT);
        assertThat(schema.table("types").column("u").declaredType()).isEqualTo("mood");
    }

    @Test
    void aTableWithATypeTandemDoesNotMapIsUnmirrorableWithTheColumnAndType() {
        assertThat(schema.table("hosts")).isNull();
        assertThat(schema.unmirrorable()).containsEntry("hosts", "column ip has type inet, which tandem does not mirror");
    }

    @Test
    void keysAreInKeyOrderAndOnlyPlainUniqueIndexesCount() {
        Table pairs = schema.table("pairs");
        assertThat(pairs.key()).containsExactly("b", "a");
        assertThat(pairs.uniqueKeys()).containsExactlyInAnyOrder(List.of("c"), List.of("d", "c"));
        assertThat(schema.table("keyless").hasKey()).isFalse();
    }

    @Test
    void partitionsAndTandemsOwnSchemaAreLeftOut() {
        assertThat(schema.tables()).doesNotContainKeys("parted_2024", "checkpoints");
        assertThat(schema.table("parted").key()).containsExactly("id", "created");
    }
}
