package tandem.core.schema;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Quotes names for PostgreSQL DDL. A name is left bare only when PostgreSQL would read it back
 * unchanged (lower case, no reserved word), so {@code userId} keeps its capital as
 * {@code "userId"}: SQLite matches names case-insensitively, PostgreSQL folds bare names to lower
 * case, and ORMs such as Drizzle quote every name.
 */
public final class Identifiers {

    /** PostgreSQL's reserved key words (and the few non-reserved ones that cannot name a column). */
    private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc",
            "asymmetric", "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
            "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint",
            "create", "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
            "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct", "do",
            "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from",
            "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
            "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral", "leading", "least",
            "left", "like", "limit", "localtime", "localtimestamp", "national", "natural", "nchar", "none", "normalize",
            "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer",
            "overlaps", "overlay", "placing", "position", "precision", "primary", "real", "references", "returning",
            "right", "row", "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
            "system_user", "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim",
            "true", "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where",
            "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces",
            "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable");

    private Identifiers() {
    }

    public static String quote(String name) {
        if (name.matches("[a-z_][a-z0-9_$]*") && !RESERVED.contains(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    public static String list(List<String> names) {
        return names.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    }
}
