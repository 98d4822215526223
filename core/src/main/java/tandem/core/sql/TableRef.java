package tandem.core.sql;

import java.util.Objects;

/**
 * A table named in a statement, normalized the way PostgreSQL resolves names: unquoted parts
 * folded to lower case, quoted parts exact. {@code schema} is null when the name was unqualified.
 */
public record TableRef(String schema, String name) {

    public TableRef {
        Objects.requireNonNull(name, "name");
    }

    public static TableRef of(String name) {
        return new TableRef(null, name);
    }

    public static TableRef of(String schema, String name) {
        return new TableRef(schema, name);
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
