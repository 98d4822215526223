package tandem.core.mirror;

import java.util.List;
import java.util.Locale;

/**
 * The statements tandem refuses on mirrored tables, each saying what is wrong with it and what to
 * send instead. All come out as 0A000 (feature_not_supported).
 */
final class Refusals {

    private Refusals() {
    }

    static WritePlan.Refuse schemaChange(String table, String command) {
        return new WritePlan.Refuse(table,
                command + " on mirrored table \"" + table + "\" is not run during a migration: tandem mirrors data, not schema",
                "tandem copies the rows of \"" + table + "\" from the old store to the new one by primary key, so both stores"
                        + " must keep a compatible shape, and a schema change sent through tandem would reach only one of them.",
                "Apply schema changes to both stores directly, the new store first, and keep old and new compatible: add"
                        + " nullable columns (or columns with defaults), and leave renames, drops and type changes until the"
                        + " migration completes.");
    }

    static WritePlan.Refuse truncate(String table) {
        return new WritePlan.Refuse(table,
                "TRUNCATE of mirrored table \"" + table + "\" cannot be mirrored",
                "TRUNCATE reports no rows, so tandem cannot tell the new store which rows went.",
                "Use DELETE FROM " + table + " (tandem mirrors the keys it deletes), or truncate the table on both stores"
                        + " directly while no writes reach it.");
    }

    static WritePlan.Refuse keyAssigned(String table, String column, WriteShape.Clause clause, List<String> key) {
        String hint = "Leave the key column out of SET: insert a row with the new key and delete the old one, or change"
                + " keys after the migration completes.";
        if (clause == WriteShape.Clause.ON_CONFLICT) {
            hint += " In an upsert, SET " + column + " = excluded." + column + " is fine when the conflict target is the"
                    + " primary key: ON CONFLICT (" + String.join(", ", key) + ").";
        }
        return new WritePlan.Refuse(table,
                clause.text + " of mirrored table \"" + table + "\" assigns its primary key column \"" + column + "\"",
                "tandem mirrors rows by primary key; a row whose key changes would leave a copy under its old key on the"
                        + " new store.",
                hint);
    }

    static WritePlan.Refuse otherWrite(String table) {
        return new WritePlan.Refuse(table,
                "a data-modifying WITH query writes mirrored table \"" + table + "\"; tandem captures the rows of the"
                        + " statement's main INSERT, UPDATE, DELETE or MERGE only",
                "The rows that WITH query changes would not reach the new store.",
                "Send that write as a statement of its own (in the same transaction if both must commit together).");
    }

    static WritePlan.Refuse replace(String table, String verb, List<List<String>> otherKeys) {
        StringBuilder keys = new StringBuilder();
        for (List<String> key : otherKeys) {
            keys.append(keys.isEmpty() ? "" : ", ").append('(').append(String.join(", ", key)).append(')');
        }
        return new WritePlan.Refuse(table,
                verb + " on mirrored table \"" + table + "\" may delete rows that tandem cannot see",
                "REPLACE deletes any row that conflicts on the unique key " + keys + ", whatever its primary key, and"
                        + " RETURNING reports only the rows written, so a deleted row would stay on the new store.",
                "Use INSERT ... ON CONFLICT (...) DO UPDATE SET ... (an upsert keeps the conflicting row and its key),"
                        + " or DELETE the conflicting rows first.");
    }

    static WritePlan.Refuse failSeveralRows(String table, String verb) {
        return new WritePlan.Refuse(table,
                verb + " OR FAIL on mirrored table \"" + table + "\" cannot be mirrored when it may write several rows",
                "When a row fails, SQLite keeps the rows the statement wrote before it but returns none of their keys.",
                "Use OR ABORT (the default), OR IGNORE or OR ROLLBACK, or write one row per statement.");
    }

    static WritePlan.Refuse copy(String table) {
        return new WritePlan.Refuse(table,
                "COPY into mirrored table \"" + table + "\" cannot be mirrored",
                "COPY reports no keys of the rows it loads.",
                "Load the rows with INSERT through tandem (multi-row VALUES or INSERT ... SELECT), or COPY them into both"
                        + " stores directly before the migration starts syncing.");
    }

    static WritePlan.Refuse explainAnalyze(String table) {
        return new WritePlan.Refuse(table,
                "EXPLAIN ANALYZE of a write on mirrored table \"" + table + "\" cannot be mirrored",
                "EXPLAIN ANALYZE runs the write but returns a plan, not the keys of the rows it changed.",
                "Run EXPLAIN without ANALYZE through tandem, or EXPLAIN ANALYZE against a store directly.");
    }

    static WritePlan.Refuse prepare(String table) {
        return new WritePlan.Refuse(table,
                "PREPARE of a write on mirrored table \"" + table + "\" cannot be mirrored",
                "EXECUTE would run the write without tandem seeing the statement, so the keys of its rows would not be"
                        + " captured.",
                "Use your driver's prepared statements (the extended protocol's Parse and Bind, which tandem mirrors), or"
                        + " send the statement itself.");
    }

    static WritePlan.Refuse doBlock(String table) {
        return new WritePlan.Refuse(table,
                "a DO block that mentions mirrored table \"" + table + "\" cannot be mirrored",
                "tandem cannot see which rows a DO block changes.",
                "Send its writes as plain INSERT, UPDATE, DELETE or MERGE statements.");
    }

    static WritePlan.Refuse unknownRows(String table, String command) {
        String what = command.isEmpty() ? "this statement" : "this " + command.toUpperCase(Locale.ROOT) + " statement";
        return new WritePlan.Refuse(table,
                "tandem cannot tell which rows of mirrored table \"" + table + "\" " + what + " changes",
                "tandem mirrors a write by capturing the keys of the rows it changes, which it can do for one INSERT,"
                        + " UPDATE, DELETE or MERGE whose target is the mirrored table.",
                "Send the write as a single INSERT, UPDATE, DELETE or MERGE statement (several statements go as"
                        + " separate queries).");
    }

    static WritePlan.Refuse reservedName(String table, String name) {
        return new WritePlan.Refuse(table,
                "a write on mirrored table \"" + table + "\" uses the name \"" + name + "\", which tandem reserves for"
                        + " its rewrite",
                "tandem wraps writes on mirrored tables in queries named tandem_w and tandem_l with columns tandem_token"
                        + " and tandem_k0, tandem_k1, ...",
                "Rename the WITH query, alias or column: tandem_w, tandem_l, tandem_token and tandem_k0, tandem_k1, ... are"
                        + " taken.");
    }
}
