package tandem.proxy.backend;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;
import tandem.core.type.PgType;
import tandem.core.type.PgValues;
import tandem.proxy.wire.frontend.Bind;

/**
 * A Bind's values as the parameters of a statement replayed on the secondary: text stays text (the
 * secondary infers the type, as the primary did), binary is decoded by its declared type.
 */
final class ReplayValues {

    private ReplayValues() {
    }

    static List<Object> of(Bind bind, int[] declaredTypes) {
        byte[][] values = bind.parameterValues();
        short[] formats = bind.parameterFormats();
        List<Object> parameters = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            byte[] value = values[i];
            short format = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i];
            if (value == null) {
                parameters.add(null);
            } else if (format == 0) {
                parameters.add(new String(value, UTF_8));
            } else {
                int oid = i < declaredTypes.length ? declaredTypes[i] : 0;
                PgType type = PgType.byOid(oid);
                if (type == null) {
                    throw new ProxyException(SqlState.FEATURE_NOT_SUPPORTED, "cannot replay a binary parameter of type "
                            + oid + " on the new store", null, "send it as text, or give the table a primary key");
                }
                parameters.add(PgValues.decodeBinary(type, value));
            }
        }
        return Collections.unmodifiableList(parameters);
    }
}
