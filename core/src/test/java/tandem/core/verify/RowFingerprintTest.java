package tandem.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import tandem.core.type.PgType;

/** Changes that cancel out in a sum or XOR of column hashes must change the fingerprint. */
class RowFingerprintTest {

    private static final List<PgType> TYPES = List.of(PgType.INT8, PgType.BOOL, PgType.TEXT);

    @Test
    void valuesSwappedBetweenRowsOrFlippedInPairsChangeIt() {
        List<Object[]> rows = List.of(new Object[] {1L, true, "a"}, new Object[] {2L, false, "b"});
        RowFingerprint.Fingerprint original = RowFingerprint.of(TYPES, rows);
        assertThat(RowFingerprint.of(TYPES, List.of(new Object[] {1L, true, "b"}, new Object[] {2L, false, "a"})))
                .as("text swapped between two rows").isNotEqualTo(original);
        assertThat(RowFingerprint.of(TYPES, List.of(new Object[] {1L, false, "a"}, new Object[] {2L, true, "b"})))
                .as("two booleans flipped").isNotEqualTo(original);
        assertThat(RowFingerprint.of(TYPES, List.of(new Object[] {1L, null, "a"}, new Object[] {2L, false, "b"})))
                .as("a value against NULL").isNotEqualTo(original);
    }

    @Test
    void equalValuesSwappedBetweenFarApartColumnsChangeIt() {
        List<PgType> wide = new ArrayList<>(Collections.nCopies(40, PgType.TEXT));
        Object[] row = new Object[40];
        Object[] swapped = new Object[40];
        for (int i = 0; i < 40; i++) {
            row[i] = "v" + i;
            swapped[i] = "v" + i;
        }
        swapped[1] = "v33";
        swapped[33] = "v1";
        assertThat(RowFingerprint.of(wide, List.<Object[]>of(row))).isNotEqualTo(RowFingerprint.of(wide, List.<Object[]>of(swapped)));
    }

    @Test
    void rowOrderDoesNotMatter() {
        Object[] a = {1L, true, "a"};
        Object[] b = {2L, false, "b"};
        assertThat(RowFingerprint.of(TYPES, List.of(a, b))).isEqualTo(RowFingerprint.of(TYPES, List.of(b, a)));
    }
}
