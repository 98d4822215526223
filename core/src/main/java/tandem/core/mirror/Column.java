package tandem.core.mirror;

import tandem.core.type.PgType;

/**
 * A column as tandem maps it between stores: its name, the PostgreSQL type its values take in
 * tandem's Java value model (a SQLite column's from its declared type), and the declared type as
 * the store spells it, for messages.
 */
public record Column(String name, PgType type, String declaredType, boolean nullable) {
}
