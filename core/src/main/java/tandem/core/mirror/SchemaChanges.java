package tandem.core.mirror;

import java.util.ArrayList;
import java.util.List;

import tandem.core.sql.TableRef;
import tandem.core.sql.TokenType;

/**
 * The tables a schema statement changes: ALTER and DROP TABLE, indexes, triggers, rules and
 * policies on a table, comments on a table or its columns, and a new partition of a table; plus,
 * for triggers and rules, the tables their bodies write (those writes would bypass the capture).
 * Statements on objects tandem cannot tie to a table here (DROP INDEX name, ALTER SEQUENCE, GRANT,
 * ...) name none: they change no table's rows or shape.
 */
final class SchemaChanges {

    private SchemaChanges() {
    }

    /** @param command the statement's command tag, as the classifier gives it */
    static List<TableRef> tables(StatementTokens t, String command) {
        List<TableRef> tables = new ArrayList<>();
        switch (command) {
            case "ALTER TABLE" -> add(tables, t, skipIfExists(t, 2));
            case "DROP TABLE" -> {
                int j = skipIfExists(t, 2);
                StatementTokens.Name name;
                while ((name = t.table(j)) != null) {
                    tables.add(name.ref());
                    j = name.next();
                    if (!t.is(j, TokenType.COMMA)) {
                        break;
                    }
                    j++;
                }
            }
            case "CREATE INDEX", "ALTER TRIGGER", "DROP TRIGGER", "DROP RULE", "CREATE POLICY", "ALTER POLICY",
                    "DROP POLICY" -> {
                int on = t.findTopLevel(1, "on");
                if (on >= 0) {
                    add(tables, t, on + 1);
                }
            }
            case "CREATE TRIGGER" -> {
                int on = t.findTopLevel(1, "on");
                if (on >= 0) {
                    add(tables, t, on + 1);
                }
                bodyWrites(t, on < 0 ? t.size : on + 1, tables);
            }
            case "CREATE RULE" -> {
                int on = t.findTopLevel(1, "on");
                int to = on < 0 ? -1 : t.findTopLevel(on, "to");
                if (to >= 0) {
                    add(tables, t, to + 1);
                }
                bodyWrites(t, to < 0 ? t.size : to + 1, tables);
            }
            case "COMMENT" -> comment(t, tables);
            case "CREATE TABLE" -> {
                int partition = t.findTopLevel(1, "partition");
                if (partition >= 0 && t.isKeyword(partition + 1, "of")) {
                    add(tables, t, partition + 2);
                }
            }
            default -> {
            }
        }
        return tables;
    }

    private static int skipIfExists(StatementTokens t, int j) {
        if (t.isKeyword(j, "if") && t.isKeyword(j + 1, "exists")) {
            j += 2;
        }
        return t.isKeyword(j, "only") ? j + 1 : j;
    }

    private static void add(List<TableRef> tables, StatementTokens t, int j) {
        StatementTokens.Name name = t.table(t.isKeyword(j, "only") ? j + 1 : j);
        if (name != null) {
            tables.add(name.ref());
        }
    }

    /** COMMENT ON TABLE name | COMMENT ON COLUMN [schema.]table.column. */
    private static void comment(StatementTokens t, List<TableRef> tables) {
        if (!t.isKeyword(1, "on")) {
            return;
        }
        if (t.isKeyword(2, "table")) {
            add(tables, t, 3);
        } else if (t.isKeyword(2, "column")) {
            List<String> parts = new ArrayList<>();
            for (int j = 3; t.get(j) != null && t.get(j).type().isName(); j += 2) {
                parts.add(t.get(j).text());
                if (!t.is(j + 1, TokenType.DOT)) {
                    break;
                }
            }
            int n = parts.size();
            if (n == 2) {
                tables.add(TableRef.of(parts.get(0)));
            } else if (n >= 3) {
                tables.add(TableRef.of(parts.get(n - 3), parts.get(n - 2)));
            }
        }
    }

    /** Tables an inline trigger or rule body writes: INSERT|REPLACE INTO, UPDATE, DELETE FROM. */
    private static void bodyWrites(StatementTokens t, int from, List<TableRef> tables) {
        for (int i = from; i < t.size; i++) {
            String word = t.keyword(i);
            if (word == null || t.isKeyword(i - 1, "for") || t.isKeyword(i - 1, "of")) {
                continue;
            }
            int j = i + 1;
            switch (word) {
                case "insert", "replace", "update", "delete" -> {
                    if (t.isKeyword(j, "or") && t.keyword(j + 1) != null) {
                        j += 2;
                    }
                    if (t.isKeyword(j, "into") || t.isKeyword(j, "from")) {
                        j++;
                    } else if (!word.equals("update")) {
                        continue;
                    }
                    StatementTokens.Name name = t.table(t.isKeyword(j, "only") ? j + 1 : j);
                    if (name != null && !(word.equals("update") && !t.isKeyword(name.next(), "set")
                            && !t.isKeyword(name.next() + 1, "set"))) {
                        tables.add(name.ref());
                    }
                }
                default -> {
                }
            }
        }
    }
}
