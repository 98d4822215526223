package tandem.proxy.backend;

/**
 * The relay's pools of the old and the new store, and which of them is the primary: the old
 * store's until a cutover makes it the new one's. A session takes a primary connection from the
 * primary's pool at the start of each transaction; the swap happens while no transaction is in
 * flight ({@link tandem.core.session.AdmissionGate}), so a transaction never spans both.
 */
public final class RelayPools {

    private final BackendPool old;
    private final BackendPool target;
    private volatile boolean promoted;

    /**
     * @param old the old store's pool; null when it is SQLite (its sessions run on the emulation)
     * @param target the new store's pool; null for a pass-through, which never swaps
     */
    public RelayPools(BackendPool old, BackendPool target) {
        this.old = old;
        this.target = target;
    }

    /** The primary's pool; null while the primary is a store the relay does not reach (a SQLite old store). */
    public BackendPool primary() {
        return promoted ? target : old;
    }

    public String newStoreName() {
        return target.storeName();
    }

    /** Makes the new store's pool the primary ({@code promoted}), or the old store's again. */
    public void promote(boolean promoted) {
        if (promoted && target == null) {
            throw new IllegalStateException("no new store to promote");
        }
        this.promoted = promoted;
    }

    public boolean promoted() {
        return promoted;
    }
}
