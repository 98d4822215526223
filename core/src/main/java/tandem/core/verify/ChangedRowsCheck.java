package tandem.core.verify;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import tandem.core.lifecycle.CutoverCheck;
import tandem.core.mirror.Key;

/**
 * The cutover's check: the rows written since the last clean verification ({@link ChangedRows}),
 * compared in both stores before the pause, and again during it those written meanwhile or found
 * differing (a sync may have been on its way).
 */
public final class ChangedRowsCheck implements CutoverCheck {

    /** Rows compared during the pause at most: more would not fit in it. */
    static final int CONFIRMED_AT_MOST = 10_000;

    private final ChangedRows changed;
    private final VerificationLog verifications;
    private final Supplier<Verifier> verifiers;
    private final Clock clock;
    private Instant preparedAt;
    private Map<String, Set<Key>> checked = Map.of();
    private Map<String, Set<Key>> again = Map.of();
    private long compared;

    public ChangedRowsCheck(ChangedRows changed, VerificationLog verifications, Supplier<Verifier> verifiers, Clock clock) {
        this.changed = changed;
        this.verifications = verifications;
        this.verifiers = verifiers;
        this.clock = clock;
    }

    @Override
    public synchronized String prepare() {
        VerificationLog.Outcome clean = verifications.latestClean();
        if (clean == null) {
            return "no verification of the whole store came back clean yet";
        }
        Instant known = changed.knownSince();
        if (clean.startedAt().isBefore(known)) {
            return "the last clean verification started at " + clean.startedAt() + ", before " + known + " (when this "
                    + "tandem started, or stopped keeping the keys of the rows written since): rows written in between "
                    + "can only be compared by a new verification";
        }
        preparedAt = clock.instant();
        checked = changed.since(clean.startedAt());
        Verifier.KeyComparison first = verifiers.get().compare(checked);
        compared = first.compared();
        again = first.differing();
        return null;
    }

    @Override
    public synchronized String confirm() {
        Map<String, Set<Key>> keys = new LinkedHashMap<>();
        again.forEach((table, k) -> keys.computeIfAbsent(table, t -> new LinkedHashSet<>()).addAll(k));
        changed.since(preparedAt).forEach((table, k) -> keys.computeIfAbsent(table, t -> new LinkedHashSet<>()).addAll(k));
        long rows = keys.values().stream().mapToLong(Set::size).sum();
        if (rows > CONFIRMED_AT_MOST) {
            return rows + " rows were written or differed while the cutover prepared, more than the " + CONFIRMED_AT_MOST
                    + " it compares during the pause";
        }
        Verifier.KeyComparison last = verifiers.get().compare(keys);
        keys.forEach((table, k) -> compared += k.stream()
                .filter(key -> !checked.getOrDefault(table, Set.of()).contains(key)).count());
        if (last.clean()) {
            return null;
        }
        return last.differingRows() + " row(s) written since the last verification differ between the stores after the "
                + "mirror caught up: " + String.join("; ", last.examples()) + " (bin/tandem verify --repair copies them "
                + "again)";
    }

    @Override
    public synchronized long rowsCompared() {
        return compared;
    }
}
