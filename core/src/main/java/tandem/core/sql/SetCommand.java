package tandem.core.sql;

/**
 * A SET or RESET of one run-time parameter, in the shape a proxy needs to replay it on another
 * connection as {@code SET <name> TO <value>} (or {@code RESET <name>}).
 *
 * @param scope SESSION, or LOCAL for SET LOCAL (which lasts until the end of the transaction)
 * @param name the parameter, lower case; the special forms are mapped to the parameter they set
 *     ({@code SET TIME ZONE} to {@code timezone}, {@code SET NAMES} to {@code client_encoding},
 *     {@code SET SCHEMA} to {@code search_path}, {@code SET ROLE} to {@code role},
 *     {@code SET SESSION AUTHORIZATION} to {@code session_authorization}, {@code SET SESSION
 *     CHARACTERISTICS AS TRANSACTION ...} to {@code default_transaction_isolation},
 *     {@code default_transaction_read_only} or {@code default_transaction_deferrable});
 *     null for RESET ALL
 * @param value the value exactly as written after TO or = (for example {@code "$user", public});
 *     null for RESET and for {@code SET ... FROM CURRENT}, which cannot be replayed elsewhere
 * @param isDefault SET ... TO DEFAULT (and {@code SET TIME ZONE LOCAL}), which is a reset in disguise
 * @param reset this is a RESET
 * @param resetAll this is RESET ALL
 */
public record SetCommand(Scope scope, String name, String value, boolean isDefault, boolean reset, boolean resetAll) {

    public enum Scope {
        SESSION,
        LOCAL
    }

    static SetCommand of(Scope scope, String name, String value, boolean isDefault) {
        return new SetCommand(scope, name, value, isDefault, false, false);
    }

    static SetCommand ofReset(String name) {
        return new SetCommand(Scope.SESSION, name, null, false, true, false);
    }

    static SetCommand ofResetAll() {
        return new SetCommand(Scope.SESSION, null, null, false, true, true);
    }
}
