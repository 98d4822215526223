package tandem.core.lifecycle;

import java.time.Instant;
import java.util.Map;

/**
 * Something the controller did or decided, with its reason: a phase change, a stage, a guard trip
 * (which threshold, the measured value, the window), an operator's command. Kept in the new store.
 *
 * @param id ascending; 0 until stored
 * @param kind a short word: {@code phase}, {@code stage}, {@code plan}, {@code reads}, {@code guard}, {@code refused}
 * @param details values an operator or a console may want (JSON object)
 */
public record MigrationEvent(long id, Instant at, String kind, String message, Map<String, Object> details) {

    public MigrationEvent {
        details = Map.copyOf(details);
    }
}
