package tandem.core.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Compares the tables the new store should have (generated from the old store) with the tables
 * it has, and names every difference that would make a copied row differ or be refused: a missing
 * table or column, a narrower or other type, a missing NOT NULL, UNIQUE, CHECK or foreign key (the
 * new store would accept rows the old one refuses, and a later cutover would lose the guarantee),
 * and the reverse — a constraint only the new store has, which may refuse rows the old one holds.
 * Indexes that enforce nothing, defaults and identities do not change a copied row and are not
 * compared.
 */
public final class SchemaComparison {

    private SchemaComparison() {
    }

    /** One line per difference, each naming the table (and column) and what to change; empty when compatible. */
    public static List<String> differences(SchemaDefinition wanted, SchemaDefinition existing) {
        List<String> out = new ArrayList<>();
        for (TableDefinition want : wanted.tables()) {
            TableDefinition have = existing.table(want.name());
            if (have == null) {
                out.add(want.name() + ": missing table; create it (tandem schema --apply creates every table only into "
                        + "a new store that has none of them)");
                continue;
            }
            compare(want, have, out);
        }
        return out;
    }

    private static void compare(TableDefinition want, TableDefinition have, List<String> out) {
        String t = want.name();
        for (ColumnDefinition column : want.columns()) {
            ColumnDefinition other = have.column(column.name());
            if (other == null) {
                out.add(t + "." + column.name() + ": missing column; ALTER TABLE " + Identifiers.quote(t) + " ADD COLUMN "
                        + Identifiers.quote(column.name()) + " " + column.type());
                continue;
            }
            String why = TypeWidth.why(PostgresTypeName.introspected(other.type()),
                    PostgresTypeName.introspected(column.type()));
            if (why != null) {
                out.add(t + "." + column.name() + ": type " + other.type() + " in the new store, but the old store's "
                        + "values need " + column.type() + " (" + why + ")");
            }
            if (column.notNull() && !other.notNull()) {
                out.add(t + "." + column.name() + ": missing NOT NULL");
            } else if (!column.notNull() && other.notNull()) {
                out.add(t + "." + column.name() + ": NOT NULL only in the new store; rows with NULL there would be "
                        + "refused");
            }
        }
        for (ColumnDefinition extra : have.columns()) {
            if (want.column(extra.name()) == null && extra.notNull() && extra.defaultExpression() == null
                    && !extra.identity()) {
                out.add(t + "." + extra.name() + ": only in the new store, NOT NULL without a default; every copied "
                        + "row would be refused");
            }
        }
        if (!same(want.primaryKey(), have.primaryKey())) {
            out.add(t + ": primary key (" + String.join(", ", want.primaryKey()) + ") in the old store, "
                    + (have.primaryKey().isEmpty() ? "none" : "(" + String.join(", ", have.primaryKey()) + ")")
                    + " in the new store");
        }
        List<String> wantUnique = uniques(want);
        List<String> haveUnique = uniques(have);
        wantUnique.stream().filter(u -> !haveUnique.contains(u))
                .forEach(u -> out.add(t + ": missing unique constraint " + u));
        haveUnique.stream().filter(u -> !wantUnique.contains(u))
                .forEach(u -> out.add(t + ": unique constraint " + u + " only in the new store; rows the old store "
                        + "holds may be refused"));
        List<String> wantChecks = want.checks().stream().map(c -> normalize(c.expression())).toList();
        List<String> haveChecks = have.checks().stream().map(c -> normalize(c.expression())).toList();
        for (int i = 0; i < want.checks().size(); i++) {
            if (!haveChecks.contains(wantChecks.get(i))) {
                out.add(t + ": missing check constraint CHECK (" + want.checks().get(i).expression() + ")");
            }
        }
        for (int i = 0; i < have.checks().size(); i++) {
            if (!wantChecks.contains(haveChecks.get(i))) {
                out.add(t + ": check constraint CHECK (" + have.checks().get(i).expression() + ") only in the new "
                        + "store; rows the old store holds may be refused");
            }
        }
        for (TableDefinition.ForeignKeyDefinition fk : want.foreignKeys()) {
            TableDefinition.ForeignKeyDefinition match = have.foreignKeys().stream().filter(f -> sameTarget(fk, f))
                    .findFirst().orElse(null);
            if (match == null) {
                out.add(t + ": missing foreign key " + describe(fk));
            } else if (!fk.onDelete().equals(match.onDelete()) || !fk.onUpdate().equals(match.onUpdate())) {
                out.add(t + ": foreign key " + describe(fk) + " is ON DELETE " + match.onDelete() + " ON UPDATE "
                        + match.onUpdate() + " in the new store; rows would change differently in each store");
            }
        }
        for (TableDefinition.ForeignKeyDefinition fk : have.foreignKeys()) {
            if (want.foreignKeys().stream().noneMatch(f -> sameTarget(f, fk))) {
                out.add(t + ": foreign key " + describe(fk) + " only in the new store; rows the old store holds may "
                        + "be refused");
            }
        }
    }

    /** UNIQUE constraints and unique indexes, as "(a, b)" or "(a) WHERE ..."; the primary key is not one. */
    private static List<String> uniques(TableDefinition table) {
        List<String> out = new ArrayList<>();
        table.uniques().forEach(u -> out.add(columns(u.columns())));
        table.indexes().stream().filter(TableDefinition.IndexDefinition::unique).forEach(i -> out.add(
                "(" + i.keys().stream().map(SchemaComparison::normalize).collect(Collectors.joining(", ")) + ")"
                        + (i.where() == null ? "" : " WHERE " + normalize(i.where()))));
        return out.stream().distinct().toList();
    }

    private static String columns(List<String> names) {
        return "(" + names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")";
    }

    private static boolean same(List<String> a, List<String> b) {
        return columns(a).equals(columns(b));
    }

    private static boolean sameTarget(TableDefinition.ForeignKeyDefinition a, TableDefinition.ForeignKeyDefinition b) {
        return same(a.columns(), b.columns()) && a.referencedTable().equalsIgnoreCase(b.referencedTable())
                && same(a.referencedColumns(), b.referencedColumns());
    }

    private static String describe(TableDefinition.ForeignKeyDefinition fk) {
        return columns(fk.columns()) + " REFERENCES " + fk.referencedTable() + " " + columns(fk.referencedColumns());
    }

    /**
     * An expression as both sides can be matched on: PostgreSQL prints a check back with casts and
     * parentheses of its own ({@code CHECK ((price >= (0)::numeric))}), so those, quotes, spaces and
     * case are dropped. Two different checks that differ only in those compare equal; that is rare
     * enough to accept for a report.
     */
    static String normalize(String expression) {
        return expression.toLowerCase(Locale.ROOT)
                .replaceAll("::(character varying|double precision|timestamp with(out)? time zone|time without time zone"
                        + "|[a-z_]+)(\\(\\d+(,\\d+)?\\))?(\\[\\])?", "")
                .replaceAll("[()\"\\s]", "")
                .replace("=anyarray[", "in").replace("<>allarray[", "notin").replace("]", "")
                .replace("!~~", "notlike").replace("~~", "like")
                .replace("==", "=")
                .replace("<>", "!=");
    }
}
