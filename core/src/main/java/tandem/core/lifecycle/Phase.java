package tandem.core.lifecycle;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a migration stands (see "Phases" in DESIGN.md). {@code preparing}: no new store, tandem
 * passes everything to the old one. {@code syncing}: writes mirrored, backfill and verification
 * run, reads on the old store. {@code switching}: reads move through the plan's stages. {@code
 * cutover}: new transactions wait while primary and secondary swap. {@code promoted}: the new store
 * is primary, writes mirrored back to the old one. {@code complete}: mirroring stopped.
 */
public enum Phase {
    PREPARING, SYNCING, SWITCHING, CUTOVER, PROMOTED, COMPLETE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The phase a label names; IllegalArgumentException naming the phases otherwise. */
    public static Phase of(String label) {
        for (Phase p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + label + "' (expected one of "
                + Arrays.stream(values()).map(Phase::label).toList() + ")");
    }
}
