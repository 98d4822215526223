package tandem.core.type;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgTypeTest {

    @Test
    void findsEachTypeByItsOid() {
        for (PgType t : PgType.values()) {
            assertThat(PgType.byOid(t.oid())).isSameAs(t);
        }
        assertThat(PgType.byOid(23)).isEqualTo(PgType.INT4);
        assertThat(PgType.byOid(1184)).isEqualTo(PgType.TIMESTAMPTZ);
        assertThat(PgType.byOid(2951)).isEqualTo(PgType.UUID_ARRAY);
    }

    @Test
    void unknownOidsFindNothing() {
        assertThat(PgType.byOid(0)).isNull();
        assertThat(PgType.byOid(-1)).isNull();
        assertThat(PgType.byOid(142)).isNull();
        assertThat(PgType.byOid(1_000_000)).isNull();
    }

    @Test
    void reportsTyplenAsRowDescriptionDoes() {
        assertThat(PgType.BOOL.typlen()).isEqualTo(1);
        assertThat(PgType.INT2.typlen()).isEqualTo(2);
        assertThat(PgType.INT4.typlen()).isEqualTo(4);
        assertThat(PgType.INT8.typlen()).isEqualTo(8);
        assertThat(PgType.FLOAT4.typlen()).isEqualTo(4);
        assertThat(PgType.FLOAT8.typlen()).isEqualTo(8);
        assertThat(PgType.DATE.typlen()).isEqualTo(4);
        assertThat(PgType.TIME.typlen()).isEqualTo(8);
        assertThat(PgType.TIMESTAMP.typlen()).isEqualTo(8);
        assertThat(PgType.TIMESTAMPTZ.typlen()).isEqualTo(8);
        assertThat(PgType.UUID.typlen()).isEqualTo(16);
        assertThat(PgType.NAME.typlen()).isEqualTo(64);
        assertThat(PgType.TEXT.typlen()).isEqualTo(-1);
        assertThat(PgType.NUMERIC.typlen()).isEqualTo(-1);
        assertThat(PgType.INT4_ARRAY.typlen()).isEqualTo(-1);
        assertThat(PgType.UNKNOWN.typlen()).isEqualTo(-2);
    }

    @Test
    void arrayTypesAreNamedAfterTheirElementsAndPointBothWays() {
        assertThat(PgType.INT4_ARRAY.typname()).isEqualTo("_int4");
        assertThat(PgType.INT4_ARRAY.isArray()).isTrue();
        assertThat(PgType.INT4_ARRAY.elementType()).isEqualTo(PgType.INT4);
        assertThat(PgType.INT4.arrayType()).isEqualTo(PgType.INT4_ARRAY);
        assertThat(PgType.TEXT.arrayType().oid()).isEqualTo(1009);
        assertThat(PgType.VARCHAR.arrayType().oid()).isEqualTo(1015);
        assertThat(PgType.FLOAT8.arrayType().oid()).isEqualTo(1022);
        assertThat(PgType.BOOL.arrayType().oid()).isEqualTo(1000);
        assertThat(PgType.INT8.arrayType().oid()).isEqualTo(1016);
        assertThat(PgType.UNKNOWN.arrayType()).isNull();
        assertThat(PgType.TEXT.isArray()).isFalse();
        assertThat(PgType.FLOAT8.sqlName()).isEqualTo("double precision");
    }
}
