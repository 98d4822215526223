package tandem.core.route;

import java.util.concurrent.atomic.AtomicInteger;

/** The share of eligible reads served by the secondary, 0 to 100, changeable while tandem runs. */
public final class ReadShare {

    private final AtomicInteger percent;

    public ReadShare(int percent) {
        this.percent = new AtomicInteger(check(percent));
    }

    public int percent() {
        return percent.get();
    }

    /** Sets the share; returns the one it replaced. */
    public int set(int newPercent) {
        return percent.getAndSet(check(newPercent));
    }

    private static int check(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("read share " + percent + "% is out of range (expected: 0 to 100)");
        }
        return percent;
    }
}
