package tandem.core.mirror;

/**
 * The text of a write rewritten to capture the keys of the rows it changes. The client's text is
 * spliced, never re-printed: its comments, spacing, literals and {@code $n} parameters stay exactly
 * as sent, and no parameter is added, so the client's Bind values fit the rewritten statement.
 */
final class CaptureSql {

    /** The result columns tandem puts in front of the client's, and the repair log it writes on PostgreSQL. */
    static final String WRITE = "tandem_w";
    static final String LOG = "tandem_l";
    static final String TOKEN = "tandem_token";
    static final String KEY_PREFIX = "tandem_k";

    private CaptureSql() {
    }

    /**
     * PostgreSQL: the write becomes a data-modifying WITH query whose RETURNING starts with the key
     * columns; a second one logs those keys in {@code tandem.repair_log} under the transaction id,
     * in the same statement, so the log rows commit or roll back with the rows themselves and cost
     * no extra round trip; the main query returns the token, the keys and the client's own columns:
     *
     * <pre>
     * [WITH client's queries,] tandem_w AS (write RETURNING t."id" AS tandem_k0[, client's list]),
     * tandem_l AS (INSERT INTO tandem.repair_log (token, table_name, key)
     *     SELECT pg_current_xact_id()::text, 'table', jsonb_build_array(tandem_k0) FROM tandem_w)
     * SELECT pg_current_xact_id()::text AS tandem_token, * FROM tandem_w
     * </pre>
     *
     * A write that changes no row returns no row, so no token either: nothing was logged, and there
     * is nothing to sync. The key columns are qualified with the target's alias or name, since
     * RETURNING of UPDATE ... FROM and DELETE ... USING also sees the other tables' columns.
     */
    static String postgres(String sql, WriteShape s, Table table) {
        StringBuilder out = new StringBuilder(sql.length() + 320);
        out.append(sql, 0, s.begin());
        int body = s.verbStart();
        if (s.withStart() >= 0) {
            out.append(sql, s.withStart(), s.withEnd()).append(", ");
            if (!sql.substring(s.withEnd(), s.verbStart()).isBlank()) {
                body = s.withEnd(); // a comment between the WITH list and the verb stays with the verb
            }
        } else {
            out.append("WITH ");
        }
        out.append(WRITE).append(" AS (");
        String keys = keyList(table, s.reference() + ".");
        if (s.returningAt() >= 0) {
            out.append(sql, body, s.returningAt()).append(' ').append(keys).append(',')
                    .append(sql, s.returningAt(), s.end());
        } else {
            out.append(sql, body, s.end()).append(" RETURNING ").append(keys);
        }
        out.append("), ").append(LOG).append(" AS (INSERT INTO tandem.repair_log (token, table_name, key)")
                .append(" SELECT pg_current_xact_id()::text, ").append(literal(table.name()))
                .append(", jsonb_build_array(");
        for (int k = 0; k < table.key().size(); k++) {
            out.append(k == 0 ? "" : ", ").append(KEY_PREFIX).append(k);
        }
        out.append(") FROM ").append(WRITE).append(") SELECT pg_current_xact_id()::text AS ").append(TOKEN)
                .append(", * FROM ").append(WRITE);
        return out.append(sql, s.end(), sql.length()).toString();
    }

    /**
     * SQLite has RETURNING but no data-modifying WITH queries, so the key columns go in front of the
     * statement's own RETURNING list (or in a new RETURNING clause, which comes before an UPDATE's
     * or DELETE's ORDER BY and LIMIT); the emulated session writes the repair log itself. SQLite's
     * RETURNING sees only the target's columns, and rejects them qualified by an alias, so they
     * stay unqualified.
     */
    static String sqlite(String sql, WriteShape s, Table table) {
        String keys = keyList(table, "");
        StringBuilder out = new StringBuilder(sql.length() + 64);
        if (s.returningAt() >= 0) {
            out.append(sql, 0, s.returningAt()).append(' ').append(keys).append(',').append(sql, s.returningAt(),
                    sql.length());
        } else if (s.returningGoesAt() < s.end()) {
            out.append(sql, 0, s.returningGoesAt()).append("RETURNING ").append(keys).append(' ')
                    .append(sql, s.returningGoesAt(), sql.length());
        } else {
            out.append(sql, 0, s.end()).append(" RETURNING ").append(keys).append(sql, s.end(), sql.length());
        }
        return out.toString();
    }

    /** {@code q."a" AS tandem_k0, q."b" AS tandem_k1}. */
    private static String keyList(Table table, String qualifier) {
        StringBuilder keys = new StringBuilder();
        for (int k = 0; k < table.key().size(); k++) {
            keys.append(k == 0 ? "" : ", ").append(qualifier).append(identifier(table.key().get(k))).append(" AS ")
                    .append(KEY_PREFIX).append(k);
        }
        return keys.toString();
    }

    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String literal(String text) {
        return '\'' + text.replace("'", "''") + '\'';
    }
}
