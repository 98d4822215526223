package tandem.core.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tandem.config.MigrationConfig;
import tandem.core.error.ProxyException;
import tandem.core.type.PgType;

class MirroredTablesTest {

    private static Column col(String name, PgType type, String declared) {
        return new Column(name, type, declared, true);
    }

    private static Table table(String name, List<String> key, Column... columns) {
        return new Table(name, List.of(columns), key, List.of(), List.of());
    }

    private static Schema schema(Table... tables) {
        Map<String, Table> byName = new java.util.LinkedHashMap<>();
        for (Table t : tables) {
            byName.put(t.name(), t);
        }
        return new Schema.Snapshot(byName, Map.of());
    }

    private static final Table SQLITE_USERS = table("users", List.of("id"), col("id", PgType.TEXT, "TEXT"),
            col("email", PgType.TEXT, "TEXT"), col("is_active", PgType.BOOL, "BOOLEAN"));
    private static final Table PG_USERS = table("users", List.of("id"), col("id", PgType.UUID, "uuid"),
            col("email", PgType.VARCHAR, "character varying(255)"), col("is_active", PgType.BOOL, "boolean"),
            col("created_by", PgType.TEXT, "text"));

    @Test
    void aTableWithTheSameKeyAndConvertibleColumnsIsMirroredByRow() {
        MirroredTables plan = MirroredTables.plan(MigrationConfig.defaults(), "old", schema(SQLITE_USERS), "new",
                schema(PG_USERS));
        MirroredTable users = plan.table("USERS");
        assertThat(users.mode()).isEqualTo(MirroredTable.Mode.ROW);
        assertThat(users.target().columns()).extracting(Column::name).containsExactly("id", "email", "is_active");
        assertThat(plan.report()).singleElement().asString().contains("users: mirrored by row, key (id)")
                .contains("id text→uuid").contains("created_by");
        UUID id = UUID.randomUUID();
        assertThat(users.targetKey(Key.of(id.toString()))).isEqualTo(Key.of(id));
        assertThat(users.targetRow(new Object[] {id.toString(), "a@b", true})).containsExactly(id, "a@b", true);
    }

    @Test
    void aMissingColumnIsAnErrorThatSaysWhatToCreate() {
        Table content = table("content", List.of("id"), col("id", PgType.TEXT, "TEXT"), col("metadata", PgType.JSON, "JSON"));
        Table pgContent = table("content", List.of("id"), col("id", PgType.UUID, "uuid"));
        assertThatThrownBy(() -> MirroredTables.plan(MigrationConfig.defaults(), "old", schema(content), "new",
                schema(pgContent))).isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.getMessage())
                        .contains("table content: column metadata is missing in the new store; create it (json) or "
                                + "exclude the table"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Table a = table("a", List.of("id"), col("id", PgType.INT8, "INTEGER"), col("flag", PgType.BOOL, "BOOLEAN"));
        Table b = table("b", List.of("id"), col("id", PgType.INT8, "INTEGER"));
        Table c = table("c", List.of("id"), col("id", PgType.INT8, "INTEGER"));
        Table pgA = table("a", List.of("id"), col("id", PgType.INT8, "bigint"), col("flag", PgType.INT4, "integer"));
        Table pgB = table("b", List.of(), col("id", PgType.INT8, "bigint"));
        assertThatThrownBy(() -> MirroredTables.plan(MigrationConfig.defaults(), "old", schema(a, b, c), "new",
                schema(pgA, pgB))).isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.getMessage())
                        .contains("3 tables cannot be mirrored")
                        .contains("table a: column flag is BOOLEAN in the old store but integer in the new store")
                        .contains("table b has no primary key in the new store; add PRIMARY KEY (id)")
                        .contains("table c is missing in the new store; create it or exclude the table"));
    }

    @Test
    void excludedAndUnlistedTablesAreNotMirroredAndKeylessOnesFollowTheConfig() {
        Table logs = table("logs", List.of(), col("line", PgType.TEXT, "TEXT"));
        Table sessions = table("sessions", List.of("id"), col("id", PgType.TEXT, "TEXT"));
        Schema old = schema(SQLITE_USERS, logs, sessions);
        Schema pg = schema(PG_USERS, logs);
        MigrationConfig config = new MigrationConfig(List.of(), List.of("sessions"), MigrationConfig.KeylessTables.STATEMENT,
                Duration.ofSeconds(2), 0, 0);
        MirroredTables plan = MirroredTables.plan(config, "old", old, "new", pg);
        assertThat(plan.table("logs").mode()).isEqualTo(MirroredTable.Mode.STATEMENT);
        assertThat(plan.table("sessions").mode()).isEqualTo(MirroredTable.Mode.EXCLUDED);
        assertThat(plan.report()).anySatisfy(line -> assertThat(line).startsWith("logs: mirrored by statement"))
                .anySatisfy(line -> assertThat(line).isEqualTo("sessions: excluded (listed in migration.exclude)"));

        MigrationConfig onlyUsers = new MigrationConfig(List.of("users"), List.of(), MigrationConfig.KeylessTables.EXCLUDE,
                Duration.ofSeconds(2), 0, 0);
        MirroredTables narrow = MirroredTables.plan(onlyUsers, "old", old, "new", pg);
        assertThat(narrow.table("logs").mode()).isEqualTo(MirroredTable.Mode.EXCLUDED);
        assertThat(narrow.table("sessions").note()).isEqualTo("not listed in migration.tables");
    }

    @Test
    void anUnmirrorableTableMustBeExcluded() {
        Schema pg = new Schema.Snapshot(Map.of("users", PG_USERS), Map.of("hosts", "column ip has type inet, which "
                + "tandem does not mirror"));
        assertThatThrownBy(() -> MirroredTables.plan(MigrationConfig.defaults(), "old", pg, "new", pg))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.getMessage())
                        .contains("table hosts: column ip has type inet, which tandem does not mirror in the old store; "
                                + "exclude the table"));
        MigrationConfig config = new MigrationConfig(List.of(), List.of("hosts"), MigrationConfig.KeylessTables.STATEMENT,
                Duration.ofSeconds(2), 0, 0);
        assertThat(MirroredTables.plan(config, "old", pg, "new", pg).table("hosts").mode())
                .isEqualTo(MirroredTable.Mode.EXCLUDED);
    }

    @Test
    void differentKeysAreAnError() {
        Table old = table("t", List.of("a"), col("a", PgType.INT8, "INTEGER"), col("b", PgType.INT8, "INTEGER"));
        Table pg = table("t", List.of("a", "b"), col("a", PgType.INT8, "bigint"), col("b", PgType.INT8, "bigint"));
        assertThatThrownBy(() -> MirroredTables.plan(MigrationConfig.defaults(), "old", schema(old), "new", schema(pg)))
                .hasMessageContaining("the primary key is (a) in the old store but (a, b) in the new store");
    }
}
