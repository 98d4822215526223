package tandem.core.sql;

import java.util.Locale;

/**
 * The object type after CREATE, ALTER or DROP, spelled as PostgreSQL's command tag spells it
 * ({@code CREATE MATERIALIZED VIEW}, {@code DROP ROLE} for DROP USER, ...).
 */
final class ObjectTypes {

    /** An object type's tag words and the index of the token after them. */
    record Phrase(String tag, int next) {
        boolean is(String expected) {
            return tag.equals(expected);
        }
    }

    /** Multi-word types first, so "FOREIGN TABLE" wins over a lone "FOREIGN". */
    private static final String[][] PHRASES = words(
            "access method", "default privileges", "event trigger", "foreign data wrapper", "foreign table",
            "large object", "materialized view", "operator class", "operator family", "text search configuration",
            "text search dictionary", "text search parser", "text search template", "user mapping",
            "aggregate", "cast", "collation", "conversion", "database", "domain", "extension", "function", "index",
            "language", "operator", "owned", "policy", "procedure", "publication", "role", "routine", "rule", "schema",
            "sequence", "server", "statistics", "subscription", "system", "table", "tablespace", "transform",
            "trigger", "type", "view");

    private ObjectTypes() {
    }

    /** The object type starting at token i; an unknown word becomes its own upper-case tag. */
    static Phrase at(Tokens t, int i) {
        for (String[] phrase : PHRASES) {
            int j = i;
            for (String word : phrase) {
                if (!t.isKeyword(j, word)) {
                    break;
                }
                j++;
            }
            if (j - i == phrase.length) {
                return new Phrase(String.join(" ", phrase).toUpperCase(Locale.ROOT), j);
            }
        }
        // CREATE USER and CREATE GROUP create roles, and their tags say so
        if (t.isKeyword(i, "user") || t.isKeyword(i, "group")) {
            return new Phrase("ROLE", i + 1);
        }
        return new Phrase(t.upper(i), i + 1);
    }

    private static String[][] words(String... phrases) {
        String[][] words = new String[phrases.length][];
        for (int i = 0; i < phrases.length; i++) {
            words[i] = phrases[i].split(" ");
        }
        return words;
    }
}
