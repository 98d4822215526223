package tandem.core.mirror;

import java.util.Locale;

import tandem.core.error.ProxyException;
import tandem.core.error.SqlState;

/**
 * Why a repair sync failed, as the drainer counts and reports it. The cause decides what an
 * operator should do: nothing for a missing parent before or during a backfill (it drains by
 * itself once the parent arrives), wait for the new store when it is unavailable, and look at
 * the rows for the rest.
 */
public enum SyncFailure {
    /** A row's parent is not on the new store yet, or a deleted row is still referenced there. */
    FOREIGN_KEY,
    /** The new store (or the old one) could not be reached or refused to work: the breaker's business. */
    UNAVAILABLE,
    /** The new store gave up on the transaction for its own reasons (a deadlock, a serialization failure): try again. */
    TRANSIENT,
    /** Another constraint of the new store refused a row (unique, check, not null). */
    CONSTRAINT,
    /** A value did not convert or fit the new store's column. */
    DATA,
    /** The entry's key cannot be read with the old store's schema (table dropped, key changed). */
    UNREADABLE_KEY,
    /** Anything else. */
    OTHER;

    /** The metric's {@code cause} label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether it drains without anyone's help once the rows it waits for arrive. */
    public boolean expected() {
        return this == FOREIGN_KEY || this == UNAVAILABLE || this == TRANSIENT;
    }

    public static SyncFailure of(Throwable e) {
        if (RepairDrainer.unavailable(e)) {
            return UNAVAILABLE;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProxyException p) {
                if (p.state() == SqlState.FOREIGN_KEY_VIOLATION) {
                    return FOREIGN_KEY;
                }
                String code = p.state().code();
                return code.startsWith("40") ? TRANSIENT : code.startsWith("23") ? CONSTRAINT
                        : code.startsWith("22") ? DATA : OTHER;
            }
        }
        return OTHER;
    }
}
