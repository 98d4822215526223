package tandem.core.lifecycle;

/**
 * What a cutover proves before the stores swap: that they hold the same rows where they could
 * differ, the rows written since the last verification. In two steps, so that the pause stays
 * short: most of the rows before it while clients still work, and during it only the rows
 * written meanwhile and those found differing.
 */
public interface CutoverCheck {

    /** Before the pause: null when the cutover may go on, else why it may not (it is refused). */
    String prepare();

    /**
     * During the pause, the mirror caught up: null when the stores agree on every row to check, else
     * what differs (the cutover is abandoned).
     */
    String confirm();

    /** How many rows the last check compared, for the event. */
    long rowsCompared();
}
